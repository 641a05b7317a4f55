// The ceiling: a bare Fastify route that only validates a 15-field body with JSON Schema.
import Fastify from 'fastify';

const props = {
  title: { type: 'string', maxLength: 200 }, amount: { type: 'number', minimum: 0 }, qty: { type: 'number', minimum: 1 },
  price: { type: 'number', minimum: 0 }, dept: { type: 'string' }, requester: { type: 'string' },
  priority: { enum: ['low', 'normal', 'high'] }, category: { type: 'string' }, needBy: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
  supplierName: { type: 'string' }, urgent: { type: 'boolean' }, email: { type: 'string' }, notes: { type: 'string' },
  tags: { type: 'array', items: { type: 'string' } }, total: { type: 'number' },
};
const app = Fastify();
app.post('/bare', {
  schema: { body: { type: 'object', properties: { data: { type: 'object', properties: props, required: ['title'], additionalProperties: false } }, required: ['data'], additionalProperties: false } },
}, async (request, reply) => reply.status(201).send({ ok: true, data: (request.body as { data: unknown }).data }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
console.log('ready');
