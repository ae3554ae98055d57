// Lotse default theme script. Every page works without it; it adds:
// - links that work when the site is opened from disk (file://),
// - checklist ticks remembered in this browser (localStorage, by stable id
//   and shared with the translation), kept in step across open tabs, with
//   progress counts, a reset and a print button on handouts.
(function () {
  "use strict";

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
    },
    clear: function (box) {
      var pair = box.getAttribute("data-pair");
      write(KEY + box.getAttribute("data-check"), null);
      if (pair) write(PAIR + pair, null);
    }
  };
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
})();
