import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkPack, type Pack } from '@trellis/core';

// The bundled ERP pack as a document: it passes every pack check, every user-facing text is
// bilingual, it has the roles of the brief, and its sample data is small, believable and
// consistent (stock on hand = the sum of the stock movements, counters = their sources).

const file = fileURLToPath(new URL('../../templates/erp/pack.json', import.meta.url));
const pack = JSON.parse(readFileSync(file, 'utf8')) as Pack;
type Data = Record<string, any>;
const records = (form: string): { key: string; data: Data; status?: string }[] => (pack.records?.[form] ?? []) as never;
const sum = (rows: Data[], pick: (r: Data) => number) => rows.reduce((s, r) => s + pick(r), 0);

/** Every label-like value (name, label, title, description, help) that is not {en, zh}. */
function monolingual(node: unknown, at = '$', out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((x, i) => monolingual(x, `${at}[${i}]`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      // action values are field values written into records, not labels
      if (['name', 'label', 'title', 'description', 'help', 'message'].includes(k) && !at.endsWith('.values')) {
        const ok = v && typeof v === 'object' && typeof (v as { en?: unknown }).en === 'string' && typeof (v as { zh?: unknown }).zh === 'string';
        if (!ok) out.push(`${at}.${k}`);
      }
      monolingual(v, `${at}.${k}`, out);
    }
  }
  return out;
}

describe('the ERP pack document', () => {
  it('passes the pack checks', () => {
    expect(checkPack(pack)).toEqual([]);
    expect(pack.manifest).toMatchObject({ id: 'erp', category: 'erp' });
  });

  it('labels everything in English and Chinese', () => {
    // record data is free text; everything else a person reads has both languages
    const { records: _records, ...definitions } = pack;
    expect(monolingual(definitions)).toEqual([]);
  });

  it('has the nine roles of the brief', () => {
    expect((pack.roles ?? []).map((r) => r.key)).toEqual(['admin', 'sales', 'purchasing', 'planner', 'workshop', 'quality', 'warehouse', 'finance', 'manager']);
  });

  it('keeps products with their process route and main and auxiliary materials', () => {
    const product = pack.forms.find((f) => f.key === 'product')!.definition;
    const route = product.fields.find((f) => f.key === 'route')!;
    const bom = product.fields.find((f) => f.key === 'bom')!;
    expect(route.type).toBe('subtable');
    expect(bom.fields!.find((f) => f.key === 'material')).toMatchObject({ type: 'link', form: 'product' });
    for (const p of records('product').filter((r) => r.data.kind === 'finished')) {
      expect((p.data.route as unknown[]).length, p.key).toBeGreaterThan(1);
      const usage = new Set((p.data.bom as Data[]).map((b) => b.usage));
      expect([...usage].sort(), p.key).toEqual(['auxiliary', 'main']);
    }
  });

  it('breaks a master plan, an order and a receipt into one record per line, however many lines they have', () => {
    for (const [formKey, target] of [['productionPlan', 'workOrder'], ['salesOrder', 'salesLine']] as const) {
      const creates = pack.workflows![formKey]!.nodes.filter((n) => n.type === 'action' && n.action.type === 'createRecord' && n.action.form === target);
      expect(creates, formKey).toHaveLength(1);
      expect(creates[0]!.type === 'action' && creates[0]!.action.type === 'createRecord' && creates[0]!.action.forEach).toBe('lines');
    }
    // and a purchase receipt into one stock movement per material received
    const stockIn = pack.workflows!.receipt!.automations!.find((a) => a.id === 'stockIn')!;
    expect(stockIn.actions.filter((a) => a.type === 'createRecord' && a.form === 'stockMove').map((a) => a.type === 'createRecord' && a.forEach)).toEqual(['lines']);
  });

  it('brings small but believable sample data for every main form', () => {
    const counts = Object.fromEntries(Object.entries(pack.records ?? {}).map(([k, list]) => [k, list.length]));
    for (const form of pack.forms.map((f) => f.key)) expect(counts[form], form).toBeGreaterThan(0);
    for (const form of ['customer', 'supplier', 'salesOrder', 'purchaseOrder', 'productionPlan', 'workOrder']) {
      expect(counts[form], form).toBeGreaterThanOrEqual(3);
      expect(counts[form], form).toBeLessThanOrEqual(10);
    }
    for (const form of ['customer', 'supplier']) {
      const names = records(form).map((r) => String(r.data.name));
      expect(names.some((n) => /[\u4e00-\u9fff]/.test(n)), form).toBe(true);
      expect(names.some((n) => /^[A-Za-z]/.test(n)), form).toBe(true);
    }
  });

  it('has sample counters that agree with the sample records they count', () => {
    const moves = records('stockMove').map((r) => r.data);
    for (const p of records('product')) expect(p.data.onHand, p.key).toBe(sum(moves.filter((m) => m.product === p.key), (m) => (m.direction === 'in' ? m.qty : -m.qty)));
    // one item sits below its safety stock, so the dashboard shows something from the start
    expect(records('product').filter((p) => p.data.onHand < p.data.safetyStock).map((p) => p.key)).toEqual(['a_paint']);
    for (const po of records('purchaseOrder')) {
      const receipts = records('receipt').filter((r) => r.data.po === po.key).map((r) => r.data);
      expect(po.data.receivedQty, po.key).toBe(sum(receipts, (r) => sum(r.lines as Data[], (l) => l.qty)));
    }
    // each line of a receipt is one purchase movement of its material and quantity
    for (const r of records('receipt')) {
      const made = moves.filter((m) => m.receipt === r.key).map((m) => [m.product, m.qty, m.kind, m.moveDate]);
      expect(made, r.key).toEqual((r.data.lines as Data[]).map((l) => [l.product, l.qty, 'purchase', r.data.receivedOn]));
    }
    for (const wo of records('workOrder')) {
      const checks = records('qualityCheck').filter((c) => c.data.workOrder === wo.key).map((c) => c.data);
      expect(wo.data.producedQty, wo.key).toBe(sum(records('report').filter((r) => r.data.workOrder === wo.key).map((r) => r.data), (r) => r.outputQty));
      expect(wo.data.goodQty, wo.key).toBe(sum(checks, (c) => c.inspectedQty - c.failedQty));
      expect(wo.data.state === 'completed', wo.key).toBe(wo.data.goodQty >= wo.data.qty);
    }
    const lineTotal = (o: Data) => sum(o.lines as Data[], (l) => l.qty * l.price);
    for (const so of records('salesOrder')) {
      expect(so.data.paid, so.key).toBe(sum(records('payment').filter((p) => p.data.salesOrder === so.key).map((p) => p.data), (p) => p.amount));
      expect(records('salesLine').filter((l) => l.data.salesOrder === so.key)).toHaveLength((so.data.lines as unknown[]).length);
      expect(records('orderFile').filter((f) => f.data.salesOrder === so.key)).toHaveLength(1);
    }
    const region = Object.fromEntries(records('customer').map((c) => [c.key, c.data.region]));
    for (const plan of records('salesPlan')) {
      const orders = records('salesOrder').filter((o) => String(o.data.orderDate).slice(0, 7) === plan.data.period && region[o.data.customer] === plan.data.region);
      expect(plan.data.actualAmount, plan.key).toBe(sum(orders.map((o) => o.data), lineTotal));
    }
  });
});
