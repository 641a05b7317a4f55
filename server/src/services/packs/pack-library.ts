import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPack, TrellisError, type Pack, type PackSummary } from '@trellis/core';
import { notFound } from '../../http/errors.js';

/** The bundled packs: `templates/` at the top of the project (the same depth above src/ and dist/). */
export const BUNDLED_PACKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../templates');

/** Where packs are looked for: the bundled folder, then the extra folders (TRELLIS_PACKS_DIR). */
export function packDirs(extra: readonly string[] = []): string[] {
  return [BUNDLED_PACKS_DIR, ...extra];
}

const PACK_ID = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Packs on disk: each is a folder `<id>/pack.json` (beside it, its
 * screenshots) in one of the pack folders; the folder name is the pack's id.
 * A pack file that fails the pack checks is listed nowhere and cannot be
 * installed: its problems are the answer to an install.
 */
export class PackLibrary {
  // checking a large pack takes a while: each file's summary is kept until the file changes
  private readonly summaries = new Map<string, { mtimeMs: number; summary: PackSummary | null }>();

  constructor(private readonly dirs: readonly string[]) {}

  async list(): Promise<PackSummary[]> {
    const out: PackSummary[] = [];
    const seen = new Set<string>();
    for (const dir of this.dirs) {
      if (!existsSync(dir)) continue;
      for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isDirectory() || !PACK_ID.test(entry.name) || seen.has(entry.name)) continue;
        const summary = await this.summary(path.join(dir, entry.name, 'pack.json'), entry.name);
        if (!summary) continue;
        seen.add(entry.name);
        out.push(summary);
      }
    }
    return out;
  }

  /** The pack with this id, checked; 404 when there is none, 422 with its problems when it is broken. */
  async get(id: string): Promise<Pack> {
    if (!PACK_ID.test(id)) throw notFound('Pack', id);
    for (const dir of this.dirs) {
      const file = path.join(dir, id, 'pack.json');
      if (!existsSync(file)) continue;
      const pack = await this.read(file);
      const problems = checkPack(pack);
      if (problems.length) throw new TrellisError('INVALID_DEFINITION', `Pack "${id}" is not valid: ${problems.slice(0, 5).map((p) => p.message).join('; ')}`, { problems });
      return pack;
    }
    throw notFound('Pack', id);
  }

  private async summary(file: string, id: string): Promise<PackSummary | null> {
    const mtimeMs = (await stat(file).catch(() => null))?.mtimeMs;
    if (mtimeMs === undefined) return null;
    const hit = this.summaries.get(file);
    if (hit?.mtimeMs === mtimeMs) return hit.summary;
    const pack = await this.read(file).catch(() => null);
    let summary: PackSummary | null = null;
    if (pack && checkPack(pack).length === 0 && pack.manifest.id === id) {
      summary = { ...pack.manifest, forms: pack.forms.length, records: Object.values(pack.records ?? {}).reduce((n, list) => n + list.length, 0) };
    }
    this.summaries.set(file, { mtimeMs, summary });
    return summary;
  }

  private async read(file: string): Promise<Pack> {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Pack;
    } catch (e) {
      throw new TrellisError('INVALID_DEFINITION', `${path.basename(path.dirname(file))}/pack.json is not JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
