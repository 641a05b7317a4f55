import { it } from 'vitest';
import { http, PROCESS_ADMIN } from '../support/process.js';
import { DESKTOP, firstPage, shot, signInUi, startWeb } from './support/browser.js';
it('debug', async () => {
  const web = await startWeb();
  try {
    const app = await http(web.url, 'POST', '/api/apps', { name: 'A' }, web.server.token);
    const form = await http(web.url, 'POST', `/api/apps/${app.body.id}/forms`, { name: 'F', fields: [{ key: 'amount', type: 'number', label: 'Amount' }, { key: 'reason', type: 'text', label: 'Reason' }], rules: [{ field: 'reason', visible: { '>': [{ var: 'amount' }, 1] } }] }, web.server.token);
    const ctx = await web.context(DESKTOP);
    const page = await firstPage(ctx);
    page.on('console', (m) => console.log('CONSOLE', m.type(), m.text()));
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message, e.stack));
    await signInUi(page, '/designer/', PROCESS_ADMIN.email, PROCESS_ADMIN.password);
    await page.getByRole('heading', { name: 'From template' }).waitFor();
    await page.goto(`/designer/forms/${form.body.id}`);
    const canvas = page.getByRole('region', { name: 'Form canvas' });
    await canvas.getByRole('button', { name: 'Move Amount' }).focus();
    const live = async (w: string) => console.log('LIVE', w, JSON.stringify(await page.locator('[role=status][aria-live]').allTextContents()), await page.evaluate(() => document.activeElement?.getAttribute('aria-label')));
    await page.keyboard.press('Space');
    await page.waitForTimeout(300);
    await live('after space');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(300);
    await live('after down');
    await page.keyboard.press('Space');
    await page.waitForTimeout(300);
    await live('after drop');
    console.log('ORDER', await canvas.getByRole('button', { name: /^Move / }).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label'))));
    await shot(page, 'debug2');
  } finally { await web.close(); }
}, 60000);
