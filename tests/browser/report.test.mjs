// `copydesk check --format html` in a real browser: every finding that
// `check --format json` reports is highlighted at exactly its words (and
// each label at its own), a click shows the finding's message, labels and
// findings lead to each other, the side list selects highlights, a folder's
// index opens each story on demand, and the page makes no request.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { copydesk, launch, recordingPage, root, screenshot } from './common.mjs';

let browser;
let work;
before(async () => {
  browser = await launch();
  work = mkdtempSync(path.join(tmpdir(), 'copydesk-html-'));
});
after(async () => {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
});

// The HTML report and the JSON findings of the same run, from `cwd`.
function reports(args, cwd, name) {
  const html = path.join(work, name);
  writeFileSync(html, copydesk(['check', '--no-config', '--format', 'html', ...args], { cwd }).stdout);
  const json = JSON.parse(copydesk(['check', '--no-config', '--format', 'json', ...args], { cwd }).stdout);
  return { html, url: pathToFileURL(html).href, json };
}

// What each finding of `check --format json` must highlight: the bytes of
// its span in the file, which must also be the text between its line and
// column positions, and the text of each label by its positions.
function expectedMarks(file, findings) {
  const bytes = readFileSync(file);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const chars = Array.from(text);
  const lineStarts = [0];
  chars.forEach((c, i) => {
    if (c === '\n') lineStarts.push(i + 1);
  });
  const slice = (p) => chars.slice(lineStarts[p.line - 1] + p.column - 1,
    lineStarts[p.end_line - 1] + p.end_column - 1).join('');
  return findings.map((f) => {
    const exact = bytes.subarray(f.byte_start, f.byte_end).toString('utf8');
    assert.equal(slice(f), exact, `${f.rule} at ${f.line}:${f.column}: JSON bytes and columns disagree`);
    return {
      rule: f.rule,
      where: `${f.line}:${f.column}`,
      message: f.message,
      marked: true,
      markRules: [f.rule],
      text: exact,
      labels: f.labels.map(slice),
    };
  });
}

// What the opened story highlights, finding by finding, read from the
// page: the marks of each finding and label, in document order.
function highlighted(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll('#cd-list .cd-item')).map((item) => {
    const i = item.getAttribute('data-finding-index');
    const marks = Array.from(document.querySelectorAll(`#cd-story mark.cd-finding[data-finding-index="${i}"]`));
    const labels = [];
    document.querySelectorAll(`#cd-story mark.cd-label[data-finding-index="${i}"]`).forEach((m) => {
      const j = Number(m.getAttribute('data-label-index'));
      labels[j] = (labels[j] || '') + m.textContent;
    });
    return {
      rule: item.closest('.cd-group').getAttribute('data-rule'),
      where: item.querySelector('.cd-where').textContent,
      message: item.querySelector('.cd-item-message').textContent,
      marked: marks.length > 0,
      markRules: [...new Set(marks.map((m) => m.getAttribute('data-rule')))],
      text: marks.map((m) => m.textContent).join(''),
      labels: Array.from(labels, (l) => (l === undefined ? null : l)),
    };
  }));
}

const byPlace = (a, b) => (a.where + a.rule).localeCompare(b.where + b.rule, 'en', { numeric: true });

function assertSameMarks(got, want, what) {
  assert.ok(want.length > 0, `${what}: the JSON report has findings to look for`);
  assert.deepEqual([...got].sort(byPlace), [...want].sort(byPlace), `${what}: highlights differ from check --format json`);
}

// The page fetched nothing but itself and ran without script errors.
function assertSelfContained(page, url) {
  const others = page.requests.filter((u) => u.split('#')[0] !== url);
  assert.deepEqual(others, [], 'the page made requests');
  assert.deepEqual(page.errors, [], 'script errors');
}

// Links change the address's #story-N and the page follows on the
// hashchange event, after a click returns: these wait for it.
function storyOpened(page, want) {
  return page.waitForFunction((p) => !document.getElementById('cd-open').hidden &&
    document.getElementById('cd-path').textContent === p, want);
}
function indexShown(page) {
  return page.waitForFunction(() => !document.getElementById('cd-index').hidden &&
    document.getElementById('cd-open').hidden);
}

// A mark of finding `i` with no mark inside it, so a click lands on it.
const innermost = (i) => `#cd-story mark.cd-finding[data-finding-index="${i}"]:not(:has(mark))`;

async function findingIndex(page, rule) {
  return page.$eval(`#cd-list .cd-group[data-rule="${rule}"] .cd-item`, (e) => e.getAttribute('data-finding-index'));
}

