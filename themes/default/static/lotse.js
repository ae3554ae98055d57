// Lotse default theme script. Every page works without it; it adds:
// - links that work when the site is opened from disk (file://),
// - checklist ticks remembered in this browser (localStorage, by stable id
//   and shared with the translation), kept in step across open tabs, with
//   progress counts, a reset and a print button on handouts,
// - on handouts, owner and due fields kept in this browser, and progress
//   (ticks, owners, due dates) saved to a file and merged from one.
//
// LotseProgress is the pure part of the progress files (no DOM), shared
// with the Node tests (tests/browser/units.js).
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LotseProgress = api;
})(this, function () {
  "use strict";
  var FORMAT = "lotse-progress";
  var VERSION = 1;

  function same(a, b) {
    return !!a.done === !!b.done && (a.owner || "") === (b.owner || "") && (a.due || "") === (b.due || "");
  }

  // Merges the records of a file into this browser's, by item id: an item
  // not kept here is added, one changed later in the file than here
  // (ISO times in `changed`; none counts as oldest) is updated, anything
  // else is skipped. Ids missing from `known` (an object with the guide's
  // item ids as keys; null to accept all) are orphans: items removed from
  // the guide, reported and not taken over.
  function merge(local, records, known) {
    var out = { apply: [], added: 0, updated: 0, skipped: 0, orphaned: [] };
    records.forEach(function (r) {
      if (known && !Object.prototype.hasOwnProperty.call(known, r.id)) { out.orphaned.push(r.id); return; }
      var here = local[r.id];
      if (!here) {
        out.apply.push(r);
        out.added++;
      } else if (!same(here, r) && (r.changed || "") > (here.changed || "")) {
        out.apply.push(r);
        out.updated++;
      } else {
        out.skipped++;
      }
    });
    return out;
  }

  function clean(r) {
    var out = { id: r.id, done: !!r.done };
    ["owner", "due", "changed"].forEach(function (k) { if (typeof r[k] === "string" && r[k]) out[k] = r[k].slice(0, 200); });
    return out;
  }

  // The records of a parsed progress file, or a problem: "format", "newer".
  function readFile(file) {
    if (!file || typeof file !== "object" || file.format !== FORMAT || !Array.isArray(file.items)) return { problem: "format", records: [] };
    if (typeof file.version !== "number" || file.version > VERSION) return { problem: "newer", version: file.version, records: [] };
    var seen = {};
    var records = file.items.filter(function (r) {
      var ok = r && typeof r.id === "string" && /^[A-Za-z0-9_-]{1,80}$/.test(r.id) && !seen[r.id];
      if (ok) seen[r.id] = true;
      return ok;
    }).map(clean);
    return { problem: null, records: records };
  }

  function exportFile(records, guide, now) {
    return { format: FORMAT, version: VERSION, guide: guide, exported: now.toISOString(), items: records.map(clean) };
  }

  return { FORMAT: FORMAT, VERSION: VERSION, merge: merge, readFile: readFile, exportFile: exportFile };
});

