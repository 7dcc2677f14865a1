/**
 * The core runs in a browser: bundled with esbuild (platform: browser, so no Node built-in can slip
 * in), served on 127.0.0.1 with the web example (scripts/serve-web.ts), and driven in headless Chromium,
 * which decodes a protected NAS capture with its keys: MACs verify, the inner messages are named.
 * Fails, not skips, when Chromium is missing: CI installs it (.ci/run).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWeb } from '../../scripts/serve-web.js';

const CHROMIUM = '/usr/bin/chromium';
const root = (p: string) => new URL(`../../${p}`, import.meta.url);

describe('in a browser', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mtcgk-browser-'));
  let close: () => Promise<void>;
  let base = '';
  let context: BrowserContext;

  beforeAll(async () => {
    ({ url: base, close } = await serveWeb());
    base = base.replace(/\/$/, '');
    context = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      chromiumSandbox: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await close?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('decodes and verifies a protected NAS capture with its keys', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]');
    // the default content: one plain message
    expect(await page.textContent('#frames tbody tr td:nth-child(3)')).toBe('Identity request');

    const capture = readFileSync(root('captures/nas-eps-protected.txt'), 'utf8')
      .split('\n')
      .filter((l) => /^(UL|DL) /.test(l))
      .slice(0, 5);
    await page.fill('#hex', capture.join('\n'));
    await page.fill('#keys', readFileSync(root('captures/nas-eps-protected.keys.json'), 'utf8'));
    await page.click('#decode');
    const rows = await page.$$eval('#frames tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rows.map((r) => [r[1], r[2], r[3]])).toEqual([
      ['DL', 'Security mode command', 'good'],
      ['UL', 'Security mode complete', 'good'],
      ['DL', 'Identity request', 'good'],
      ['UL', 'Identity response', 'good'],
      ['DL', 'EMM status', 'good'],
    ]);
    expect(await page.textContent('#status')).toBe('5 messages decoded');
    expect(await page.textContent('#tree')).toContain('MAC status: Good');
    expect(errors).toEqual([]);
  }, 30_000);
});
