import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ID_PATTERN } from '@trellis/core';
import { byteLimit, type FileMeta, type FileMetaInput, type FileStore } from './port.js';

const ID_RE = new RegExp(ID_PATTERN);

/**
 * Files in a folder: `<root>/<xx>/<id>` holds the bytes and `<id>.json` the
 * metadata. Both are written under `<root>/tmp` and renamed into place, bytes
 * first: a file counts as stored only once its sidecar exists, so a crash at
 * any moment leaves either the whole file or nothing visible.
 */
export async function createDiskFileStore(root: string): Promise<FileStore> {
  const tmp = path.join(root, 'tmp');
  await mkdir(tmp, { recursive: true });
  // leftovers of uploads cut short by a crash
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });

  const dirOf = (id: string) => path.join(root, id.slice(-2).toLowerCase());
  const checkId = (id: string) => {
    if (!ID_RE.test(id)) throw new Error(`Not a file id: "${id}"`);
  };

  return {
    kind: 'disk',
    async put(input: FileMetaInput, content: Readable, maxBytes: number): Promise<FileMeta> {
      checkId(input.id);
      const part = path.join(tmp, `${input.id}.${randomBytes(6).toString('hex')}`);
      const limit = byteLimit(maxBytes);
      try {
        await pipeline(content, limit.stream, createWriteStream(part, { flags: 'wx', mode: 0o600 }));
        // on disk before it becomes visible: a power cut after the rename must not leave a hole
        const fh = await open(part, 'r+');
        await fh.sync().finally(() => fh.close());
      } catch (err) {
        await rm(part, { force: true });
        throw err;
      }
      const meta: FileMeta = { ...input, size: limit.bytes() };
      const dir = dirOf(input.id);
      await mkdir(dir, { recursive: true });
      await rename(part, path.join(dir, input.id));
      const sidecar = `${part}.json`;
      await writeFile(sidecar, JSON.stringify(meta), { mode: 0o600 });
      await rename(sidecar, path.join(dir, `${input.id}.json`));
      return meta;
    },
    async get(id: string) {
      if (!ID_RE.test(id)) return null;
      const dir = dirOf(id);
      let meta: FileMeta;
      try {
        meta = JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as FileMeta;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
      return { meta, open: () => createReadStream(path.join(dir, id)) };
    },
    async close() {},
  };
}