for (const story of ['examples/draft.txt', 'tests/nvim/accents.md']) {
  test(`every finding of ${story} is highlighted at exactly its words`, async () => {
    const r = reports([story], root, `${path.basename(story)}.html`);
    const page = await recordingPage(browser);
    await page.goto(r.url);
    await page.waitForSelector('#cd-story mark');
    assert.equal(await page.textContent('#cd-path'), story);
    assertSameMarks(await highlighted(page), expectedMarks(path.join(root, story), r.json), story);
    // The drawn text is the file's text, nothing added or lost.
    const text = readFileSync(path.join(root, story), 'utf8').replace(/^\uFEFF/, '');
    assert.equal(await page.textContent('#cd-story pre'), text);
    assertSelfContained(page, r.url);
    await page.context().close();
  });
}

test('a click shows the message; a label and its finding lead to each other', async () => {
  const r = reports(['examples/draft.txt'], root, 'click.html');
  const page = await recordingPage(browser);
  await page.goto(r.url);
  const repeated = r.json.find((f) => f.rule === 'repeated-paragraph');
  assert.ok(repeated && repeated.labels.length, 'the sample draft repeats a paragraph');
  const i = await findingIndex(page, 'repeated-paragraph');

  // Nothing is shown until a highlight is clicked.
  assert.equal(await page.isVisible('#cd-story .cd-popup'), false);
  await page.click(innermost(i));
  const popup = page.locator('#cd-story .cd-popup');
  assert.equal(await popup.isVisible(), true);
  assert.equal(await popup.locator('.cd-message').textContent(), repeated.message);
  assert.equal(await popup.locator('.cd-rule').textContent(), 'repeated-paragraph');
  assert.ok((await popup.textContent()).includes(repeated.fix.description), 'the fix is described');
  assert.equal(await page.locator(`#cd-story mark.cd-finding.cd-selected[data-finding-index="${i}"]`).count() > 0, true);
  assert.equal(await page.locator(`#cd-list .cd-item.cd-selected[data-finding-index="${i}"]`).count(), 1);
  // Its label is marked as linked, and its link in the details leads there.
  const label = page.locator(`#cd-story mark.cd-label[data-finding-index="${i}"][data-label-index="0"]`);
  assert.equal(await label.first().getAttribute('class').then((c) => c.includes('cd-linked')), true);
  const link = popup.locator('.cd-label-link[data-label-index="0"]');
  const l0 = repeated.labels[0];
  assert.equal(await link.textContent(), `line ${l0.line}, column ${l0.column}: ${l0.message}`);
  await link.click();
  assert.equal(await label.first().evaluate((m) => m.classList.contains('cd-flash')), true);
  assert.equal(await label.first().isVisible(), true);

  // A label leads back to its finding. Another finding is selected and
  // closed first, so the label's click is what selects this one.
  const name = await findingIndex(page, 'name-form');
  await page.click(innermost(name));
  assert.equal(await popup.locator('.cd-rule').textContent(), 'name-form');
  await page.keyboard.press('Escape');
  assert.equal(await popup.isVisible(), false);
  assert.equal(await page.locator('#cd-story mark.cd-selected').count(), 0);
  await page.click(`#cd-story mark.cd-label[data-finding-index="${i}"][data-label-index="0"]:not(:has(mark))`);
  assert.equal(await popup.locator('.cd-message').textContent(), repeated.message);
  assert.equal(await page.locator(`#cd-story mark.cd-finding.cd-selected[data-finding-index="${i}"]`).count() > 0, true);

  // Hovering shows a finding's message; Escape closes the details.
  const figure = r.json.find((f) => f.rule === 'unsourced-figure');
  const fi = await findingIndex(page, 'unsourced-figure');
  await page.hover(innermost(fi));
  assert.equal(await popup.locator('.cd-message').textContent(), figure.message);
  await page.click(innermost(i));
  await screenshot(page, 'html-report.png', { docs: true });
  await page.keyboard.press('Escape');
  assert.equal(await popup.isVisible(), false);
  assertSelfContained(page, r.url);
  await page.context().close();
});

