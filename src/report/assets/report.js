// The page of `copydesk check --format html`: an index of the checked
// files with their counts, and one story drawn (by story.js) when it is
// opened. Each story's data is a JSON script element of class
// cd-story-data whose attributes carry its path and counts; its JSON is
// parsed only when the story is opened, so a page of thousands of stories
// loads as fast as its index.
(function () {
  'use strict';

  function $(id) { return document.getElementById(id); }

  // The shared renderer's helpers (story.js comes first in the page).
  var el = Copydesk.el;
  var plural = Copydesk.plural;

  function counted(e) {
    return {
      error: Number(e.getAttribute('data-errors')) || 0,
      warning: Number(e.getAttribute('data-warnings')) || 0,
      note: Number(e.getAttribute('data-notes')) || 0
    };
  }

  function sentence(c) {
    var parts = [];
    if (c.error) parts.push(plural(c.error, 'error'));
    if (c.warning) parts.push(plural(c.warning, 'warning'));
    if (c.note) parts.push(plural(c.note, 'note'));
    return parts.length ? parts.join(', ') : 'no findings';
  }

  var stories = Array.prototype.map.call(
    document.querySelectorAll('script.cd-story-data'),
    function (e) {
      return { element: e, path: e.getAttribute('data-path') || '', counts: counted(e) };
    });
  var problems = Array.prototype.map.call(
    document.querySelectorAll('script.cd-problem-data'),
    function (e) { return JSON.parse(e.textContent); });
  var totalsElement = $('cd-totals');
  var totals = totalsElement ? JSON.parse(totalsElement.textContent) : null;

  // The run's summary line.
  var summary = $('cd-summary');
  if (totals) {
    var line = plural(totals.files, 'file') + ' checked: ' +
      sentence({ error: totals.errors, warning: totals.warnings, note: totals.notes });
    if (totals.fix_run) line += '; ' + plural(totals.fixed, 'fix') + ' applied';
    if (problems.length) line += '; ' + plural(problems.length, 'file') + ' could not be checked';
    summary.textContent = line + '.';
  } else {
    summary.textContent = 'The report is incomplete: the run did not finish.';
  }

  // Problems (files that could not be checked).
  if (problems.length) {
    var ul = $('cd-problems').querySelector('ul');
    problems.forEach(function (p) {
      var li = el('li', 'cd-problem');
      li.appendChild(el('code', 'cd-problem-path', p.path));
      li.appendChild(document.createTextNode(': ' + p.message));
      ul.appendChild(li);
    });
    $('cd-problems').hidden = false;
  }

  // The index: one row per story, filtered by name and by findings.
  var single = stories.length === 1;
  var rows = [];
  (function buildIndex() {
    var body = $('cd-files').querySelector('tbody');
    var frag = document.createDocumentFragment();
    stories.forEach(function (s, i) {
      var tr = el('tr', 'cd-file');
      tr.setAttribute('data-story-index', String(i));
      var name = el('td', 'cd-file-name');
      var a = el('a', 'cd-file-link', s.path);
      a.href = '#story-' + i;
      name.appendChild(a);
      tr.appendChild(name);
      ['error', 'warning', 'note'].forEach(function (sev) {
        var n = s.counts[sev];
        var td = el('td', 'cd-n cd-sev-' + sev + (n ? '' : ' cd-zero'), String(n));
        tr.appendChild(td);
      });
      rows.push(tr);
      frag.appendChild(tr);
    });
    body.appendChild(frag);
  })();

  var filter = $('cd-filter');
  var withFindings = $('cd-with-findings');
  function applyFilter() {
    var q = filter.value.trim().toLowerCase();
    var only = withFindings.checked;
    var shown = 0;
    stories.forEach(function (s, i) {
      var c = s.counts;
      var ok = (!q || s.path.toLowerCase().indexOf(q) >= 0) &&
        (!only || c.error + c.warning + c.note > 0);
      rows[i].hidden = !ok;
      if (ok) shown += 1;
    });
    $('cd-shown').textContent = shown === stories.length
      ? plural(stories.length, 'file')
      : shown + ' of ' + plural(stories.length, 'file');
  }
  filter.addEventListener('input', applyFilter);
  withFindings.addEventListener('change', applyFilter);
  applyFilter();

  // One story at a time, chosen by the address's #story-N.
  var current = -1;
  function open(i) {
    var s = stories[i];
    var story = JSON.parse(s.element.textContent);
    $('cd-path').textContent = story.path;
    $('cd-counts').textContent = sentence(s.counts);
    Copydesk.renderStory($('cd-story'), story, {});
    Copydesk.renderFindingList($('cd-list'), story, {});
    $('cd-prev').hidden = single || i === 0;
    $('cd-next').hidden = single || i === stories.length - 1;
    $('cd-prev').href = '#story-' + (i - 1);
    $('cd-next').href = '#story-' + (i + 1);
    $('cd-back').hidden = single;
    $('cd-index').hidden = true;
    $('cd-open').hidden = false;
    current = i;
    document.title = story.path + ' \u2014 copydesk';
    window.scrollTo(0, 0);
  }
  function showIndex() {
    $('cd-open').hidden = true;
    $('cd-index').hidden = stories.length === 0 && problems.length > 0;
    document.title = 'copydesk report';
    if (current >= 0 && rows[current]) {
      rows.forEach(function (r) { r.classList.remove('cd-last-open'); });
      rows[current].classList.add('cd-last-open');
      rows[current].scrollIntoView({ block: 'center' });
    }
    current = -1;
  }
  function route() {
    var m = /^#story-(\d+)$/.exec(location.hash);
    var i = m ? Number(m[1]) : -1;
    if (i >= 0 && i < stories.length) open(i);
    else if (single) open(0);
    else showIndex();
  }
  window.addEventListener('hashchange', route);
  route();
})();
