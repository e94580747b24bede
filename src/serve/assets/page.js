// The copydesk serve page: sends the draft to POST /api/check as it is
// typed (after a pause, one request at a time, an answer shown only if the
// draft is still the one it was asked about) and draws the answer with the
// shared renderer (Copydesk.renderStory / renderFindingList).
//
// A safe fix applies its edits (UTF-16 offsets, as a JavaScript string
// counts) to the draft the answer was made for, then the draft is checked
// again. "Fix all safe problems" puts the answer's `fixed` text in place:
// the text `copydesk check --fix` would write.
(function () {
  'use strict';

  var PAUSE_MS = 300;
  var STORE_KEY = 'copydesk-serve-draft';

  var draftEl = document.getElementById('draft');
  var headlineEl = document.getElementById('headline');
  var markdownEl = document.getElementById('kind-markdown');
  var textEl = document.getElementById('kind-text');
  var fixAllEl = document.getElementById('fix-all');
  var copyEl = document.getElementById('copy-fixed');
  var statusEl = document.getElementById('status');
  var errorEl = document.getElementById('error');
  var storyEl = document.getElementById('story');
  var findingsEl = document.getElementById('findings');
  var settingsEl = document.getElementById('settings');
  var ruleEl = document.getElementById('rule');
  var ruleIdEl = document.getElementById('rule-id');
  var ruleTextEl = document.getElementById('rule-text');
  var fallbackEl = document.getElementById('copy-fallback');
  var fallbackTextEl = document.getElementById('copy-fallback-text');
  var checkedEl = document.querySelector('.checked');

  // The answer last shown, and the draft it was made for.
  var shown = null;
  var timer = null;
  var inFlight = false;

  function draft() {
    var headline = headlineEl.value.trim();
    return {
      text: draftEl.value,
      markdown: markdownEl.checked,
      headline: headline ? headline : null
    };
  }

  function same(a, b) {
    return a.text === b.text && a.markdown === b.markdown && a.headline === b.headline;
  }

  // Whether the answer shown is for the draft as it is now.
  function current() {
    return shown !== null && same(shown.draft, draft());
  }

  function status(text) {
    statusEl.textContent = text;
  }

  function showError(message, details) {
    errorEl.textContent = '';
    var p = document.createElement('p');
    p.textContent = message;
    errorEl.appendChild(p);
    (details || []).forEach(function (d) {
      var pre = document.createElement('pre');
      pre.textContent = d;
      errorEl.appendChild(pre);
    });
    errorEl.hidden = false;
  }

  function clearError() {
    errorEl.hidden = true;
    errorEl.textContent = '';
  }

  function settle() {
    var fresh = current();
    checkedEl.classList.toggle('stale', !fresh && shown !== null);
    fixAllEl.disabled = !(fresh && shown.answer.fixed !== shown.answer.story.text &&
      shown.answer.safe_fixes > 0);
    copyEl.disabled = !fresh;
    // What a test waits for: the answer shown is for the draft as it is.
    var idle = !inFlight && timer === null;
    document.body.setAttribute('data-state',
      idle && fresh ? 'checked' : idle && !errorEl.hidden ? 'error' : 'checking');
  }

  function schedule(delay) {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(function () {
      timer = null;
      send();
    }, delay);
    settle();
  }

  function send() {
    if (inFlight) return;
    var asking = draft();
    if (current()) {
      settle();
      return;
    }
    inFlight = true;
    status('Checking…');
    settle();
    fetch('/api/check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(asking)
    }).then(function (response) {
      return response.text().then(function (body) {
        var data = null;
        try { data = JSON.parse(body); } catch (e) { data = null; }
        return { ok: response.ok, status: response.status, data: data };
      });
    }).then(function (res) {
      inFlight = false;
      if (!same(asking, draft())) {
        // The draft changed meanwhile: this answer is stale.
        schedule(0);
        return;
      }
      if (res.ok && res.data && res.data.story) {
        clearError();
        show(asking, res.data);
      } else {
        var data = res.data || {};
        showError(data.error || ('copydesk answered with an error (HTTP ' + res.status + ').'),
          data.config_errors);
        status('Not checked.');
      }
      settle();
    }, function () {
      inFlight = false;
      showError('copydesk serve is not answering. Is it still running? Start it again with `copydesk serve` and reload this page; your draft is kept in this browser.');
      status('Not checked.');
      settle();
    });
  }

  function show(asking, answer) {
    shown = { draft: asking, answer: answer };
    var story = answer.story;
    settingsEl.textContent = answer.settings
      ? 'Settings: ' + answer.settings
      : 'Settings: built-in rules (no copydesk.toml)';
    if (!story.text.length) {
      storyEl.textContent = '';
      findingsEl.textContent = '';
    } else {
      Copydesk.renderStory(storyEl, story, { onFix: applyFix, onSelect: explain });
      Copydesk.renderFindingList(findingsEl, story, { onFix: applyFix });
    }
    var n = story.findings.length;
    var safe = answer.safe_fixes;
    var words = n === 0 ? 'Nothing found.' : Copydesk.countSentence(story.findings) + '.';
    if (safe > 0) words += ' ' + safe + ' safe fix' + (safe === 1 ? '' : 'es') + ' ready.';
    (answer.problems || []).forEach(function (p) { words += ' Note: ' + p + '.'; });
    status(words);
  }

  // The draft's text, its BOM aside (the story's offsets count from after
  // it).
  function bomLength(text) {
    return text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  function applyFix(finding) {
    if (!current()) {
      status('The draft changed since it was checked; try the fix again in a moment.');
      schedule(0);
      return;
    }
    var text = draftEl.value;
    var base = bomLength(text);
    var edits = finding.fix.edits.slice().sort(function (a, b) { return b.start - a.start; });
    for (var i = 0; i < edits.length; i++) {
      var e = edits[i];
      text = text.slice(0, base + e.start) + e.replacement + text.slice(base + e.end);
    }
    replaceDraft(text);
    status('Fixed: ' + finding.fix.description + '. Checking again…');
  }

  function replaceDraft(text) {
    var keep = draftEl.scrollTop;
    draftEl.value = text;
    draftEl.scrollTop = keep;
    remember();
    schedule(0);
  }

  fixAllEl.addEventListener('click', function () {
    if (!current()) return;
    var n = shown.answer.safe_fixes;
    replaceDraft(shown.answer.fixed);
    status('Applied ' + n + ' safe fix' + (n === 1 ? '' : 'es') + '. Checking again…');
  });

  copyEl.addEventListener('click', function () {
    if (!current()) return;
    var text = shown.answer.fixed;
    var done = function () {
      fallbackEl.hidden = true;
      status('Copied the fixed text.');
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { copyByHand(text, done); });
    } else {
      copyByHand(text, done);
    }
  });

  // Copying without the clipboard API: select the text in a box and ask
  // the browser to copy it; when even that is refused, leave it selected
  // for the reader to copy.
  function copyByHand(text, done) {
    fallbackTextEl.value = text;
    fallbackEl.hidden = false;
    fallbackTextEl.focus();
    fallbackTextEl.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    if (ok) done();
    else status('Copy the selected text with Ctrl-C.');
  }

  function explain(finding) {
    var id = finding.rule;
    if (ruleIdEl.textContent === id && !ruleEl.hidden) return;
    fetch('/api/rules/' + encodeURIComponent(id)).then(function (r) {
      return r.json();
    }).then(function (data) {
      if (!data || !data.text) return;
      ruleIdEl.textContent = id;
      ruleTextEl.textContent = data.text;
      ruleEl.hidden = false;
    }, function () { /* the explanation is an extra; the finding shows anyway */ });
  }

  function remember() {
    try {
      localStorage.setItem(STORE_KEY, JSON.stringify(draft()));
    } catch (e) { /* storage may be off; the page works without it */ }
  }

  function restore() {
    try {
      var saved = JSON.parse(localStorage.getItem(STORE_KEY) || 'null');
      if (saved && typeof saved.text === 'string' && !draftEl.value) {
        draftEl.value = saved.text;
        markdownEl.checked = !!saved.markdown;
        textEl.checked = !saved.markdown;
        headlineEl.value = saved.headline || '';
      }
    } catch (e) { /* nothing saved */ }
  }

  function edited() {
    remember();
    schedule(PAUSE_MS);
  }

  draftEl.addEventListener('input', edited);
  headlineEl.addEventListener('input', edited);
  markdownEl.addEventListener('change', edited);
  textEl.addEventListener('change', edited);

  restore();
  schedule(0);
})();