(function () {
  "use strict";
  if (typeof document === "undefined") return;

  // Pretty URLs end in "/", which a browser cannot open from disk.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^([a-z][a-z0-9+.-]*:|#|\/\/)/i.test(href)) return;
      var i = href.search(/[?#]/);
      var path = i < 0 ? href : href.slice(0, i);
      var rest = i < 0 ? "" : href.slice(i);
      if (path === "" || path === ".") path = "./";
      if (path.slice(-1) === "/") a.setAttribute("href", path + "index.html" + rest);
    });
  }

  // A review notice is hidden when the page was not yet overdue on the
  // build's date; show it once that date has passed.
  var today = new Date().toISOString().slice(0, 10);
  document.querySelectorAll(".review-notice[hidden][data-review-due]").forEach(function (p) {
    if (today > p.getAttribute("data-review-due")) p.hidden = false;
  });

  // Ticks: "1" or "0" under the item's stable id (survives edits of
  // other items) and under its pair key (article + position + count, the
  // same in every translation of the article, so a bilingual team shares
  // progress). The pair key wins where it is set; an article whose
  // translation has a different number of items is not paired.
  var KEY = "lotse:check:";
  var PAIR = "lotse:pair:";
  function read(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function write(key, value) { try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) {} }
  var store = {
    get: function (box) {
      var pair = box.getAttribute("data-pair");
      var v = pair ? read(PAIR + pair) : null;
      if (v === null) v = read(KEY + box.getAttribute("data-check"));
      return v === "1";
    },
    set: function (box, on) {
      var pair = box.getAttribute("data-pair");
      write(KEY + box.getAttribute("data-check"), on ? "1" : null);
      if (pair) write(PAIR + pair, on ? "1" : "0");
      touch(box.getAttribute("data-check"), pair);
    },
    clear: function (box) {
      var pair = box.getAttribute("data-pair");
      write(KEY + box.getAttribute("data-check"), null);
      if (pair) write(PAIR + pair, null);
    }
  };
  // When an item last changed (tick, owner or due date), for merging
  // progress files: under its id and its pair key.
  var TIME = "lotse:time:";
  function touch(id, pair) {
    var now = new Date().toISOString();
    write(TIME + id, now);
    if (pair) write(TIME + pair, now);
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.task[data-check]"));

  function mark(box) {
    var row = box.closest("tr, li");
    if (row) row.classList.toggle("done", box.checked);
  }

  function progress() {
    document.querySelectorAll("[data-progress-for]").forEach(function (el) {
      var scope = el.getAttribute("data-progress-for");
      var root = scope === "group" ? el.closest("[data-group]") : scope === "article" ? document.querySelector(".content") : document;
      if (!root) return;
      var all = root.querySelectorAll("input.task[data-check]");
      var done = root.querySelectorAll("input.task[data-check]:checked");
      var of = el.getAttribute("data-of") || "of";
      var word = el.getAttribute("data-done") || "done";
      el.textContent = all.length ? done.length + " " + of + " " + all.length + " " + word : "";
    });
  }

  // Shows what is stored (on load, and when another tab ticks something).
  function refresh() {
    boxes.forEach(function (box) { box.checked = store.get(box); mark(box); });
    progress();
  }

  boxes.forEach(function (box) {
    box.disabled = false;
    box.addEventListener("change", function () {
      store.set(box, box.checked);
      refresh();
    });
  });
  if (boxes.length) {
    refresh();
    window.addEventListener("storage", function (e) {
      if (e.key === null || e.key.indexOf("lotse:") === 0) refresh();
    });
  }

  var printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });
  var reset = document.querySelector("[data-reset]");
  if (reset) reset.addEventListener("click", function () {
    if (!window.confirm(reset.getAttribute("data-confirm"))) return;
    boxes.forEach(function (box) { store.clear(box); });
    refresh();
  });
  // A facilitator guide's agenda follows its start time.
  var start = document.querySelector("[data-start]");
  if (start) start.addEventListener("input", function () {
    var m = /^(\d{1,2}):(\d{2})/.exec(start.value);
    if (!m) return;
    var at = Number(m[1]) * 60 + Number(m[2]);
    var clock = function (t) { t = ((t % 1440) + 1440) % 1440; return String(Math.floor(t / 60)).padStart(2, "0") + ":" + String(t % 60).padStart(2, "0"); };
    document.querySelectorAll("[data-agenda] tr[data-minutes]").forEach(function (row) {
      var from = at;
      at += Number(row.getAttribute("data-minutes"));
      row.querySelector("[data-from]").textContent = clock(from);
      row.querySelector("[data-to]").textContent = clock(at);
    });
    document.querySelectorAll(".workshop-facts .print-only").forEach(function (el) { el.textContent = clock(Number(m[1]) * 60 + Number(m[2])); });
  });

  // Handouts: owner and due fields, and progress files.
  var tools = document.querySelector("[data-progress-file]");
  if (!tools) return;
  var OWNER = "lotse:owner:";
  var DUE = "lotse:due:";
  var fields = [];
  boxes.forEach(function (box) {
    var row = box.closest("tr");
    var id = box.getAttribute("data-check");
    var text = row && row.querySelector("td.what") ? row.querySelector("td.what").textContent.replace(/\s+/g, " ").trim() : "";
    [["td.owner", OWNER, "data-owner-of"], ["td.due", DUE, "data-due-of"]].forEach(function (f) {
      var cell = row && row.querySelector(f[0]);
      if (!cell) return;
      var input = document.createElement("input");
      input.type = "text";
      input.className = "fill";
      input.maxLength = 120;
      input.setAttribute("aria-label", tools.getAttribute(f[2]) + ": " + text);
      input.addEventListener("input", function () {
        write(f[1] + id, input.value ? input.value : null);
        touch(id, box.getAttribute("data-pair"));
      });
      cell.appendChild(input);
      fields.push({ input: input, key: f[1] + id });
    });
  });
  function showFields() { fields.forEach(function (f) { f.input.value = read(f.key) || ""; }); }
  showFields();
  window.addEventListener("storage", function (e) { if (e.key === null || e.key.indexOf("lotse:") === 0) showFields(); });

  // Every item of the guide (id -> pair key, all languages), from
  // checklist-items.js beside the site's style sheet.
  function withKnown(then) {
    if (window.LotseChecklistItems) return then(window.LotseChecklistItems);
    var script = document.createElement("script");
    script.src = tools.getAttribute("data-root") + "checklist-items.js";
    script.onload = function () { then(window.LotseChecklistItems || null); };
    script.onerror = function () { then(null); };
    document.head.appendChild(script);
  }
  // This browser's record of item `id`, or null if it keeps nothing.
  function record(id, pair) {
    var v = pair ? read(PAIR + pair) : null;
    if (v === null) v = read(KEY + id);
    var owner = read(OWNER + id), due = read(DUE + id);
    var times = [read(TIME + id), pair ? read(TIME + pair) : null].filter(Boolean).sort();
    if (v === null && !owner && !due && !times.length) return null;
    var r = { id: id, done: v === "1" };
    if (owner) r.owner = owner;
    if (due) r.due = due;
    if (times.length) r.changed = times[times.length - 1];
    return r;
  }
  function apply(r, pair) {
    write(KEY + r.id, r.done ? "1" : null);
    if (pair) write(PAIR + pair, r.done ? "1" : "0");
    write(OWNER + r.id, r.owner || null);
    write(DUE + r.id, r.due || null);
    if (r.changed) { write(TIME + r.id, r.changed); if (pair) write(TIME + pair, r.changed); }
  }
  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  var status = document.querySelector("[data-progress-status]");
  function say(lines) {
    status.textContent = "";
    lines.forEach(function (l) { var p = document.createElement("p"); p.textContent = l; status.appendChild(p); });
  }
  var P = window.LotseProgress;
  document.querySelector("[data-progress-export]").addEventListener("click", function () {
    withKnown(function (known) {
      var records = [];
      var items = known || {};
      if (!known) boxes.forEach(function (b) { items[b.getAttribute("data-check")] = b.getAttribute("data-pair") || ""; });
      Object.keys(items).sort().forEach(function (id) { var r = record(id, items[id]); if (r) records.push(r); });
      var file = P.exportFile(records, tools.getAttribute("data-guide"), new Date());
      var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "checklist-progress-" + file.exported.slice(0, 10) + ".json";
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    });
  });
  var picker = document.querySelector("[data-progress-import]");
  document.querySelector("[data-progress-import-button]").addEventListener("click", function () { picker.click(); });
  picker.addEventListener("change", function () {
    var f = picker.files && picker.files[0];
    if (!f) return;
    var reader = new FileReader();
    reader.onload = function () {
      picker.value = "";
      var parsed = null;
      try { parsed = JSON.parse(String(reader.result)); } catch (e) { parsed = null; }
      var got = P.readFile(parsed);
      if (got.problem === "format") return say([tools.getAttribute("data-bad")]);
      if (got.problem === "newer") return say([fill(tools.getAttribute("data-newer"), { v: got.version })]);
      withKnown(function (known) {
        var local = {};
        got.records.forEach(function (r) { var here = record(r.id, known && known[r.id]); if (here) local[r.id] = here; });
        var m = P.merge(local, got.records, known);
        m.apply.forEach(function (r) { apply(r, known && known[r.id]); });
        refresh();
        showFields();
        var lines = [fill(tools.getAttribute("data-merged"), m)];
        if (m.orphaned.length) lines.push(fill(tools.getAttribute("data-orphans"), { n: m.orphaned.length }));
        say(lines);
      });
    };
    reader.readAsText(f);
  });
})();
