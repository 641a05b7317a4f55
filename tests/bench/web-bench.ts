// `pnpm bench --web` (also the last step of `pnpm bench`): what a phone gets from the runtime's form page, measured in Debian's chromium
// with playwright-core. Not a test: it prints figures.
//  - initial JS: every script the page loads before the form is interactive, gzipped as served;
//  - time to interactive under Lighthouse's mobile profile (CPU 4× slower, 150 ms RTT,
//    1.6 Mbit/s down, 750 kbit/s up), cold cache, median of 5 loads: the later of "the form's
//    first input is rendered and enabled" and the end of the last long task (> 50 ms) before a
//    quiet window (Lighthouse's definition, with a 3 s window to keep the run short).
import { gzipSync } from 'node:zlib';
import type { CDPSession, Page, Response } from 'playwright-core';
import { firstPage, PHONE, startWeb } from '../e2e/support/browser.js';
import { http } from '../support/process.js';

const RUNS = Number(process.env.WEB_RUNS ?? 5);
const QUIET_MS = 3000;

const FORM = {
  name: { en: 'Purchase request', zh: '采购申请' },
  fields: [
    { key: 'title', type: 'text', label: { en: 'Title', zh: '标题' }, required: true },
    { key: 'department', type: 'department', label: { en: 'Department', zh: '部门' } },
    { key: 'requester', type: 'member', label: { en: 'Requester', zh: '申请人' } },
    { key: 'category', type: 'select', label: { en: 'Category', zh: '类别' }, options: ['IT', 'Office', 'Travel'] },
    { key: 'urgent', type: 'checkbox', label: { en: 'Urgent', zh: '加急' } },
    { key: 'reason', type: 'textarea', label: { en: 'Reason', zh: '原因' } },
    { key: 'needed', type: 'date', label: { en: 'Needed by', zh: '需求日期' } },
    { key: 'lines', type: 'subtable', label: { en: 'Items', zh: '明细' }, fields: [
      { key: 'item', type: 'text', label: { en: 'Item', zh: '物品' }, required: true },
      { key: 'qty', type: 'number', label: { en: 'Qty', zh: '数量' } },
      { key: 'price', type: 'money', label: { en: 'Price', zh: '单价' } },
      { key: 'subtotal', type: 'formula', label: { en: 'Subtotal', zh: '小计' }, formula: { '*': [{ var: 'qty' }, { var: 'price' }] }, resultType: 'number' },
    ] },
    { key: 'amount', type: 'money', label: { en: 'Amount', zh: '金额' } },
    { key: 'files', type: 'attachment', label: { en: 'Quotes', zh: '报价单' }, multiple: true },
    { key: 'phone', type: 'phone', label: { en: 'Phone', zh: '电话' } },
    { key: 'address', type: 'address', label: { en: 'Deliver to', zh: '收货地址' } },
  ],
  rules: [{ field: 'reason', visible: { '==': [{ var: 'urgent' }, true] } }],
};

async function throttle(cdp: CDPSession): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

async function loadOnce(page: Page, url: string): Promise<{ tti: number; ready: number; scripts: Map<string, number> }> {
  const scripts = new Map<string, number>();
  const onResponse = async (res: Response) => {
    if (res.request().resourceType() !== 'script') return;
    try {
      const body = await res.body();
      // as served: the server sends the build's .gz to clients that accept gzip
      scripts.set(new URL(res.url()).pathname, res.headers()['content-encoding'] === 'gzip' ? Number(res.headers()['content-length'] ?? gzipSync(body).length) : gzipSync(body).length);
    } catch {
      /* redirected or aborted */
    }
  };
  page.on('response', onResponse);
  await page.goto(url, { waitUntil: 'commit' });
  const ready = await page.waitForFunction(() => {
    const input = document.querySelector('form input:not([type=hidden]):not([disabled]), form textarea:not([disabled])');
    return input ? performance.now() : false;
  }, undefined, { polling: 'raf', timeout: 60_000 }).then((h) => h.jsonValue() as Promise<number>);
  // wait for a quiet window, then take the end of the last long task
  let lastEnd = 0;
  for (;;) {
    await page.waitForTimeout(QUIET_MS);
    const end = await page.evaluate(() => {
      const tasks = (window as unknown as { __longTasks?: { startTime: number; duration: number }[] }).__longTasks ?? [];
      return tasks.reduce((m, t) => Math.max(m, t.startTime + t.duration), 0);
    });
    if (end === lastEnd) break;
    lastEnd = end;
  }
  page.off('response', onResponse);
  return { tti: Math.max(ready, lastEnd), ready, scripts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function webBench(): Promise<void> {
  const web = await startWeb();
  try {
    const token = web.server.token;
    const app = await http(web.url, 'POST', '/api/apps', { name: 'Bench' }, token);
    const form = await http(web.url, 'POST', `/api/apps/${app.body.id}/forms`, FORM, token);
    if (form.status !== 201) throw new Error(`form: ${form.status} ${JSON.stringify(form.body)}`);
    const pub = await http(web.url, 'POST', `/api/forms/${form.body.id}/publish`, {}, token);
    if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${JSON.stringify(pub.body)}`);
    const url = `/app/forms/${form.body.id}/new`;
    const ttis: number[] = [];
    const readies: number[] = [];
    let scripts = new Map<string, number>();
    for (let i = 0; i < RUNS; i++) {
      const ctx = await web.context(PHONE);
      await ctx.addInitScript((t: string) => {
        localStorage.setItem('trellis.token', t);
        const w = window as unknown as { __longTasks: { startTime: number; duration: number }[] };
        w.__longTasks = [];
        new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push({ startTime: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true });
      }, token);
      const page = await firstPage(ctx);
      await throttle(await ctx.newCDPSession(page));
      const r = await loadOnce(page, url);
      ttis.push(r.tti);
      readies.push(r.ready);
      scripts = r.scripts;
      await ctx.close();
    }
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    console.log('\nRuntime form page (phone 360×740, chromium, CPU 4×, 150 ms RTT, 1.6 Mbit/s):');
    for (const [p, n] of scripts) console.log(`  ${p}: ${(n / 1024).toFixed(1)} KB gz`);
    console.log(`  initial JS: ${(total / 1024).toFixed(1)} KB gzipped in ${scripts.size} files (budget 250 KB)`);
    console.log(`  form rendered and enabled: median ${Math.round(median(readies))} ms; time to interactive: median ${Math.round(median(ttis))} ms (runs: ${ttis.map(Math.round).join(', ')} ms)`);
  } finally {
    await web.close();
  }
}
