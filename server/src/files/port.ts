import { Transform, type Readable, type TransformCallback } from 'node:stream';

/** What Trellis keeps about one uploaded file (the content lives beside it in the adapter). */
export interface FileMeta {
  id: string;
  /** sanitised: no path separators or control characters */
  name: string;
  size: number;
  /** MIME type as the uploader declared it (served with nosniff and as an attachment) */
  type: string;
  /** the signed-in uploader, or null for a share-link upload */
  createdBy: string | null;
  /** the share link it came through, or null */
  shareLinkId: string | null;
  createdAt: string;
}

/** The file reference stored in attachment/image/signature values (core's fileSchema). */
export interface FileRef {
  id: string;
  name: string;
  size: number;
  type: string;
  url: string;
}

export type FileMetaInput = Omit<FileMeta, 'size'>;

/**
 * Where uploaded files live: a folder under DATA_DIR (default) or MongoDB
 * GridFS (with MONGO_URL). A put either stores the whole file or nothing: a
 * crash or an over-size upload never leaves a partial file that `get` returns.
 */
export interface FileStore {
  readonly kind: 'disk' | 'gridfs';
  /** streams `content` in; rejects with FilesError TOO_LARGE past `maxBytes` (and keeps nothing) */
  put(meta: FileMetaInput, content: Readable, maxBytes: number): Promise<FileMeta>;
  /** the file's metadata and a way to read it, or null when there is no such file */
  get(id: string): Promise<{ meta: FileMeta; open(): Readable } | null>;
  close(): Promise<void>;
}

export type FilesErrorCode = 'TOO_LARGE' | 'BAD_ID';

export class FilesError extends Error {
  constructor(
    readonly code: FilesErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FilesError';
  }
}

/** Passes bytes through, counting them, and fails the stream once more than `maxBytes` went by (the adapters' one size check). */
export function byteLimit(maxBytes: number): { stream: Transform; bytes(): number } {
  let seen = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) cb(new FilesError('TOO_LARGE', `The file is larger than ${maxBytes} bytes`));
      else cb(null, chunk);
    },
  });
  return { stream, bytes: () => seen };
}
