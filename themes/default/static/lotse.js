// Lotse default theme script. Every page works without it; it adds:
// - links that work when the site is opened from disk (file://),
// - checklist ticks remembered in this browser (localStorage, by stable id),
//   with progress counts, a reset and a print button on handouts.
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

  var KEY = "lotse:check:";
  var store = {
    get: function (id) { try { return localStorage.getItem(KEY + id) === "1"; } catch (e) { return false; } },
    set: function (id, on) { try { if (on) localStorage.setItem(KEY + id, "1"); else localStorage.removeItem(KEY + id); } catch (e) {} }
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

  boxes.forEach(function (box) {
    var id = box.getAttribute("data-check");
    box.disabled = false;
    if (store.get(id)) box.checked = true;
    mark(box);
    box.addEventListener("change", function () {
      store.set(id, box.checked);
      // Keep other boxes with the same id (article text and handout) in step.
      boxes.forEach(function (other) {
        if (other !== box && other.getAttribute("data-check") === id) { other.checked = box.checked; mark(other); }
      });
      mark(box);
      progress();
    });
  });
  progress();

  var printButton = document.querySelector("[data-print]");
  if (printButton) printButton.addEventListener("click", function () { window.print(); });
  var reset = document.querySelector("[data-reset]");
  if (reset) reset.addEventListener("click", function () {
    if (!window.confirm(reset.getAttribute("data-confirm"))) return;
    boxes.forEach(function (box) { box.checked = false; store.set(box.getAttribute("data-check"), false); mark(box); });
    progress();
  });
})();
