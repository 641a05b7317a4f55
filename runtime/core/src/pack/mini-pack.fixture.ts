import type { Pack } from '../schema/pack.js';

/** A two-form pack for the pack unit tests: customers, orders linking to them, an approval by a pack role, a dashboard, sample records. */
export function miniPack(): Pack {
  return {
    manifest: {
      id: 'mini', name: { en: 'Mini', zh: '迷你' }, version: '1.0.0', category: 'crm',
      description: { en: 'Customers and orders', zh: '客户与订单' },
    },
    forms: [
      {
        key: 'customer',
        definition: {
          name: 'Customer', titleField: 'name',
          fields: [
            { key: 'name', type: 'text', label: 'Name', required: true },
            { key: 'region', type: 'select', label: 'Region', options: ['north', 'south'] },
          ],
        },
      },
      {
        key: 'order',
        definition: {
          name: 'Order',
          fields: [
            { key: 'customer', type: 'link', label: 'Customer', form: 'customer' },
            { key: 'region', type: 'lookup', label: 'Region', link: 'customer', field: 'region' },
            { key: 'amount', type: 'money', label: 'Amount' },
            { key: 'lines', type: 'subtable', label: 'Lines', fields: [{ key: 'ref', type: 'link', label: 'Ref', form: 'customer' }] },
          ],
          rules: [{ field: 'amount', fill: { form: 'customer', match: { name: { var: 'customer' } }, take: 'region' } }],
        },
      },
    ],
    workflows: {
      order: {
        nodes: [
          { id: 'start', type: 'start' },
          { id: 'boss', type: 'approval', mode: 'any', assignees: [{ type: 'role', role: 'manager' }] },
          { id: 'copy', type: 'action', action: { type: 'createRecord', form: 'customer', values: { name: 'copied' } } },
          { id: 'end', type: 'end' },
        ],
        edges: [{ from: 'start', to: 'boss' }, { from: 'boss', to: 'copy' }, { from: 'copy', to: 'end' }],
      },
    },
    roles: [{ key: 'manager', name: 'Manager', app: { open: true }, forms: { order: { actions: ['view', 'edit'] } } }],
    dashboards: [
      {
        key: 'sales',
        definition: {
          name: 'Sales',
          widgets: [{ id: 'total', type: 'number', title: 'Total', form: 'order', metrics: [{ op: 'sum', field: 'amount' }], layout: { x: 0, y: 0, w: 6, h: 4 } }],
        },
      },
    ],
    records: {
      customer: [{ key: 'acme', data: { name: 'Acme', region: 'north' } }],
      order: [{ key: 'o1', data: { customer: 'acme', amount: 10, lines: [{ ref: 'acme' }] } }],
    },
  };
}
