import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPack, type Pack } from '@trellis/core';

// The bundled SCM pack as a document: it passes every pack check, every user-facing text is
// bilingual, external supplier accounts only reach forms tied to their company, and its sample
// data is small but believable (Chinese and English companies, each main form has records).

const file = fileURLToPath(new URL('../../templates/scm/pack.json', import.meta.url));
const pack = JSON.parse(readFileSync(file, 'utf8')) as Pack;

/** Every label-like value (name, label, title, description, help, placeholder) that is not {en, zh}. */
function monolingual(node: unknown, at = '$', out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((x, i) => monolingual(x, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      // action values are field values written into records, not labels
      if (['name', 'label', 'title', 'description', 'help', 'placeholder', 'message'].includes(k) && !at.endsWith('.values')) {
        const ok = v && typeof v === 'object' && typeof (v as { en?: unknown }).en === 'string' && typeof (v as { zh?: unknown }).zh === 'string';
        if (!ok) out.push(`${at}.${k}`);
      }
      monolingual(v, `${at}.${k}`, out);
    }
  }
  return out;
}

describe('the SCM pack document', () => {
  it('passes the pack checks', () => {
    expect(checkPack(pack)).toEqual([]);
    expect(pack.manifest).toMatchObject({ id: 'scm', category: 'scm' });
  });

  it('labels everything in English and Chinese', () => {
    // record data is free text; everything else a person reads has both languages
    const { records: _records, ...definitions } = pack;
    expect(monolingual(definitions)).toEqual([]);
  });

  it('has the six roles of the brief and a requester role for every department', () => {
    const keys = (pack.roles ?? []).map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(['admin', 'purchasing', 'warehouse', 'quality', 'finance', 'supplier', 'staff']));
  });

  it('gives external suppliers only forms that link to the supplier, each scoped to their own company', () => {
    const supplier = pack.roles!.find((r) => r.key === 'supplier')!;
    for (const [formKey, grant] of Object.entries(supplier.forms ?? {})) {
      for (const g of [grant].flat()) expect(g.actions, formKey).not.toContain('manage');
      if (formKey === 'supplier') continue;
      const form = pack.forms.find((f) => f.key === formKey)!;
      expect(form.definition.fields.some((f) => f.key === 'supplier' && f.type === 'link' && f.form === 'supplier'), formKey).toBe(true);
      for (const g of [grant].flat()) expect(g.scope, formKey).toEqual({ condition: { '==': [{ var: 'supplier' }, { var: 'user.partner' }] } });
    }
    expect(supplier.app?.design).toBeFalsy();
  });

  it('prints the reconciliation statement with the supplier, the period, the amount and signature lines', () => {
    const [statement] = (pack.printTemplates?.statement ?? []) as { body: { type: string; fields?: { field: string }[] }[] }[];
    expect(statement).toBeDefined();
    const fields = statement!.body.flatMap((b) => b.fields ?? []).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['supplierName', 'periodFrom', 'periodTo', 'amount']));
    expect(statement!.body.some((b) => b.type === 'signatures')).toBe(true);
  });

  it('brings small but believable sample data for the main forms', () => {
    const counts = Object.fromEntries(Object.entries(pack.records ?? {}).map(([k, list]) => [k, list.length]));
    expect(counts.supplier).toBe(4);
    for (const form of ['product', 'reviewTemplate', 'review', 'evaluation', 'requisition', 'po', 'notice', 'receipt', 'stockIn', 'stockCount', 'transfer']) expect(counts[form], form).toBeGreaterThan(0);
    // one review template per supplier type
    const types = pack.forms.find((f) => f.key === 'supplier')!.definition.fields.find((f) => f.key === 'type')!.options!.map((o) => (typeof o === 'string' ? o : o.value));
    expect(pack.records!.reviewTemplate!.map((r) => r.data.supplierType).sort()).toEqual([...types].sort());
    const names = pack.records!.supplier!.map((r) => String(r.data.name));
    expect(names.some((n) => /[\u4e00-\u9fff]/.test(n))).toBe(true);
    expect(names.some((n) => /^[A-Za-z]/.test(n))).toBe(true);
    // the supplier metrics of the sample agree with its receipts
    for (const s of pack.records!.supplier!) {
      const receipts = pack.records!.receipt!.filter((r) => r.data.supplier === s.key);
      const qty = (r: (typeof receipts)[number]) => (r.data.lines as { qty: number }[]).reduce((a, l) => a + l.qty, 0);
      expect(s.data.lots ?? 0, s.key).toBe(receipts.length);
      expect(s.data.onTimeLots ?? 0, s.key).toBe(receipts.filter((r) => String(r.data.receivedOn) <= String(r.data.dueDate)).length);
      expect(s.data.receivedQty ?? 0, s.key).toBe(receipts.reduce((a, r) => a + qty(r), 0));
      expect(s.data.rejectedQty ?? 0, s.key).toBe(receipts.reduce((a, r) => a + Number(r.data.rejectedQty ?? 0), 0));
    }
    // every line of an approved sample receipt was put away, in the receipt's warehouse
    const putAways = pack.records!.stockIn!.map((r) => [r.data.source, r.data.product, r.data.warehouse, r.data.qty]);
    const lines = pack.records!.receipt!.filter((r) => r.status === 'approved').flatMap((r) => (r.data.lines as { product: string; qty: number }[]).map((l) => [r.data.scan, l.product, r.data.warehouse, l.qty]));
    expect(putAways.sort()).toEqual(lines.sort());
    // the sample transfers are done already (stored without their workflow): each names two warehouses, and its
    // destination still holds at least what it moved there
    const materials = new Map(pack.records!.product!.map((r) => [r.key, r.data as Record<string, number>]));
    for (const t of pack.records!.transfer!) {
      const m = materials.get(String(t.data.product))!;
      const field = (wh: unknown) => ({ central: 'qtyCentral', line: 'qtyLine', spares: 'qtySpares' })[String(wh)]!;
      expect(t.data.fromWh, t.key).not.toBe(t.data.toWh);
      expect(m[field(t.data.toWh)], t.key).toBeGreaterThanOrEqual(Number(t.data.qty));
    }
  });
});
