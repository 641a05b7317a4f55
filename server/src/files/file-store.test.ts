import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiskFileStore } from './disk-store.js';
import { contentDisposition, safeFileName, safeMimeType } from './file-names.js';
import { referencedFileIds } from './file-service.js';
import { FilesError, type FileMetaInput, type FileStore } from './port.js';

let seq = 0;
const meta = (over: Partial<FileMetaInput> = {}): FileMetaInput => ({
  id: `file${++seq}abcdefghijklmnop`, name: 'report.pdf', type: 'application/pdf', createdBy: 'u1', shareLinkId: null, createdAt: new Date().toISOString(), ...over,
});

// The same behaviour from every adapter: the disk one always, GridFS when MONGO_URL is set.
function contract(name: string, open: () => Promise<{ store: FileStore; cleanup(): Promise<void> }>) {
  describe(`${name} file store`, () => {
    let store: FileStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ store, cleanup } = await open()));
    afterAll(async () => {
      await store.close();
      await cleanup();
    });

    it('keeps a file and gives it back with its metadata', async () => {
      const m = meta({ name: '报告 2024.pdf' });
      const saved = await store.put(m, Readable.from([Buffer.from('hello '), Buffer.from('world')]), 1000);
      expect(saved).toEqual({ ...m, size: 11 });
      const got = await store.get(m.id);
      expect(got?.meta).toEqual(saved);
      expect(await text(got!.open())).toBe('hello world');
    });

    it('refuses a file past the limit and keeps nothing of it', async () => {
      const m = meta();
      await expect(store.put(m, Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000)).rejects.toSatisfy((e) => e instanceof FilesError && e.code === 'TOO_LARGE');
      expect(await store.get(m.id)).toBeNull();
    });

    it('takes a file of exactly the limit', async () => {
      const m = meta();
      expect((await store.put(m, Readable.from([Buffer.alloc(1000)]), 1000)).size).toBe(1000);
    });

    it('answers null for unknown and malformed ids', async () => {
      expect(await store.get('nosuchfile')).toBeNull();
      expect(await store.get('../../etc/passwd')).toBeNull();
    });

    it('keeps nothing when the upload stream fails half way', async () => {
      const m = meta();
      const broken = new Readable({
        read() {
          this.push(Buffer.alloc(100));
          this.destroy(new Error('connection dropped'));
        },
      });
      await expect(store.put(m, broken, 1000)).rejects.toThrow(/connection dropped/);
      expect(await store.get(m.id)).toBeNull();
    });
  });
}

const roots: string[] = [];
contract('disk', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'trellis-files-'));
  roots.push(root);
  return { store: await createDiskFileStore(root), cleanup: async () => rmSync(root, { recursive: true, force: true }) };
});

if (process.env.MONGO_URL) {
  contract('GridFS', async () => {
    const { createGridFsFileStore } = await import('./gridfs-store.js');
    return { store: await createGridFsFileStore(process.env.MONGO_URL!, `trellis_files_test_${Date.now()}`), cleanup: async () => undefined };
  });
}

describe('the disk file store on a real folder', () => {
  it('leaves no temporary files behind and clears leftovers of a crash on open', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'trellis-files-'));
    try {
      const store = await createDiskFileStore(root);
      const m = meta();
      await store.put(m, Readable.from([Buffer.from('x')]), 10);
      await store.put(meta(), Readable.from([Buffer.alloc(20)]), 10).catch(() => undefined);
      expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
      expect(readdirSync(path.join(root, m.id.slice(-2)))).toEqual([m.id, `${m.id}.json`].sort());
      // a crash mid-upload leaves a part file in tmp: the next start removes it
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(root, 'tmp', 'half.part'), 'half');
      await createDiskFileStore(root);
      expect(readdirSync(path.join(root, 'tmp'))).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('file names, types and references', () => {
  it('keeps the last path segment without control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\me\\scan.png')).toBe('scan.png');
    expect(safeFileName('a\u0000b\u001fc\u202Egnp.exe')).toBe('abcgnp.exe');
    expect(safeFileName('..')).toBeNull();
    expect(safeFileName('dir/')).toBeNull();
    expect(safeFileName('\u0001\u0002')).toBeNull();
    const long = safeFileName(`${'a'.repeat(300)}.pdf`)!;
    expect(long).toHaveLength(255);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('keeps a plain MIME type and replaces anything else', () => {
    expect(safeMimeType('Image/PNG; charset=x')).toBe('image/png');
    expect(safeMimeType('text/html\r\nx-evil: 1')).toBe('application/octet-stream');
    expect(safeMimeType(undefined)).toBe('application/octet-stream');
  });

  it('writes content-disposition with an ASCII fallback and the exact UTF-8 name', () => {
    expect(contentDisposition('报告 "final".pdf')).toBe(`attachment; filename="__ _final_.pdf"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22final%22.pdf`);
  });

  it('finds file ids in file fields at the top and in sub-table rows only', () => {
    const fields = [
      { key: 'doc', type: 'attachment', label: 'Doc' },
      { key: 'note', type: 'text', label: 'Note' },
      { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'photo', type: 'image', label: 'Photo' }] },
    ] as never;
    const data = { doc: [{ id: 'a1' }], note: 'b2', lines: [{ photo: [{ id: 'c3' }] }, {}] };
    expect([...referencedFileIds(fields, data)].sort()).toEqual(['a1', 'c3']);
  });
});
