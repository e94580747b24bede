// `copydesk serve` in a real browser: type a draft with a repeated
// paragraph, see it highlighted, apply its fix, check the text; copy the
// fixed text and compare it with what `copydesk check --fix` writes.
//
// COPYDESK names the binary (default: target/release/copydesk), CHROMIUM
// the browser (default: /usr/bin/chromium). Screenshots go to
// target/screenshots/; with UPDATE_SCREENSHOTS=1 also to docs/images/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const copydesk = process.env.COPYDESK || path.join(root, 'target', 'release', 'copydesk');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = path.join(root, 'target', 'screenshots');

// A story made up for this test.
const HEADLINE_PARAGRAPH = 'Council approves bus lanes on three roads';
const REPEATED =
  'The city council voted 7-2 on Tuesday to add bus lanes on three main roads, ' +
  'a plan that officials said would cut journey times by 15 percent.';
const QUOTE = 'Mayor Ana Ruiz said the the lanes would open in the spring.';
const LAST = 'Ruiz said drivers had been consulted.';
const DRAFT = [HEADLINE_PARAGRAPH, REPEATED, QUOTE, REPEATED, LAST].join('\n\n') + '\n';

let server;
let url;
let browser;
let folder;

// Start `copydesk serve --port 0` in an empty folder and read its URL line.
function startServer() {
  folder = mkdtempSync(path.join(tmpdir(), 'copydesk-serve-'));
  const child = spawn(copydesk, ['serve', '--port', '0'], {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/\S+)\n/);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`copydesk serve exited (${code}): ${err}`)));
    child.on('error', reject);
  });
}

// What `copydesk check --fix` writes for a draft given on standard input.
function fixedByCheck(text) {
  const r = spawnSync(copydesk, ['check', '--fix', '--stdin-filename', 'draft.txt', '-'], {
    cwd: folder,
    input: text,
    encoding: 'utf8'
  });
  assert.ok(r.status === 0 || r.status === 1, `check --fix failed: ${r.stderr}`);
  return r.stdout;
}

async function settled(page) {
  await page.waitForSelector('body[data-state="checked"]');
}

before(async () => {
  ({ child: server, url } = await startServer());
  browser = await chromium.launch({
    executablePath: browserPath,
    // Chromium refuses its sandbox as root (CI runs as root).
    args: ['--no-sandbox']
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGINT');
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test('the URL line names a loopback address', () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('a repeated paragraph is highlighted as it is typed, and its fix applies', async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  const draft = page.locator('#draft');
  // Typed as a reporter would: the last paragraphs key by key.
  const typedFrom = DRAFT.indexOf(REPEATED, DRAFT.indexOf(QUOTE));
  await draft.fill(DRAFT.slice(0, typedFrom));
  await draft.pressSequentially(DRAFT.slice(typedFrom));
  await settled(page);
  assert.equal(await draft.inputValue(), DRAFT);

  // The repeat is marked where it stands, and its first appearance too.
  const marks = page.locator('mark.cd-finding[data-rule="repeated-paragraph"]');
  await marks.first().waitFor();
  const marked = (await marks.allTextContents()).join('');
  assert.equal(marked, REPEATED);
  const index = await marks.first().getAttribute('data-finding-index');
  const labels = page.locator(`mark.cd-label[data-finding-index="${index}"]`);
  assert.equal((await labels.allTextContents()).join(''), REPEATED);
  const repeatStart = DRAFT.lastIndexOf(REPEATED);
  const story = await page.locator('.cd-text').textContent();
  assert.equal(story, DRAFT, 'the story view shows the draft as typed');
  assert.ok(repeatStart > DRAFT.indexOf(REPEATED));

  // The doubled word is marked too, and the list counts both.
  const doubled = page.locator('mark.cd-finding[data-rule="doubled-word"]');
  assert.equal((await doubled.allTextContents()).join(''), 'the the');
  await page.locator('.cd-item').nth(1).waitFor();

  // Open the repeat's details: its message and its fix.
  await marks.first().click();
  const popup = page.locator('.cd-popup');
  await popup.waitFor({ state: 'visible' });
  assert.match(await popup.textContent(), /repeats the one at line 3/);
  mkdirSync(shots, { recursive: true });
  const shot = path.join(shots, 'serve.png');
  await page.screenshot({ path: shot });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(path.join(root, 'docs', 'images'), { recursive: true });
    copyFileSync(shot, path.join(root, 'docs', 'images', 'serve.png'));
  }

  await popup.locator('button.cd-fix').click();
  await settled(page);
  const once = [HEADLINE_PARAGRAPH, REPEATED, QUOTE, LAST].join('\n\n') + '\n';
  assert.equal(await draft.inputValue(), once);
  assert.equal(await marks.count(), 0, 'no repeat is marked after the fix');
  assert.equal(await doubled.count(), 1, 'the doubled word is still there');
  await page.screenshot({ path: path.join(shots, 'serve-fixed.png') });
  await context.close();
});

test('"Fix all safe problems" and "Copy fixed text" give what check --fix writes', async () => {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  await page.goto(url);
  const draft = page.locator('#draft');
  await draft.fill(DRAFT);
  await settled(page);
  const expected = fixedByCheck(DRAFT);
  assert.notEqual(expected, DRAFT);

  await page.locator('#copy-fixed').click();
  await page.locator('#status', { hasText: 'Copied the fixed text.' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), expected);
  assert.equal(await draft.inputValue(), DRAFT, 'copying leaves the draft as it is');

  await page.locator('#fix-all').click();
  await settled(page);
  assert.equal(await draft.inputValue(), expected);
  assert.equal(await page.locator('mark.cd-finding').count(), 0);
  assert.ok(await page.locator('#fix-all').isDisabled(), 'nothing is left to fix');
  await context.close();
});

test('a server error is shown in plain words', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  // A draft over the server's size limit is refused with a message.
  await page.locator('#draft').fill('word '.repeat(500 * 1024));
  await page.waitForSelector('body[data-state="error"]');
  assert.match(await page.locator('#error').textContent(), /too long to check here/);
  await context.close();
});
