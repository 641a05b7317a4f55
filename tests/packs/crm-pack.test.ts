import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPack, type Pack } from '@trellis/core';

// The bundled CRM pack as a document: it passes every pack check, every user-facing text is
// bilingual, and its sample data is small but complete (each main form has records).

const file = fileURLToPath(new URL('../../templates/crm/pack.json', import.meta.url));
const pack = JSON.parse(readFileSync(file, 'utf8')) as Pack;

/** Every label-like value (name, label, title, description, help) that is not {en, zh}. */
function monolingual(node: unknown, at = '$', out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((x, i) => monolingual(x, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      // action values are field values written into records, not labels
      if (['name', 'label', 'title', 'description', 'help'].includes(k) && !at.endsWith('.values')) {
        const ok = v && typeof v === 'object' && typeof (v as { en?: unknown }).en === 'string' && typeof (v as { zh?: unknown }).zh === 'string';
        if (!ok) out.push(`${at}.${k}`);
      }
      monolingual(v, `${at}.${k}`, out);
    }
  }
  return out;
}

describe('the CRM pack document', () => {
  it('passes the pack checks', () => {
    expect(checkPack(pack)).toEqual([]);
    expect(pack.manifest).toMatchObject({ id: 'crm', category: 'crm' });
  });

  it('labels everything in English and Chinese', () => {
    // record data is free text; everything else a person reads has both languages
    const { records: _records, ...definitions } = pack;
    expect(monolingual(definitions)).toEqual([]);
  });

  it('has the five roles of the brief and a pool role per region', () => {
    const keys = (pack.roles ?? []).map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['admin', 'rep', 'manager', 'finance', 'service', 'pool_east', 'pool_south', 'pool_north']));
  });

  it('gives the new leads of each region to the people of its role in turn, with no counter of its own', () => {
    const customer = pack.forms.find((f) => f.key === 'customer')!.definition;
    const regions = (customer.fields.find((f) => f.key === 'region') as { options: { value: string }[] }).options.map((o) => o.value);
    const automations = pack.workflows!.customer!.automations ?? [];
    for (const region of regions) {
      const turn = automations.filter((a) => a.actions.some((x) => x.type === 'assignInTurn') && JSON.stringify(a.condition).includes(`"${region}"`));
      expect(turn, region).toHaveLength(1);
      expect(turn[0]!.on).toEqual({ event: 'created' });
      expect(turn[0]!.actions).toEqual([{ type: 'assignInTurn', field: 'owner', among: [{ type: 'role', role: `pool_${region}` }] }]);
    }
    expect(pack.forms.map((f) => f.key)).not.toContain('region');
  });

  it('brings small but believable sample data for every main form', () => {
    const counts = Object.fromEntries(Object.entries(pack.records ?? {}).map(([k, list]) => [k, list.length]));
    expect(counts.customer).toBe(10);
    for (const form of ['followup', 'quote', 'order', 'contract', 'payplan', 'invoice', 'returns', 'service']) expect(counts[form], form).toBeGreaterThan(0);
    const names = (pack.records!.customer ?? []).map((r) => String(r.data.name));
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Za-z]/.test(n))).toBe(true);
  });
});
