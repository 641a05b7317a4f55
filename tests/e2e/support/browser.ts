// Browser tests: Debian's chromium driven by playwright-core, against the BUILT server and the
// BUILT front ends (npm test builds them), on a temporary data folder. Never downloads a browser.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { ROOT, startServerProcess, type ServerProcess } from '../../support/process.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'test-output', 'screenshots');

/** a phone (360×740, touch) or a desktop (1366×900) */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
export const DESKTOP = { viewport: { width: 1366, height: 900 } } as const;

export interface Web {
  server: ServerProcess;
  url: string;
  /** a fresh browser profile (own cookies and storage) with the given device */
  context(device?: typeof PHONE | typeof DESKTOP, opts?: { locale?: string }): Promise<BrowserContext>;
  close(): Promise<void>;
}

function checkBuilt(): void {
  for (const p of ['runtime/app/dist/index.html', 'designer/dist/index.html']) {
    if (!existsSync(path.join(ROOT, p))) throw new Error(`${p} is missing: run "pnpm run build" first (npm test does)`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (npm test does)`);
}

/** Starts the built server on a temporary data folder; each `context()` is a separate chromium profile. */
export async function startWeb(env: Record<string, string> = {}): Promise<Web> {
  checkBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'trellis-e2e-'));
  const server = await startServerProcess({ DATA_DIR: dataDir, ...env });
  const contexts: BrowserContext[] = [];
  const profiles: string[] = [];
  return {
    server,
    url: server.url,
    async context(device = DESKTOP, opts = {}) {
      const profile = mkdtempSync(path.join(tmpdir(), 'trellis-chromium-'));
      profiles.push(profile);
      const ctx = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
        baseURL: server.url,
        locale: opts.locale ?? 'en-US',
        ...device,
      });
      ctx.setDefaultTimeout(15_000);
      contexts.push(ctx);
      return ctx;
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      for (const p of profiles) rmSync(p, { recursive: true, force: true });
    },
  };
}

/** the page a persistent context opens with */
export async function firstPage(ctx: BrowserContext): Promise<Page> {
  return ctx.pages()[0] ?? (await ctx.newPage());
}

/** saves test-output/screenshots/<name>.png (not committed) and returns its path */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: opts.fullPage ?? false });
  return file;
}

/** fails the test on any uncaught page error or console error, so a broken screen is not silently passed */
export function watchErrors(page: Page): { errors: string[] } {
  const state = { errors: [] as string[] };
  page.on('pageerror', (e) => state.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) state.errors.push(`console: ${m.text()}`);
  });
  return state;
}

/** signs in through the sign-in form of /app or /designer */
export async function signInUi(page: Page, base: '/app/' | '/designer/', email: string, password: string): Promise<void> {
  await page.goto(base);
  await page.getByLabel(/Email|邮箱/).fill(email);
  await page.getByLabel(/Password|密码/).fill(password);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
}

/** a real pointer drag: press on the source, move in steps, release over the target point */
export async function dragTo(page: Page, source: Locator, target: { x: number; y: number }): Promise<void> {
  const from = await source.boundingBox();
  if (!from) throw new Error('drag source is not visible');
  const sx = from.x + from.width / 2;
  const sy = from.y + from.height / 2;
  await page.mouse.move(sx, sy);
  await page.mouse.down();
  await page.mouse.move(sx + 12, sy + 4, { steps: 4 });
  await page.mouse.move(target.x, target.y, { steps: 16 });
  await page.mouse.move(target.x, target.y + 1, { steps: 2 });
  await page.mouse.up();
}

/** a point of a drop zone: near its bottom (to append) or its centre */
export async function pointOf(zone: Locator, where: 'bottom' | 'centre'): Promise<{ x: number; y: number }> {
  const box = await zone.boundingBox();
  if (!box) throw new Error('drop zone is not visible');
  return { x: box.x + box.width / 2, y: where === 'bottom' ? box.y + box.height - 24 : box.y + box.height / 2 };
}

/** draws a workflow edge as a designer does: from one node's bottom handle to another's top handle */
export async function connectNodes(page: Page, from: string, to: string): Promise<void> {
  const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const edge = page.locator(`.react-flow__edge[data-id="${from}->${to}"]`);
  // a drag can be lost on a loaded machine (a pointer event handled late): settle, then try
  // again more slowly, with a pause over the target before release (at most 3 times)
  for (let attempt = 0; ; attempt++) {
    await page.waitForTimeout(300 + attempt * 300);
    const src = await node(from).locator('.react-flow__handle.source').boundingBox();
    const dst = await node(to).locator('.react-flow__handle.target').boundingBox();
    if (!src || !dst) throw new Error(`handles of ${from} or ${to} not on screen`);
    const target = { x: dst.x + dst.width / 2, y: dst.y + dst.height / 2 };
    await page.mouse.move(src.x + src.width / 2, src.y + src.height / 2);
    await page.mouse.down();
    await page.mouse.move(src.x + src.width / 2 + 6, src.y + src.height / 2 + 10, { steps: 3 });
    await page.mouse.move(target.x, target.y, { steps: 12 + attempt * 12 });
    await page.waitForTimeout(50 + attempt * 150);
    await page.mouse.move(target.x, target.y + 1);
    await page.mouse.up();
    try {
      await edge.waitFor({ timeout: 4000 });
      return;
    } catch (e) {
      if (attempt < 2) continue;
      // say what lay under the pointer, so a failure in CI can be understood from its message
      const under = await page.evaluate(({ x, y }) => {
        const el = document.elementFromPoint(x, y);
        return el ? `${el.tagName.toLowerCase()}.${String(el.className)}${el.closest('[data-id]') ? ` in [data-id=${el.closest('[data-id]')!.getAttribute('data-id')}]` : ''}` : 'nothing';
      }, target);
      const edges = await page.locator('.react-flow__edge').evaluateAll((els) => els.map((el) => el.getAttribute('data-id')));
      throw new Error(`no edge ${from}->${to} after 3 drags; at the target handle (${Math.round(target.x)}, ${Math.round(target.y)}) lies ${under}; edges: ${edges.join(', ')}; ${(e as Error).message}`);
    }
  }
}
