import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ID_PATTERN } from '@trellis/core';
import { GridFSBucket, MongoClient, type Db } from 'mongodb';
import { byteLimit, type FileMeta, type FileMetaInput, type FileStore } from './port.js';

const ID_RE = new RegExp(ID_PATTERN);

interface GridMeta {
  type: string;
  createdBy: string | null;
  shareLinkId: string | null;
  createdAt: string;
}

/**
 * Files in MongoDB GridFS (bucket `files`), for deployments on MONGO_URL where
 * API nodes share no disk. GridFS writes the file document only after the
 * last chunk, and an aborted upload removes its chunks, so a partial file is
 * never visible.
 */
export async function createGridFsFileStore(url: string, dbName?: string): Promise<FileStore> {
  const client = new MongoClient(url);
  await client.connect();
  return gridFsFileStoreOver(client.db(dbName ?? (dbNameFromUrl(url) || 'trellis')), () => client.close());
}

export function gridFsFileStoreOver(db: Db, close: () => Promise<void>): FileStore {
  const bucket = new GridFSBucket(db, { bucketName: 'files' });
  return {
    kind: 'gridfs',
    async put(input: FileMetaInput, content: Readable, maxBytes: number): Promise<FileMeta> {
      if (!ID_RE.test(input.id)) throw new Error(`Not a file id: "${input.id}"`);
      const metadata: GridMeta = { type: input.type, createdBy: input.createdBy, shareLinkId: input.shareLinkId, createdAt: input.createdAt };
      // GridFS takes any _id; the driver's types say ObjectId only
      const upload = bucket.openUploadStreamWithId(input.id as never, input.name, { metadata });
      const limit = byteLimit(maxBytes);
      try {
        await pipeline(content, limit.stream, upload);
      } catch (err) {
        await upload.abort().catch(() => undefined);
        throw err;
      }
      return { ...input, size: limit.bytes() };
    },
    async get(id: string) {
      if (!ID_RE.test(id)) return null;
      const [doc] = await bucket.find({ _id: id as never }).limit(1).toArray();
      if (!doc) return null;
      const m = (doc.metadata ?? {}) as Partial<GridMeta>;
      const meta: FileMeta = {
        id, name: doc.filename, size: doc.length, type: m.type ?? 'application/octet-stream',
        createdBy: m.createdBy ?? null, shareLinkId: m.shareLinkId ?? null, createdAt: m.createdAt ?? doc.uploadDate.toISOString(),
      };
      return { meta, open: () => bucket.openDownloadStream(id as never) };
    },
    close,
  };
}

function dbNameFromUrl(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]*)/.exec(url);
  return decodeURIComponent(match?.[1] ?? '');
}
