/**
 * The HTML report's inline script (plain ES2019, no framework): reads the report from the
 * `<script type="application/json" id="rw-data">` element and builds the row table with
 * `createElement` and `textContent` only — row data never goes through `innerHTML` — then sorts it
 * when a header is clicked (ascending, then descending), filters it by text and status, shows 500
 * rows at a time, and expands a row into its B-roll slots on click. The page's
 * Content-Security-Policy allows exactly this text by its hash.
 */
export const HTML_REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('rw-data').textContent);
  var rows = data.report.rows;
  var links = data.links;
  var thumbs = data.thumbs;
  var tbody = document.getElementById('rw-rows');
  var filterInput = document.getElementById('rw-filter');
  var statusSelect = document.getElementById('rw-status');
  var countOut = document.getElementById('rw-count');
  var moreButton = document.getElementById('rw-more');
  var headers = Array.prototype.slice.call(document.querySelectorAll('#rw-table th[data-key]'));
  var PAGE = 500;
  var limit = PAGE;
  var sortKey = null;
  var sortDir = 1;
  var open = Object.create(null);
  var has = Object.prototype.hasOwnProperty;

  // Same rule as formatMicros({ style: 'display' }): 4 decimals under $100, 2 from $100 up.
  function money(micros) {
    var sign = micros < 0 ? '-' : '';
    var abs = Math.abs(Math.round(micros));
    var decimals = abs >= 100000000 ? 2 : 4;
    var scaled = Math.round(abs / Math.pow(10, 6 - decimals));
    var whole = Math.floor(scaled / Math.pow(10, decimals));
    var fraction = String(scaled % Math.pow(10, decimals));
    while (fraction.length < decimals) fraction = '0' + fraction;
    return sign + '$' + whole.toLocaleString('en-US') + '.' + fraction;
  }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function cell(tr, className, text) {
    var td = el('td', className, text);
    tr.appendChild(td);
    return td;
  }
  function attempts(row) {
    var n = 0, failed = 0, rejected = 0;
    row.slots.forEach(function (s) { n += s.attempts; failed += s.failedAttempts; rejected += s.rejectedAttempts; });
    return { n: n, failed: failed, rejected: rejected };
  }
  // A row is named by its video's file name (row keys are often hashes); the key stays as small text and title.
  function fileName(p) {
    if (typeof p !== 'string' || p === '') return null;
    var parts = p.split(/[\\/]/);
    return parts[parts.length - 1] || null;
  }
  // A failed row has no video, but it has the file name it was planned under.
  function displayName(r) { return fileName(r.outputPath) || fileName(r.outputName); }
  function label(r) { return displayName(r) || r.rowKey; }
  var keys = {
    rowKey: function (r) { return label(r).toLowerCase(); },
    variant: function (r) { return r.variant.toLowerCase(); },
    line: function (r) { return r.line; },
    status: function (r) { return r.status; },
    clips: function (r) { return r.slots.length; },
    attempts: function (r) { return attempts(r).n; },
    generation: function (r) { return r.generationMicros; },
    compute: function (r) { return r.computeMicros; },
    total: function (r) { return r.totalMicros; }
  };
  var search = rows.map(function (r) {
    var parts = [r.rowKey, r.variant, r.status, r.reason || '', r.errorCode || '', r.outputPath || '', r.outputName || ''];
    r.slots.forEach(function (s) {
      parts.push(s.slot, s.origin, s.clipId, s.provider || '', s.model || '');
      s.problems.forEach(function (p) { parts.push(p.code || '', p.message || ''); });
    });
    return parts.join('\n').toLowerCase();
  });

  function visibleRows() {
    var needle = filterInput.value.trim().toLowerCase();
    var status = statusSelect.value;
    var picked = [];
    for (var i = 0; i < rows.length; i++) {
      if (status !== 'all' && rows[i].status !== status) continue;
      if (needle && search[i].indexOf(needle) === -1) continue;
      picked.push(i);
    }
    if (sortKey) {
      var key = keys[sortKey];
      picked.sort(function (a, b) {
        var x = key(rows[a]), y = key(rows[b]);
        if (x === y) return a - b;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (x < y ? -1 : 1) * sortDir;
      });
    }
    return picked;
  }

  function slotTable(row) {
    var table = el('table', 'slots');
    var head = el('tr');
    ['Slot', 'Origin', 'Provider / model', 'Clip', 'Attempts', 'Failed and rejected attempts', 'Paid for clip', 'Rows sharing', 'This row'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    if (row.slots.length === 0) {
      var none = el('tr');
      var td = el('td', 'small', 'No B-roll clips.');
      td.colSpan = 9;
      none.appendChild(td);
      table.appendChild(none);
    }
    row.slots.forEach(function (s) {
      var tr = el('tr');
      cell(tr, 'key', s.slot);
      cell(tr).appendChild(el('span', 'chip ' + s.origin, s.origin));
      cell(tr, null, s.provider ? s.provider + ' / ' + (s.model || '?') : 'unknown');
      var clip = cell(tr, 'small', s.clipId.slice(0, 12) + '…');
      clip.title = s.clipId;
      cell(tr, 'num', s.attempts + (s.costScope === 'earlier_runs' ? ' (earlier run)' : ''));
      var problems = cell(tr);
      if (s.problems.length === 0) problems.appendChild(el('span', 'small', 'none'));
      s.problems.forEach(function (p) {
        var line = el('div', 'problem', '#' + p.attemptNo + ' ' + p.status + (p.code ? ' ' + p.code : '') + (p.costMicros === null ? ' (cost unknown)' : ' · ' + money(p.costMicros)));
        if (p.message) line.appendChild(el('div', 'small', p.message));
        problems.appendChild(line);
      });
      cell(tr, 'num', money(s.paidMicros));
      cell(tr, 'num', s.sharedByRows);
      cell(tr, 'num', money(s.shareMicros));
      table.appendChild(tr);
    });
    return table;
  }

  function renderRow(i) {
    var row = rows[i];
    var tr = el('tr', 'row');
    tr.tabIndex = 0;
    tr.setAttribute('aria-expanded', open[row.id] ? 'true' : 'false');
    var thumbCell = cell(tr);
    var thumb = has.call(thumbs, row.id) ? thumbs[row.id] : null;
    if (typeof thumb === 'string' && thumb.indexOf('data:image/jpeg;base64,') === 0) {
      var img = el('img', 'thumb');
      img.alt = '';
      img.src = thumb;
      thumbCell.appendChild(img);
    } else {
      thumbCell.appendChild(el('div', 'thumb none'));
    }
    var keyCell = cell(tr);
    var name = displayName(row);
    var keyLabel = keyCell.appendChild(el('div', 'key', name || row.rowKey));
    keyLabel.title = 'row key ' + row.rowKey;
    if (name) keyCell.appendChild(el('div', 'small rowkey', row.rowKey));
    cell(tr, null, row.variant);
    cell(tr, 'num', row.line === null ? '' : row.line);
    var statusCell = cell(tr);
    statusCell.appendChild(el('span', 'badge ' + row.status, row.status.replace(/_/g, ' ')));
    if (row.reason) statusCell.appendChild(el('div', 'reason', (row.errorCode ? row.errorCode + ': ' : '') + row.reason));
    var clipsCell = cell(tr);
    row.slots.forEach(function (s) {
      clipsCell.appendChild(el('span', 'chip ' + s.origin, s.origin + (s.sharedByRows > 1 ? ' ×' + s.sharedByRows : '')));
    });
    var a = attempts(row);
    var attemptsCell = cell(tr, 'num', a.n);
    var trouble = [];
    if (a.failed > 0) trouble.push(a.failed + ' failed');
    if (a.rejected > 0) trouble.push(a.rejected + ' QA rejected');
    if (trouble.length > 0) attemptsCell.appendChild(el('div', 'small problem', trouble.join(', ')));
    cell(tr, 'num', money(row.generationMicros));
    cell(tr, 'num', money(row.computeMicros));
    cell(tr, 'num key', money(row.totalMicros));
    var videoCell = cell(tr);
    var href = has.call(links, row.id) ? links[row.id] : null;
    // Links are relative paths written by the report; refuse anything with a scheme.
    if (typeof href === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(href) && href.indexOf('//') !== 0) {
      var link = el('a', null, 'open');
      link.href = href;
      link.addEventListener('click', function (event) { event.stopPropagation(); });
      videoCell.appendChild(link);
    }
    tr.addEventListener('click', function () { open[row.id] = !open[row.id]; render(); });
    tr.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); open[row.id] = !open[row.id]; render(); }
    });
    return tr;
  }

  function render() {
    var picked = visibleRows();
    var fragment = document.createDocumentFragment();
    var shown = Math.min(limit, picked.length);
    for (var n = 0; n < shown; n++) {
      var i = picked[n];
      fragment.appendChild(renderRow(i));
      if (open[rows[i].id]) {
        var details = el('tr', 'details');
        var td = el('td');
        td.colSpan = 11;
        td.appendChild(slotTable(rows[i]));
        details.appendChild(td);
        fragment.appendChild(details);
      }
    }
    tbody.replaceChildren(fragment);
    countOut.textContent = 'Showing ' + shown + ' of ' + picked.length + ' matching rows (' + rows.length + ' in the run)';
    moreButton.hidden = shown >= picked.length;
  }

  headers.forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () {
      var key = th.getAttribute('data-key');
      sortDir = sortKey === key ? -sortDir : 1;
      sortKey = key;
      headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sortDir === 1 ? 'ascending' : 'descending');
      render();
    });
  });
  filterInput.addEventListener('input', function () { limit = PAGE; render(); });
  statusSelect.addEventListener('change', function () { limit = PAGE; render(); });
  moreButton.addEventListener('click', function () { limit += PAGE; render(); });
  render();
})();
`;
