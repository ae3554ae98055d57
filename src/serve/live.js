// Injected by `lotse serve` only: reloads the page when the site changes and
// shows build errors in an overlay while the last good page stays visible.
(function () {
  "use strict";
  var overlay = null;

  function show(errors) {
    if (overlay) overlay.remove();
    overlay = null;
    if (!errors.length) return;
    overlay = document.createElement("div");
    overlay.id = "lotse-overlay";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:99999;background:rgba(20,20,24,.92);color:#f4f4f4;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;overflow:auto;padding:2rem";
    var h = document.createElement("h2");
    h.textContent = "Lotse: build failed (" + errors.length + ")";
    h.style.cssText = "font:700 20px system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem";
    overlay.appendChild(h);
    errors.forEach(function (e) {
      var box = document.createElement("pre");
      box.style.cssText = "white-space:pre-wrap;background:#2a2a30;border-left:4px solid #ff5252;padding:.8rem 1rem;margin:0 0 1rem";
      box.textContent = e.location + ": " + e.message + (e.line ? "\n  | " + e.line : "") + (e.hint ? "\n  = hint: " + e.hint : "");
      overlay.appendChild(box);
    });
    var note = document.createElement("p");
    note.textContent = "The page behind this overlay is the last good build. Fix the file and save: this overlay goes away by itself.";
    note.style.cssText = "font-family:system-ui,sans-serif;color:#bbb";
    overlay.appendChild(note);
    document.body.appendChild(overlay);
  }

  function check() {
    fetch("/__lotse/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) { show(s.errors || []); })
      .catch(function () {});
  }

  check();
  var source = new EventSource("/__lotse/events");
  source.addEventListener("reload", function () { location.reload(); });
  source.addEventListener("errors", check);
})();
