// Sorting and filtering of the findings table. Progressive enhancement: without this script
// the table lists every finding; with it, the controls appear. Only textContent is read or
// written, never HTML, so repository text stays text.
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var controls = document.getElementById("findings-controls");
  if (!table || !controls) { return; }
  var body = table.tBodies[0];
  var search = document.getElementById("f-search");
  var check = document.getElementById("f-check");
  var severity = document.getElementById("f-severity");
  var count = document.getElementById("f-count");
  var RANK = { error: 0, warning: 1, note: 2 };
  var rows = Array.prototype.map.call(body.rows, function (tr, index) {
    var cells = Array.prototype.map.call(tr.cells, function (td) { return td.textContent; });
    return { tr: tr, index: index, cells: cells, text: cells.join("\u0000").toLowerCase() };
  });

  function filter() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!check.value || row.cells[1] === check.value) &&
        (!severity.value || row.cells[0] === severity.value) &&
        words.every(function (w) { return row.text.indexOf(w) !== -1; });
      row.tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown.toLocaleString("en-US") + " of " + rows.length.toLocaleString("en-US") + " findings";
  }

  function location(text) {
    var match = /^(.*):(\d+)$/.exec(text);
    return match ? [match[1], Number(match[2])] : [text, 0];
  }

  function compare(column, a, b) {
    var x = a.cells[column], y = b.cells[column];
    if (column === 0) { return (RANK[x] - RANK[y]) || 0; }
    if (column === 3) {
      var p = location(x), q = location(y);
      return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] - q[1];
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }

  function sortBy(th, column) {
    var descending = th.getAttribute("aria-sort") === "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.sort(function (a, b) {
      var order = compare(column, a, b);
      return (descending ? -order : order) || a.index - b.index;
    });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) { fragment.appendChild(row.tr); });
    body.appendChild(fragment);
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    button.title = "Sort by " + th.textContent.toLowerCase();
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () { sortBy(th, column); });
  });
  [search, check, severity].forEach(function (input) { input.addEventListener("input", filter); });
  controls.hidden = false;
  filter();
}());
