// Draws one checked story (the JSON of `report::web::WebStory`) in a page:
// the text as it reads with each finding highlighted at its span, and a
// side list of findings grouped by rule and severity. Shared by the HTML
// report (`--format html`) and the `copydesk serve` page. Plain ES2017, no
// dependencies, no network.
//
// API (stable; pages and tests rely on it):
//   Copydesk.renderStory(container, story, options)       -> view
//   Copydesk.renderFindingList(container, story, options) -> list
// options (all optional):
//   onSelect(finding, index)  called when a finding is selected
//   onFix(finding, index)     when given, each finding with a safe fix shows
//                             a "Fix: <description>" button calling it
//   view                      (list only) the view to select in; by default
//                             the last view drawn for the same story object
// view: { element, select(index, {scroll}), clear(), findingMarks(index) }
// list: { element, markSelected(index) }
// Helpers for pages: Copydesk.countSentence(findings) ("2 errors, 1
// warning"), Copydesk.severityRank(severity), Copydesk.el(tag, className,
// text) (text set as a text node), Copydesk.plural(n, word).
// Escape closes the details of the selected finding.
//
// Elements tests and pages may rely on:
//   mark.cd-mark.cd-finding[data-finding-index][data-rule][data-severity]
//   mark.cd-mark.cd-label[data-finding-index][data-label-index]
//   mark.cd-empty            a zero-width span (no text; drawn by CSS)
//   .cd-popup                the details of the shown finding
//   .cd-label-link[data-label-index]   a label's link in the details
//   .cd-item[data-finding-index]       an entry of the side list
//   button.cd-fix            the fix button (only with options.onFix)
// A finding whose span overlaps another's is drawn as several marks, one
// per piece between span boundaries; the marks of one finding, read in
// document order, spell exactly text.slice(start, end).
//
// Draft text, messages and paths are only ever inserted as text nodes
// (createTextNode / textContent), never parsed as HTML.
(function (root) {
  'use strict';

  var SEVERITIES = ['error', 'warning', 'note'];

  function severityRank(s) {
    var i = SEVERITIES.indexOf(s);
    return i < 0 ? SEVERITIES.length : i;
  }

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  // "2 errors, 1 warning" ("no findings" when there are none).
  function countSentence(findings) {
    var counts = { error: 0, warning: 0, note: 0 };
    findings.forEach(function (f) {
      if (counts[f.severity] !== undefined) counts[f.severity] += 1;
    });
    var parts = SEVERITIES.filter(function (s) { return counts[s] > 0; })
      .map(function (s) { return plural(counts[s], s); });
    return parts.length ? parts.join(', ') : 'no findings';
  }

  function isSafeFix(f) {
    return !!(f.fix && f.fix.applicability === 'safe' && f.fix.edits && f.fix.edits.length);
  }

  // Each view and list drawn for a story object, so a list can select in
  // the view of the same story and a view can mark the lists' entries.
  var registry = new WeakMap();

  function entry(story) {
    var e = registry.get(story);
    if (!e) {
      e = { view: null, lists: [] };
      registry.set(story, e);
    }
    return e;
  }

  // The highlighted spans of a story: each finding and each of its labels,
  // clamped to the text.
  function spansOf(story) {
    var n = story.text.length;
    var spans = [];
    function clamp(x) {
      x = Number(x) || 0;
      return x < 0 ? 0 : x > n ? n : x;
    }
    story.findings.forEach(function (f, fi) {
      var s = clamp(f.start);
      spans.push({ label: false, fi: fi, li: -1, start: s, end: Math.max(s, clamp(f.end)), f: f });
      (f.labels || []).forEach(function (l, li) {
        var ls = clamp(l.start);
        spans.push({ label: true, fi: fi, li: li, start: ls, end: Math.max(ls, clamp(l.end)), f: f });
      });
    });
    return spans;
  }

  // Outer marks first: the earlier start, then the longer span, then a
  // finding before a label.
  function nesting(a, b) {
    return (a.start - b.start) || (b.end - a.end) || (a.label - b.label) ||
      (a.fi - b.fi) || (a.li - b.li);
  }

  function markFor(span) {
    var m = el('mark', 'cd-mark ' + (span.label ? 'cd-label' : 'cd-finding') +
      ' cd-sev-' + span.f.severity);
    m.setAttribute('data-finding-index', String(span.fi));
    m.setAttribute('data-rule', span.f.rule);
    m.setAttribute('data-severity', span.f.severity);
    if (span.label) m.setAttribute('data-label-index', String(span.li));
    return m;
  }

  // Fills `pre` with the text cut at every span boundary; each piece is
  // wrapped in one mark per span covering it. Returns the marks of each
  // finding and of each label.
  function drawText(pre, story) {
    var text = story.text;
    var spans = spansOf(story);
    var byFinding = story.findings.map(function () { return []; });
    var byLabel = story.findings.map(function (f) {
      return (f.labels || []).map(function () { return []; });
    });
    function remember(span, m) {
      if (span.label) byLabel[span.fi][span.li].push(m);
      else byFinding[span.fi].push(m);
    }
    var cuts = [0, text.length];
    spans.forEach(function (s) { cuts.push(s.start, s.end); });
    cuts.sort(function (a, b) { return a - b; });
    var points = cuts.filter(function (x, i) { return i === 0 || x !== cuts[i - 1]; });
    var starting = new Map();
    spans.forEach(function (s) {
      if (!starting.has(s.start)) starting.set(s.start, []);
      starting.get(s.start).push(s);
    });
    var frag = document.createDocumentFragment();
    var active = [];
    for (var p = 0; p < points.length; p++) {
      var at = points[p];
      active = active.filter(function (s) { return s.end > at; });
      var here = (starting.get(at) || []).slice().sort(nesting);
      here.forEach(function (s) {
        if (s.end === s.start) {
          var m = markFor(s);
          m.classList.add('cd-empty');
          remember(s, m);
          frag.appendChild(m);
        } else {
          active.push(s);
        }
      });
      if (p + 1 >= points.length) break;
      var piece = document.createTextNode(text.slice(at, points[p + 1]));
      if (!active.length) {
        frag.appendChild(piece);
        continue;
      }
      active.sort(nesting);
      var outer = null;
      var inner = null;
      active.forEach(function (s) {
        var m = markFor(s);
        remember(s, m);
        if (inner) inner.appendChild(m);
        else outer = m;
        inner = m;
      });
      inner.appendChild(piece);
      frag.appendChild(outer);
    }
    pre.appendChild(frag);
    return { byFinding: byFinding, byLabel: byLabel };
  }

  function where(x) {
    return 'line ' + x.line + ', column ' + x.column;
  }

  function renderStory(container, story, options) {
    options = options || {};
    container.textContent = '';
    container.classList.add('cd-story');
    var pre = el('pre', 'cd-text');
    pre.setAttribute('lang', 'en');
    var popup = el('div', 'cd-popup');
    popup.hidden = true;
    popup.setAttribute('role', 'dialog');
    container.appendChild(pre);
    container.appendChild(popup);
    var marks = drawText(pre, story);
    var selected = -1;
    var shown = -1;

    function setClass(list, name, on) {
      list.forEach(function (m) { m.classList.toggle(name, on); });
    }
    function labelMarks(i) {
      return [].concat.apply([], marks.byLabel[i] || []);
    }
    function firstMark(list) {
      return list.length ? list[0] : null;
    }

    function place(anchor) {
      if (!anchor) return;
      var c = container.getBoundingClientRect();
      var r = anchor.getBoundingClientRect();
      var width = Math.min(popup.offsetWidth || 360, container.clientWidth);
      var left = r.left - c.left;
      if (left + width > container.clientWidth) left = Math.max(0, container.clientWidth - width);
      popup.style.left = left + 'px';
      popup.style.top = (r.bottom - c.top + 6) + 'px';
    }

    // The marks last led to blink; they keep the class until the next
    // lead, so the blink restarts each time.
    var flashed = [];
    function flash(list) {
      setClass(flashed, 'cd-flash', false);
      if (list.length) void list[0].offsetWidth;
      setClass(list, 'cd-flash', true);
      flashed = list;
    }

    function scrollTo(m) {
      if (m && m.scrollIntoView) m.scrollIntoView({ block: 'center', inline: 'nearest' });
    }

    function showLabel(i, li) {
      var list = (marks.byLabel[i] || [])[li] || [];
      scrollTo(firstMark(list));
      flash(list);
    }

    function fill(i) {
      var f = story.findings[i];
      popup.textContent = '';
      popup.setAttribute('data-finding-index', String(i));
      var head = el('div', 'cd-popup-head');
      head.appendChild(el('span', 'cd-badge cd-sev-' + f.severity, f.severity));
      head.appendChild(el('code', 'cd-rule', f.rule));
      head.appendChild(el('span', 'cd-where', where(f)));
      var close = el('button', 'cd-close', '\u00d7');
      close.type = 'button';
      close.setAttribute('aria-label', 'Close');
      close.addEventListener('click', function (e) {
        e.stopPropagation();
        view.clear();
      });
      head.appendChild(close);
      popup.appendChild(head);
      popup.appendChild(el('p', 'cd-message', f.message));
      if (f.notes && f.notes.length) {
        var notes = el('ul', 'cd-notes');
        f.notes.forEach(function (n) { notes.appendChild(el('li', null, n)); });
        popup.appendChild(notes);
      }
      if (f.labels && f.labels.length) {
        var labels = el('ul', 'cd-labels');
        f.labels.forEach(function (l, li) {
          var item = el('li');
          var a = el('a', 'cd-label-link', where(l) + ': ' + l.message);
          a.href = '#';
          a.setAttribute('data-label-index', String(li));
          a.addEventListener('click', function (e) {
            e.preventDefault();
            e.stopPropagation();
            showLabel(i, li);
          });
          item.appendChild(a);
          labels.appendChild(item);
        });
        popup.appendChild(labels);
      }
      if (f.fix) {
        if (options.onFix && isSafeFix(f)) {
          popup.appendChild(fixButton(f, i, options.onFix));
        } else {
          popup.appendChild(el('p', 'cd-fix-description',
            (f.fix.applicability === 'safe' ? 'Fix: ' : 'Possible fix (check it): ') + f.fix.description));
        }
      }
    }

    function show(i) {
      if (i < 0) {
        popup.hidden = true;
        shown = -1;
        return;
      }
      if (shown !== i) fill(i);
      shown = i;
      popup.hidden = false;
      place(firstMark(marks.byFinding[i]) || firstMark(labelMarks(i)));
    }

    function hover(i, on) {
      if (i < 0) return;
      setClass(marks.byFinding[i], 'cd-hover', on);
      setClass(labelMarks(i), 'cd-linked-hover', on);
    }

    var view = {
      element: container,
      story: story,
      findingMarks: function (i) { return (marks.byFinding[i] || []).slice(); },
      labelMarks: function (i, li) { return ((marks.byLabel[i] || [])[li] || []).slice(); },
      select: function (i, how) {
        how = how || {};
        if (selected >= 0) {
          setClass(marks.byFinding[selected], 'cd-selected', false);
          setClass(labelMarks(selected), 'cd-linked', false);
        }
        selected = i;
        if (i < 0 || i >= story.findings.length) {
          selected = -1;
          show(-1);
        } else {
          setClass(marks.byFinding[i], 'cd-selected', true);
          setClass(labelMarks(i), 'cd-linked', true);
          if (how.scroll) scrollTo(firstMark(marks.byFinding[i]) || firstMark(labelMarks(i)));
          show(i);
          if (options.onSelect) options.onSelect(story.findings[i], i);
        }
        shownView = selected >= 0 ? view : null;
        entry(story).lists.forEach(function (l) { l.markSelected(selected); });
      },
      clear: function () { view.select(-1); }
    };

    function indexOf(m) {
      return m ? Number(m.getAttribute('data-finding-index')) : -1;
    }

    pre.addEventListener('click', function (e) {
      var m = e.target.closest ? e.target.closest('.cd-mark') : null;
      if (!m) {
        view.clear();
        return;
      }
      var i = indexOf(m);
      if (m.classList.contains('cd-label')) {
        // A label leads to its finding.
        view.select(i, { scroll: true });
        flash(marks.byFinding[i]);
      } else {
        view.select(i);
      }
    });
    var hovered = -1;
    pre.addEventListener('mouseover', function (e) {
      var m = e.target.closest ? e.target.closest('.cd-mark') : null;
      var i = indexOf(m);
      if (i === hovered) return;
      hover(hovered, false);
      hovered = i;
      hover(i, true);
      if (i >= 0) show(i);
      else show(selected);
    });
    pre.addEventListener('mouseleave', function () {
      hover(hovered, false);
      hovered = -1;
      show(selected);
    });

    entry(story).view = view;
    return view;
  }

  // The view whose finding is selected; Escape closes its details.
  var shownView = null;
  if (typeof document !== 'undefined') {
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && shownView) shownView.clear();
    });
  }

  function fixButton(f, i, onFix) {
    var b = el('button', 'cd-fix', 'Fix: ' + f.fix.description);
    b.type = 'button';
    b.setAttribute('data-finding-index', String(i));
    b.addEventListener('click', function (e) {
      e.stopPropagation();
      onFix(f, i);
    });
    return b;
  }

  function renderFindingList(container, story, options) {
    options = options || {};
    container.textContent = '';
    container.classList.add('cd-list');
    container.appendChild(el('p', 'cd-list-summary', story.findings.length
      ? plural(story.findings.length, 'finding') + ': ' + countSentence(story.findings)
      : 'No findings.'));
    var groups = new Map();
    story.findings.forEach(function (f, i) {
      var key = f.severity + '\u0000' + f.rule;
      if (!groups.has(key)) groups.set(key, { rule: f.rule, severity: f.severity, items: [] });
      groups.get(key).items.push(i);
    });
    var ordered = Array.from(groups.values()).sort(function (a, b) {
      return (severityRank(a.severity) - severityRank(b.severity)) ||
        (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
    });
    var items = [];
    function viewOf() {
      return options.view || entry(story).view;
    }
    ordered.forEach(function (g) {
      var section = el('section', 'cd-group cd-sev-' + g.severity);
      section.setAttribute('data-rule', g.rule);
      section.setAttribute('data-severity', g.severity);
      var h = el('h3', 'cd-group-head');
      h.appendChild(el('span', 'cd-badge cd-sev-' + g.severity, g.severity));
      h.appendChild(el('code', 'cd-rule', g.rule));
      h.appendChild(el('span', 'cd-count', String(g.items.length)));
      section.appendChild(h);
      var ol = el('ol', 'cd-items');
      g.items.forEach(function (i) {
        var f = story.findings[i];
        var li = el('li', 'cd-item');
        li.setAttribute('data-finding-index', String(i));
        var go = el('button', 'cd-item-link');
        go.type = 'button';
        go.appendChild(el('span', 'cd-where', f.line + ':' + f.column));
        go.appendChild(el('span', 'cd-item-message', f.message));
        go.addEventListener('click', function () {
          var v = viewOf();
          if (v) v.select(i, { scroll: true });
          else if (options.onSelect) options.onSelect(f, i);
        });
        li.appendChild(go);
        if (options.onFix && isSafeFix(f)) li.appendChild(fixButton(f, i, options.onFix));
        items[i] = li;
        ol.appendChild(li);
      });
      section.appendChild(ol);
      container.appendChild(section);
    });
    var list = {
      element: container,
      markSelected: function (i) {
        items.forEach(function (li, j) {
          if (li) li.classList.toggle('cd-selected', j === i);
        });
        if (i >= 0 && items[i] && items[i].scrollIntoView && container.scrollHeight > container.clientHeight) {
          items[i].scrollIntoView({ block: 'nearest' });
        }
      }
    };
    entry(story).lists.push(list);
    return list;
  }

  root.Copydesk = {
    renderStory: renderStory,
    renderFindingList: renderFindingList,
    countSentence: countSentence,
    severityRank: severityRank,
    el: el,
    plural: plural
  };
})(typeof window !== 'undefined' ? window : this);
