// The shared renderer (src/report/assets/story.js) on its own, with spans
// no built-in rule gives the sample draft: findings that overlap, nest and
// share boundaries, a zero-width span, offsets past astral characters, and
// draft text and messages that look like markup. It is what the HTML report
// and the serve page both draw with.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch, recordingPage, root } from './common.mjs';

const js = readFileSync(path.join(root, 'src/report/assets/story.js'), 'utf8');
const css = readFileSync(path.join(root, 'src/report/assets/story.css'), 'utf8');

// JavaScript string offsets (UTF-16 units) of `part` in `text`.
function span(text, part, from = 0) {
  const start = text.indexOf(part, from);
  assert.ok(start >= 0, part);
  return { start, end: start + part.length };
}

const text = '😀 <b>Bold</b> said the the council <img src=x onerror="window.owned=1">.\n' +
  'Second line &amp; more </script> text.';
const finding = (rule, severity, where, extra = {}) => ({
  rule, severity, message: `${rule} <i>message</i>`, line: 1, column: 1,
  labels: [], notes: [], fix: null, ...where, ...extra,
});
const story = {
  path: 'a<b>.txt',
  markdown: false,
  text,
  findings: [
    // Overlapping: "said the" and "the the council".
    finding('outer', 'error', span(text, 'said the')),
    finding('overlap', 'warning', span(text, 'the the council'), {
      labels: [{ ...span(text, '<b>Bold</b>'), line: 1, column: 3, message: 'first appears <u>here</u>' }],
      notes: ['a note with <em>markup</em>'],
      fix: { applicability: 'safe', description: 'drop <the>', edits: [{ ...span(text, 'the '), replacement: '' }] },
    }),
    // Nested inside "the the council", sharing its end.
    finding('nested', 'note', span(text, 'council')),
    // Zero width, after the emoji (two UTF-16 units).
    finding('empty', 'warning', { start: 2, end: 2 }),
    // Markup in the text itself, and a span on the second line.
    finding('markup', 'error', span(text, '<img src=x onerror="window.owned=1">')),
    finding('second', 'note', span(text, '&amp; more </script>'), {
      fix: { applicability: 'unsafe', description: 'maybe', edits: [{ ...span(text, '&amp;'), replacement: '&' }] },
    }),
  ],
};

let browser;
let page;
before(async () => {
  browser = await launch();
  page = await recordingPage(browser);
  await page.setContent('<!DOCTYPE html><html><body><div id="cd-story"></div><div id="cd-list"></div></body></html>');
  await page.addStyleTag({ content: css });
  await page.addScriptTag({ content: js });
  await page.evaluate((s) => {
    window.story = s;
    window.fixed = [];
    window.selected = [];
    const options = {
      onFix: (f, i) => window.fixed.push([f.rule, i]),
      onSelect: (f, i) => window.selected.push([f.rule, i]),
    };
    window.view = Copydesk.renderStory(document.getElementById('cd-story'), s, options);
    Copydesk.renderFindingList(document.getElementById('cd-list'), s, options);
  }, story);
});
after(async () => {
  await browser.close();
});

test('each finding and label is marked at exactly its span, whatever overlaps it', async () => {
  const got = await page.evaluate(() => window.story.findings.map((f, i) => {
    const marks = Array.from(document.querySelectorAll(`mark.cd-finding[data-finding-index="${i}"]`));
    const labels = Array.from(document.querySelectorAll(`mark.cd-label[data-finding-index="${i}"]`));
    return {
      marks: marks.length,
      rules: [...new Set(marks.map((m) => m.getAttribute('data-rule')))],
      text: marks.map((m) => m.textContent).join(''),
      label: labels.map((m) => m.textContent).join(''),
    };
  }));
  story.findings.forEach((f, i) => {
    assert.ok(got[i].marks > 0, `${f.rule} has a mark`);
    assert.deepEqual(got[i].rules, [f.rule]);
    assert.equal(got[i].text, text.slice(f.start, f.end), f.rule);
    assert.equal(got[i].label, f.labels.map((l) => text.slice(l.start, l.end)).join(''), `${f.rule}'s label`);
  });
  // The overlap is cut into pieces: "the" belongs to both findings.
  const both = await page.$$eval('mark.cd-finding[data-rule="outer"] mark.cd-finding[data-rule="overlap"]', (ms) => ms.map((m) => m.textContent));
  assert.deepEqual(both, ['the']);
  // "council" is inside "the the council".
  assert.equal(await page.$eval('mark[data-rule="overlap"] > mark[data-rule="nested"]', (m) => m.textContent), 'council');
  // The whole text is drawn, once, in order.
  assert.equal(await page.textContent('.cd-text'), text);
});

test('a zero-width finding is still visible', async () => {
  const box = await page.$eval('mark.cd-empty[data-rule="empty"]', (m) => {
    const r = m.getBoundingClientRect();
    return { width: r.width, height: r.height, text: m.textContent };
  });
  assert.equal(box.text, '');
  assert.ok(box.width > 0 && box.height > 0, JSON.stringify(box));
});

test('text and messages that look like markup stay text', async () => {
  assert.equal(await page.evaluate(() => window.owned), undefined);
  assert.equal(await page.locator('#cd-story img, #cd-story b, #cd-list i, #cd-story i, #cd-story em, #cd-story u').count(), 0);
  await page.click('mark[data-rule="overlap"]:not(:has(mark))');
  const popup = page.locator('.cd-popup');
  assert.equal(await popup.locator('.cd-message').textContent(), 'overlap <i>message</i>');
  assert.equal(await popup.locator('.cd-notes li').textContent(), 'a note with <em>markup</em>');
  assert.equal(await popup.locator('.cd-label-link').textContent(), 'line 1, column 3: first appears <u>here</u>');
  assert.equal(await page.locator('#cd-story img, #cd-story em, #cd-story u, #cd-story i').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('onSelect and onFix are called; only safe fixes get a button', async () => {
  await page.evaluate(() => { window.selected = []; window.fixed = []; });
  await page.click('#cd-list .cd-item[data-finding-index="4"] .cd-item-link');
  assert.deepEqual(await page.evaluate(() => window.selected), [['markup', 4]]);
  assert.equal(await page.locator('.cd-popup .cd-message').textContent(), 'markup <i>message</i>');
  const buttons = await page.$$eval('#cd-list button.cd-fix', (bs) => bs.map((b) => [b.getAttribute('data-finding-index'), b.textContent]));
  assert.deepEqual(buttons, [['1', 'Fix: drop <the>']]);
  await page.click('#cd-list button.cd-fix');
  assert.deepEqual(await page.evaluate(() => window.fixed), [['overlap', 1]]);
  // The details of a finding with a safe fix offer the same button.
  await page.click('mark[data-rule="overlap"]:not(:has(mark))');
  await page.click('.cd-popup button.cd-fix');
  assert.deepEqual(await page.evaluate(() => window.fixed), [['overlap', 1], ['overlap', 1]]);
  // The list counts by severity and groups errors first.
  assert.equal(await page.textContent('.cd-list-summary'), '6 findings: 2 errors, 2 warnings, 2 notes');
  assert.deepEqual(await page.$$eval('.cd-group', (gs) => gs.map((g) => `${g.getAttribute('data-severity')} ${g.getAttribute('data-rule')}`)),
    ['error markup', 'error outer', 'warning empty', 'warning overlap', 'note nested', 'note second']);
  assert.deepEqual(page.requests, []);
});