test('the side list groups findings by rule and severity and selects their highlights', async () => {
  const r = reports(['examples/draft.txt'], root, 'list.html');
  const page = await recordingPage(browser);
  await page.goto(r.url);
  const groups = await page.$$eval('#cd-list .cd-group', (gs) => gs.map((g) => ({
    rule: g.getAttribute('data-rule'),
    severity: g.getAttribute('data-severity'),
    count: Number(g.querySelector('.cd-count').textContent),
    items: g.querySelectorAll('.cd-item').length,
  })));
  const want = new Map();
  for (const f of r.json) {
    const key = `${f.severity} ${f.rule}`;
    want.set(key, (want.get(key) || 0) + 1);
  }
  assert.deepEqual(
    new Map(groups.map((g) => [`${g.severity} ${g.rule}`, g.count])),
    want,
  );
  groups.forEach((g) => assert.equal(g.items, g.count, g.rule));
  const rank = { error: 0, warning: 1, note: 2 };
  const order = groups.map((g) => rank[g.severity]);
  assert.deepEqual(order, [...order].sort(), 'errors first, then warnings, then notes');

  // Clicking an entry selects its highlight and shows its message.
  const last = r.json[r.json.length - 1];
  const item = page.locator(`#cd-list .cd-item:has(.cd-where:text-is("${last.line}:${last.column}"))`);
  const i = await item.getAttribute('data-finding-index');
  await item.locator('.cd-item-link').click();
  assert.equal(await page.locator(`#cd-story mark.cd-finding.cd-selected[data-finding-index="${i}"]`).count() > 0, true);
  assert.equal(await page.locator('#cd-story .cd-popup .cd-message').textContent(), last.message);
  // The report has no fix buttons: it only reads.
  assert.equal(await page.locator('button.cd-fix').count(), 0);
  assertSelfContained(page, r.url);
  await page.context().close();
});

test('a folder is an index with counts; a story is drawn only when opened', async () => {
  const desk = path.join(work, 'desk');
  mkdirSync(desk, { recursive: true });
  copyFileSync(path.join(root, 'examples/draft.txt'), path.join(desk, 'a-draft.txt'));
  copyFileSync(path.join(root, 'tests/nvim/accents.md'), path.join(desk, 'b-accents.md'));
  writeFileSync(path.join(desk, 'c-brief.txt'), 'Council meets\n\nThe council meets on Monday.\n');
  const r = reports(['desk'], work, 'desk.html');
  const page = await recordingPage(browser);
  await page.goto(r.url);
  const rows = await page.$$eval('#cd-files tr.cd-file', (trs) => trs.map((tr) => ({
    path: tr.querySelector('.cd-file-link').textContent,
    counts: Array.from(tr.querySelectorAll('.cd-n'), (td) => Number(td.textContent)),
  })));
  const paths = ['desk/a-draft.txt', 'desk/b-accents.md', 'desk/c-brief.txt'];
  assert.deepEqual(rows.map((row) => row.path), paths);
  for (const row of rows) {
    const of = r.json.filter((f) => f.path === row.path);
    const n = (s) => of.filter((f) => f.severity === s).length;
    assert.deepEqual(row.counts, [n('error'), n('warning'), n('note')], row.path);
  }
  // No story is drawn before one is opened.
  assert.equal(await page.isVisible('#cd-open'), false);
  assert.equal(await page.locator('#cd-story mark').count(), 0);
  await screenshot(page, 'html-report-index.png');

  // The filter narrows the index by name.
  await page.fill('#cd-filter', 'ACCENTS');
  assert.deepEqual(await page.$$eval('#cd-files tr.cd-file:not([hidden]) .cd-file-link', (as) => as.map((a) => a.textContent)), ['desk/b-accents.md']);
  assert.equal(await page.textContent('#cd-shown'), '1 of 3 files');
  await page.fill('#cd-filter', '');

  // Opening a story draws it, highlighted as check --format json says.
  await page.click('#cd-files a.cd-file-link:text-is("desk/b-accents.md")');
  await storyOpened(page, 'desk/b-accents.md');
  assertSameMarks(await highlighted(page),
    expectedMarks(path.join(desk, 'b-accents.md'), r.json.filter((f) => f.path === 'desk/b-accents.md')),
    'desk/b-accents.md');
  // The next story replaces it; the index comes back with the back link.
  await page.click('#cd-next');
  await storyOpened(page, 'desk/c-brief.txt');
  await page.click('#cd-back');
  await indexShown(page);
  await page.click('#cd-files a.cd-file-link:text-is("desk/a-draft.txt")');
  await storyOpened(page, 'desk/a-draft.txt');
  assertSameMarks(await highlighted(page),
    expectedMarks(path.join(desk, 'a-draft.txt'), r.json.filter((f) => f.path === 'desk/a-draft.txt')),
    'desk/a-draft.txt');
  await page.goBack();
  await indexShown(page);
  assertSelfContained(page, r.url);
  await page.context().close();
});
