// `copydesk serve` in a real browser: type a draft with a repeated
// paragraph, see it highlighted, apply its fix, check the text; copy the
// fixed text and compare it with what `copydesk check --fix` writes.
// Screenshots: target/screenshots/serve*.png; with UPDATE_SCREENSHOTS=1
// serve.png also goes to docs/images/ (the README's).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copydesk, exe, launch, recordingPage, screenshot } from './common.mjs';

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
  // Its own settings: no copydesk.toml of a folder above applies.
  writeFileSync(path.join(folder, 'copydesk.toml'), '');
  const child = spawn(exe, ['serve', '--port', '0'], {
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
  return copydesk(['check', '--fix', '--stdin-filename', 'draft.txt', '-'], {
    cwd: folder,
    input: text
  }).stdout;
}

// What a page did beyond this server: requests elsewhere, script errors.
function clean(page) {
  const origin = new URL(url).origin;
  assert.deepEqual(page.requests.filter((r) => new URL(r).origin !== origin), []);
  assert.deepEqual(page.errors, []);
}

async function settled(page) {
  await page.waitForSelector('body[data-state="checked"]');
}

before(async () => {
  ({ child: server, url } = await startServer());
  browser = await launch();
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
  const page = await recordingPage(browser);
  await page.setViewportSize({ width: 1360, height: 900 });
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
  await screenshot(page, 'serve.png', { docs: true });

  await popup.locator('button.cd-fix').click();
  await settled(page);
  const once = [HEADLINE_PARAGRAPH, REPEATED, QUOTE, LAST].join('\n\n') + '\n';
  assert.equal(await draft.inputValue(), once);
  assert.equal(await marks.count(), 0, 'no repeat is marked after the fix');
  assert.equal(await doubled.count(), 1, 'the doubled word is still there');
  await screenshot(page, 'serve-fixed.png');
  clean(page);
  await page.context().close();
});

test('"Fix all safe problems" and "Copy fixed text" give what check --fix writes', async () => {
  const page = await recordingPage(browser);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(url).origin
  });
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
  clean(page);
  await page.context().close();
});

test('a server error is shown in plain words', async () => {
  const page = await recordingPage(browser);
  await page.goto(url);
  // A draft over the server's size limit is refused with a message.
  await page.locator('#draft').fill('word '.repeat(500 * 1024));
  await page.waitForSelector('body[data-state="error"]');
  assert.match(await page.locator('#error').textContent(), /too long to check here/);
  await page.context().close();
});
