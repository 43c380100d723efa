// Debian's Chromium through playwright-core (no browser download), one isolated context per scenario, the QR
// code read back from the page with a real decoder, screenshots.

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { chromium } from 'playwright-core';

import { startDenglu } from '../../../scripts/lib/denglu-dev.cjs';

const HERE = dirname(fileURLToPath(import.meta.url));
export const SCREENSHOTS = resolve(HERE, '../screenshots');

/** Where the browser is; CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Decodes the QR code in a PNG (bytes) with jsQR; the text, or null when there is no readable code. */
export function decodePng(bytes) {
  const png = PNG.sync.read(Buffer.from(bytes));
  const rgba = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length);
  const found = jsQR(rgba, png.width, png.height);
  return found ? found.data : null;
}

/**
 * One scenario's browser context and page, watched: every request (with the time it was sent), console messages,
 * uncaught page errors, and requests to anywhere but the server (aborted, so a test never leaves the machine).
 */
export async function openPage(browser, server) {
  const origin = new URL(server.base).origin;
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 }, locale: 'zh-CN' });
  const outside = [];
  await context.route(
    (url) => url.protocol !== 'data:' && url.protocol !== 'blob:' && url.origin !== origin,
    (route) => {
      outside.push(`${route.request().method()} ${route.request().url()}`);
      return route.abort('blockedbyclient');
    },
  );
  const page = await context.newPage();
  const requests = [];
  const consoleLines = [];
  const pageErrors = [];
  page.on('request', (req) => requests.push({ at: Date.now(), method: req.method(), url: req.url() }));
  page.on('console', (msg) => consoleLines.push(`[${msg.type()}] ${msg.text()}`));
  page.on('pageerror', (error) => pageErrors.push(String(error && error.stack ? error.stack : error)));
  return {
    context,
    page,
    requests,
    consoleLines,
    pageErrors,
    outside,
    /** Requests whose path starts with `path`, optionally only those sent after `since` (ms). */
    count(path, since = 0) {
      return requests.filter((r) => r.at >= since && new URL(r.url).pathname.startsWith(path)).length;
    },
  };
}

/** Saves a screenshot of the page (the viewport, or all of it with fullPage) as screenshots/<name>.png; the path. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * Waits until the page shows a loaded QR image (the widget's `#authing__qrcode-wrapper img` unless `selector` names
 * another, optionally one whose src differs from `notSrc`), fetches its bytes from the test (not the browser) and
 * decodes them. Returns {src, text, scene} where text = `<base>/s/<scene>`.
 */
export async function readQr(page, server, { notSrc = null, timeout = 15_000, selector = '#authing__qrcode-wrapper img' } = {}) {
  const img = page.locator(selector);
  await page.waitForFunction(
    ([sel, previous]) => {
      const el = document.querySelector(sel);
      return Boolean(el && el.src && el.src !== previous && !el.src.startsWith('data:') && el.complete && el.naturalWidth > 0);
    },
    [selector, notSrc],
    { timeout },
  );
  const src = await img.getAttribute('src');
  const res = await fetch(new URL(src, server.base));
  if (res.status !== 200) throw new Error(`QR image ${src}: HTTP ${res.status}`);
  const type = res.headers.get('content-type');
  if (type !== 'image/png') throw new Error(`QR image ${src}: content-type ${type}`);
  const text = decodePng(Buffer.from(await res.arrayBuffer()));
  if (!text) throw new Error(`jsQR found no QR code in ${src}`);
  const prefix = `${server.base}/s/`;
  if (!text.startsWith(prefix)) throw new Error(`QR text ${JSON.stringify(text)} does not start with ${prefix}`);
  return { src, text, scene: text.slice(prefix.length) };
}

/**
 * A test file's fixture: one denglu dev server and one Chromium for all its tests. Returns an object
 * ({server, browser, cleanups}) filled in by before() and torn down by after(). `setup(env)` runs once both are up
 * (top-level before() hooks are not ordered reliably across Node versions, so there is only this one).
 */
export function fixture({ before, after }, { setup } = {}) {
  // cleanups: functions run after the tests, while the server still runs (e.g. restoring settings)
  const env = { server: null, browser: null, cleanups: [] };
  before(async () => {
    env.server = await startDenglu({ name: 'browser' });
    env.browser = await launchChromium();
    if (setup) await setup(env);
  });
  after(async () => {
    try {
      for (const cleanup of env.cleanups.reverse()) await cleanup();
    } finally {
      if (env.browser) await env.browser.close().catch(() => {});
      if (env.server) await env.server.stop();
    }
  });
  return env;
}

/**
 * A browser test: opens a watched page, runs fn(t, watched), and always closes the context. On failure, saves
 * screenshots/FAILED-<shot>.png and reports the page's console, its errors and the server's last log lines.
 */
export function scenario(env, name, shot, fn, { timeout = 120_000 } = {}) {
  return test(name, { timeout }, async (t) => {
    const watched = await openPage(env.browser, env.server);
    try {
      await fn(t, watched);
    } catch (error) {
      try {
        await screenshot(watched.page, `FAILED-${shot}`);
      } catch {
        // the page may be gone
      }
      t.diagnostic(`page URL: ${watched.page.url()}`);
      t.diagnostic(`page console:\n${watched.consoleLines.join('\n') || '(none)'}`);
      t.diagnostic(`page errors:\n${watched.pageErrors.join('\n') || '(none)'}`);
      t.diagnostic(`server log (tail):\n${env.server.tail(30)}`);
      throw error;
    } finally {
      await watched.context.close().catch(() => {});
    }
  });
}

