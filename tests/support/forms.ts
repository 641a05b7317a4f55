/** Form definitions used by the API journeys: a supplier file and a purchase request that links to it. */

export const supplierForm = {
  name: { en: 'Supplier', zh: '供应商' },
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: { en: 'Name', zh: '名称' }, required: true, unique: true },
    { key: 'city', type: 'text', label: { en: 'City', zh: '城市' }, indexed: true },
    { key: 'rating', type: 'number', label: 'Rating', min: 0, max: 5 },
  ],
};

export function purchaseRequestForm(supplierFormId: string) {
  return {
    name: { en: 'Purchase request', zh: '采购申请' },
    titleField: 'title',
    fields: [
      { key: 'no', type: 'serial', label: { en: 'No.', zh: '编号' }, pattern: 'PR-{YYYYMMDD}-{0000}' },
      { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true, maxLength: 100 },
      { key: 'details', type: 'textarea', label: 'Details' },
      { key: 'amount', type: 'money', label: { en: 'Amount', zh: '金额' }, indexed: true, min: 0 },
      { key: 'reason', type: 'textarea', label: { en: 'Reason', zh: '原因' } },
      { key: 'needBy', type: 'date', label: 'Need by' },
      { key: 'submittedAt', type: 'datetime', label: 'Submitted at' },
      { key: 'dept', type: 'department', label: 'Department', indexed: true },
      { key: 'requester', type: 'member', label: 'Requester' },
      { key: 'priority', type: 'select', label: 'Priority', options: ['low', 'normal', 'high'], default: 'normal', indexed: true },
      { key: 'tags', type: 'multiselect', label: 'Tags', options: ['it', 'office', 'travel'] },
      { key: 'urgent', type: 'checkbox', label: 'Urgent' },
      { key: 'phone', type: 'phone', label: 'Phone' },
      { key: 'email', type: 'email', label: 'Email' },
      { key: 'supplier', type: 'link', label: 'Supplier', form: supplierFormId },
      { key: 'supplierCity', type: 'lookup', label: 'Supplier city', link: 'supplier', field: 'city' },
      {
        key: 'lines', type: 'subtable', label: { en: 'Lines', zh: '明细' },
        fields: [
          { key: 'sku', type: 'text', label: 'SKU', required: true },
          { key: 'qty', type: 'number', label: 'Qty', required: true, min: 1 },
          { key: 'price', type: 'money', label: 'Price' },
          { key: 'lineTotal', type: 'formula', label: 'Line total', formula: { '*': [{ var: 'qty' }, { var: 'price' }] } },
        ],
      },
      { key: 'total', type: 'formula', label: 'Total', formula: { sumOf: [{ var: 'lines' }, 'lineTotal'] } },
      { key: 'bigOrder', type: 'formula', label: 'Big order', resultType: 'text', formula: { if: [{ '>': [{ var: 'total' }, 10000] }, 'yes', 'no'] } },
    ],
    rules: [
      { field: 'reason', visible: { '>': [{ var: 'amount' }, 10000] }, required: { '>': [{ var: 'amount' }, 10000] } },
    ],
  };
}
