import type { FormDefinition } from '../schema/form.js';
import type { Logic } from '../schema/logic.js';

// custom operators (engine/logic-ops.ts) are not in json-logic-js's RulesLogic type
const logic = (v: unknown): Logic => v as Logic;

// Test fixture shared by the engine's unit tests: a purchase request that uses every field type.
export function purchaseForm(): FormDefinition {
  return {
    name: { en: 'Purchase request', zh: '采购申请' },
    titleField: 'title',
    fields: [
      { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
      { key: 'amount', type: 'money', label: { en: 'Amount', zh: '金额' }, min: 0, indexed: true },
      { key: 'reason', type: 'textarea', label: { en: 'Reason', zh: '理由' }, required: true },
      { key: 'urgent', type: 'checkbox', label: { en: 'Urgent', zh: '紧急' } },
      { key: 'urgentNote', type: 'text', label: { en: 'Urgency note', zh: '紧急说明' } },
      { key: 'dept', type: 'department', label: { en: 'Department', zh: '部门' } },
      { key: 'watchers', type: 'member', label: 'Watchers', multiple: true },
      { key: 'category', type: 'select', label: { en: 'Category', zh: '类别' }, options: ['office', { value: 'it', label: { en: 'IT', zh: '信息技术' } }, 'travel'] },
      { key: 'level', type: 'select', label: 'Level', options: ['low', 'high'] },
      { key: 'tags', type: 'multiselect', label: 'Tags', options: ['a', 'b', 'c'] },
      { key: 'needBy', type: 'date', label: 'Need by' },
      { key: 'meetingAt', type: 'datetime', label: 'Meeting at' },
      { key: 'contact', type: 'phone', label: 'Contact' },
      { key: 'email', type: 'email', label: 'Email' },
      { key: 'site', type: 'address', label: 'Site' },
      { key: 'code', type: 'barcode', label: 'Code' },
      { key: 'files', type: 'attachment', label: 'Files', multiple: true },
      { key: 'photo', type: 'image', label: 'Photo' },
      { key: 'sign', type: 'signature', label: 'Signature' },
      { key: 'supplier', type: 'link', label: 'Supplier', form: 'suppliers' },
      { key: 'supplierCity', type: 'lookup', label: 'Supplier city', link: 'supplier', field: 'city', valueType: 'text' },
      {
        key: 'lines', type: 'subtable', label: { en: 'Lines', zh: '明细' }, maxRows: 50,
        fields: [
          { key: 'product', type: 'link', label: 'Product', form: 'products' },
          { key: 'productName', type: 'lookup', label: 'Product name', link: 'product', field: 'name' },
          { key: 'qty', type: 'number', label: 'Qty', required: true, min: 1, precision: 0 },
          { key: 'price', type: 'money', label: 'Price', min: 0 },
          { key: 'lineTotal', type: 'formula', label: 'Line total', formula: { '*': [{ var: 'qty' }, { var: 'price' }] }, precision: 2 },
          { key: 'rate', type: 'formula', label: 'Parent rate', formula: { var: '$parent.amount' } },
        ],
      },
      { key: 'total', type: 'formula', label: 'Total', formula: logic({ sumOf: [{ var: 'lines' }, 'lineTotal'] }), precision: 2 },
      { key: 'size', type: 'formula', label: 'Size', resultType: 'text', formula: { if: [{ '>': [{ var: 'total' }, 1000] }, 'big', 'small'] } },
      { key: 'no', type: 'serial', label: 'No.', pattern: 'PR-{YYYYMMDD}-{0000}' },
      { key: 'state', type: 'select', label: 'State', options: ['draft', 'approved'], default: 'draft' },
      { key: 'locked', type: 'text', label: 'Locked', readOnly: true, default: 'fixed' },
    ],
    rules: [
      { field: 'reason', visible: { '>': [{ var: 'amount' }, 10000] } },
      { field: 'urgentNote', required: { var: 'urgent' } },
      { field: 'dept', default: { var: '$user.departments.0' } },
      { field: 'level', options: { if: [{ '==': [{ var: 'category' }, 'it'] }, ['low', 'high'], ['low']] } },
      { field: 'amount', readOnly: { '==': [{ var: 'state' }, 'approved'] } },
      { field: 'email', fill: { form: 'suppliers', match: { code: { var: 'supplier' } }, take: 'email' } },
    ],
  };
}
