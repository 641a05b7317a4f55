// Fixed-seed data for the benchmarks: a 15-field purchase-request form and records for it.

/** mulberry32: small, fast, deterministic */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const DEPARTMENTS = Array.from({ length: 20 }, (_, i) => `dept-${i}`);
const CATEGORIES = ['it', 'office', 'travel', 'facility', 'marketing', 'production'];
const PRIORITIES = ['low', 'normal', 'high'];
const WORDS = ['laptop', 'chair', 'desk', 'monitor', 'cable', 'paper', 'toner', 'ticket', 'hotel', 'server', 'license', 'phone'];

export const benchForm = {
  name: { en: 'Purchase request (bench)', zh: '采购申请（基准）' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: 'Title', required: true },
    { key: 'amount', type: 'money', label: 'Amount', indexed: true, min: 0 },
    { key: 'qty', type: 'number', label: 'Quantity', min: 1 },
    { key: 'price', type: 'money', label: 'Unit price', min: 0 },
    { key: 'dept', type: 'department', label: 'Department', indexed: true },
    { key: 'requester', type: 'member', label: 'Requester' },
    { key: 'priority', type: 'select', label: 'Priority', options: PRIORITIES, indexed: true },
    { key: 'category', type: 'select', label: 'Category', options: CATEGORIES },
    { key: 'needBy', type: 'date', label: 'Need by' },
    { key: 'supplierName', type: 'text', label: 'Supplier' },
    { key: 'urgent', type: 'checkbox', label: 'Urgent' },
    { key: 'email', type: 'email', label: 'Contact email' },
    { key: 'notes', type: 'textarea', label: 'Notes' },
    { key: 'tags', type: 'multiselect', label: 'Tags', options: ['a', 'b', 'c', 'd'] },
    { key: 'total', type: 'formula', label: 'Total', formula: { '*': [{ var: 'qty' }, { var: 'price' }] } },
  ],
};

export function makeRecordData(next: () => number): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const qty = 1 + Math.floor(next() * 20);
  const price = Math.round(next() * 100000) / 100;
  const day = 1 + Math.floor(next() * 28);
  return {
    title: `${pick(WORDS)} ${pick(WORDS)} ${Math.floor(next() * 1000)}`,
    amount: Math.round(qty * price * 100) / 100,
    qty,
    price,
    dept: pick(DEPARTMENTS),
    requester: `user-${Math.floor(next() * 500)}`,
    priority: pick(PRIORITIES),
    category: pick(CATEGORIES),
    needBy: `2026-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    supplierName: `Supplier ${Math.floor(next() * 300)}`,
    urgent: next() < 0.2,
    email: `buyer${Math.floor(next() * 500)}@example.com`,
    notes: next() < 0.5 ? 'Please deliver to the main warehouse before noon.' : '',
    tags: next() < 0.5 ? ['a'] : ['b', 'c'],
  };
}
