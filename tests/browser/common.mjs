// What the browser tests share: the repository's paths, running the
// copydesk binary, launching Debian's chromium headless, and pages that
// record every request and script error.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const exe = process.env.COPYDESK || path.join(root, 'target/release/copydesk');
export const screenshots = path.join(root, 'target/screenshots');
mkdirSync(screenshots, { recursive: true });

// Runs copydesk with `args` in `cwd` (the repository by default); returns
// { status, stdout, stderr }. Exit codes 0 and 1 (findings) are normal.
export function copydesk(args, { cwd = root, input } = {}) {
  const r = spawnSync(exe, args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`copydesk ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return r;
}

// Chromium as installed by Debian's package, headless. As root it cannot
// use its sandbox, so it runs without one there.
export async function launch() {
  const args = ['--disable-dev-shm-usage'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args,
  });
}

// A page of 1280x800 that records requests and script errors:
// page.requests (URLs) and page.errors (messages).
export async function recordingPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.requests = [];
  page.errors = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(m.text());
  });
  return page;
}

// Screenshot into target/screenshots/NAME; with UPDATE_SCREENSHOTS=1 and
// { docs: true }, also into docs/images/NAME, the copy the README shows.
export async function screenshot(page, name, { docs = false } = {}) {
  const file = path.join(screenshots, name);
  // Finite animations (a highlight's flash) are shown at their end.
  await page.screenshot({ path: file, animations: 'disabled' });
  if (docs && process.env.UPDATE_SCREENSHOTS === '1') {
    const docs = path.join(root, 'docs/images');
    mkdirSync(docs, { recursive: true });
    copyFileSync(file, path.join(docs, name));
  }
  return file;
}
