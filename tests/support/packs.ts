import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The test packs (TRELLIS_PACKS_DIR of the pack tests): `mini-crm` is a small complete pack. */
export const PACKS_DIR = fileURLToPath(new URL('../fixtures/packs', import.meta.url));

/** A fresh copy of the mini-crm test pack, to change at will. */
export const miniCrm = (): any => JSON.parse(readFileSync(`${PACKS_DIR}/mini-crm/pack.json`, 'utf8'));
