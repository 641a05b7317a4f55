import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

// A server in Shanghai reads "today" in Shanghai: a date defaulting to today, a serial number's
// date part and a filter on "today" all agree with the calendar on the wall, not with UTC.

const localDate = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());

describe('the server time zone', () => {
  // UTC+14 and UTC−11: 25 hours apart, so never on the same calendar day (and at least one is not on UTC's)
  const zones = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'];
  const servers: Record<string, Harness> = {};
  const forms: Record<string, string> = {};

  beforeAll(async () => {
    for (const zone of zones) {
      const h = await startHarness({ TRELLIS_TIME_ZONE: zone });
      servers[zone] = h;
      const app = (await h.call('POST', '/api/apps', { name: 'Days' })).body.id;
      const form = await h.call('POST', `/api/apps/${app}/forms`, {
        name: 'Visit',
        fields: [
          { key: 'day', type: 'date', label: 'Day' },
          { key: 'no', type: 'serial', label: 'No.', pattern: 'V-{YYYYMMDD}-{00}' },
        ],
        rules: [{ field: 'day', default: { var: '$today' } }],
      });
      expect(form.status, JSON.stringify(form.body)).toBe(201);
      forms[zone] = form.body.id;
      expect((await h.call('POST', `/api/forms/${form.body.id}/publish`)).status).toBe(200);
    }
  });
  afterAll(async () => {
    for (const h of Object.values(servers)) await h.close();
  });

  it('defaults, serial numbers and "today" filters follow the configured zone', async () => {
    for (const zone of zones) {
      const h = servers[zone]!;
      const today = localDate(zone);
      const r = await h.call('POST', `/api/forms/${forms[zone]}/records`, { data: {} });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.data.day).toBe(today);
      expect(r.body.data.no).toBe(`V-${today.replace(/-/g, '')}-01`);
      const filter = encodeURIComponent(JSON.stringify({ field: 'day', op: 'eq', value: { relative: 'today' } }));
      expect((await h.call('GET', `/api/forms/${forms[zone]}/records?filter=${filter}`)).body.items).toHaveLength(1);
    }
    // the two zones are 25 hours apart: they never share a calendar day
    expect(localDate(zones[0]!)).not.toBe(localDate(zones[1]!));
  });
});
