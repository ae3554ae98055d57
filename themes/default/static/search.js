// Lotse search. The index is built by `lotse build` under search/<lang>/
// (see src/search.rs): a manifest (index.js), shards of word forms with
// their stems and postings (t-<n>.js) and chunks of pages (d-<n>.js). Each
// is a script that calls LotseSearch.add(id, data), loaded on demand with a
// <script> tag: that works offline and from file://, where fetch() is not
// allowed. Folding and word splitting mirror src/search/analyze.rs; the
// stemming was done at build time (each shard maps word forms to stems).
// Without JavaScript the search box stays hidden; the site works as before.
(function () {
  "use strict";

  var form = document.querySelector("form.site-search");
  var main = document.getElementById("lotse-main");
  if (!form || !main || !window.Promise) return;
  var input = form.querySelector("input[name=q]");
  var root = form.getAttribute("data-root") || "";
  var lang = form.getAttribute("data-lang") || "en";
  var base = root + "search/" + lang + "/";
  var german = /^de\b/i.test(lang);
  var PAGE = 10;
  var WORD = /[\p{Alphabetic}\p{N}\u0300-\u036f]+/gu;
  function text(name) { return form.getAttribute("data-" + name) || ""; }

  // Loading data files with <script> tags.
  var waiting = {};
  var loads = {};
  window.LotseSearch = {
    add: function (id, data) {
      var w = waiting[id];
      if (w) { delete waiting[id]; w.resolve(data); }
    }
  };
  function load(name, version) {
    var id = lang + "/" + name;
    if (loads[id]) return loads[id];
    loads[id] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      var fail = function () {
        delete waiting[id];
        delete loads[id];
        reject(new Error("search index file missing: " + s.src));
      };
      waiting[id] = { resolve: resolve };
      s.src = base + name + ".js" + (version ? "?v=" + version : "");
      s.async = true;
      s.onerror = fail;
      s.onload = function () { if (waiting[id]) fail(); };
      document.head.appendChild(s);
    });
    return loads[id];
  }

  var manifest = null;
  function getManifest() {
    return load("index").then(function (m) { manifest = m; return m; });
  }
  function shard(n) { return load("t-" + n, manifest.v); }
  function chunk(doc) { return load("d-" + Math.floor(doc / manifest.chunk), manifest.v); }

  // Text analysis, as in src/search/analyze.rs.
  function fold(word) {
    var out = "";
    var afterAscii = false;
    for (var c of word.toLowerCase()) {
      if (afterAscii && c >= "\u0300" && c <= "\u036f") continue;
      afterAscii = c < "\u0080";
      var to = afterAscii ? undefined : manifest.fold[c];
      if (to !== undefined) { out += to; afterAscii = true; } else out += c;
    }
    return out;
  }
  function length(s) { return Array.from(s).length; }
  function terms(query) {
    var seen = {};
    return (query.match(WORD) || []).map(fold).filter(function (t) {
      var n = length(t);
      if (n < manifest.min || n > 40 || seen[t]) return false;
      seen[t] = true;
      return true;
    });
  }

  // Shard lookup. Keys are compared by code point, as Rust compares strings.
  function compare(a, b) {
    var i = 0, j = 0;
    while (i < a.length && j < b.length) {
      var x = a.codePointAt(i), y = b.codePointAt(j);
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  }
  function shardOf(form) {
    var keys = manifest.keys, lo = 0, hi = keys.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (compare(keys[mid], form) <= 0) lo = mid + 1; else hi = mid;
    }
    return Math.max(0, lo - 1);
  }
  function prefixShards(prefix) {
    var first = shardOf(prefix), last = first;
    while (last + 1 < manifest.keys.length && manifest.keys[last + 1].indexOf(prefix) === 0) last++;
    var out = [];
    for (var n = first; n <= last && out.length < 6; n++) out.push(n);
    return out;
  }

  // What to look up for one query word: the word (and for German "ue" as
  // "u"), shorter forms for an inflection the corpus lacks, and prefixes.
  function plan(t) {
    var exact = [[t, 1]];
    var variant = t.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
    if (german && variant !== t) exact.push([variant, 0.9]);
    var chars = Array.from(t), shorter = [];
    for (var n = chars.length - 1; n >= Math.max(3, chars.length - 4); n--) shorter.push(chars.slice(0, n).join(""));
    var shards = {};
    exact.concat(shorter.map(function (s) { return [s]; })).forEach(function (e) { shards[shardOf(e[0])] = true; });
    var prefix = chars.length >= 3 ? prefixShards(t) : [];
    prefix.forEach(function (n) { shards[n] = true; });
    return { word: t, exact: exact, shorter: shorter, prefix: prefix, shards: Object.keys(shards).map(Number) };
  }

  var own = Object.prototype.hasOwnProperty;
  // Stems matching a planned word, each with a weight and its postings.
  function match(p, loaded) {
    var stems = {};
    function take(s, form, weight) {
      if (!own.call(s.w, form)) return false;
      var i = s.w[form], stem = s.s[i];
      if (!stems[stem] || stems[stem].weight < weight) stems[stem] = { weight: weight, postings: s.p[i] };
      return true;
    }
    var found = false;
    p.exact.forEach(function (e) { if (take(loaded[shardOf(e[0])], e[0], e[1])) found = true; });
    for (var k = 0; !found && k < p.shorter.length; k++) found = take(loaded[shardOf(p.shorter[k])], p.shorter[k], 0.8);
    var expanded = 0;
    p.prefix.forEach(function (n) {
      Object.keys(loaded[n].w).forEach(function (form) {
        if (expanded < 200 && form !== p.word && form.indexOf(p.word) === 0 && take(loaded[n], form, 0.6)) expanded++;
      });
    });
    return stems;
  }

  // Word forms to highlight: every form of a matched stem in the shards.
  function addHits(hits, stems, p, loaded) {
    p.shards.forEach(function (n) {
      var s = loaded[n];
      Object.keys(s.w).forEach(function (form) { if (own.call(stems, s.s[s.w[form]])) hits[form] = true; });
    });
  }

  // Pages with every word first (else with most words), by score, then in
  // series order.
  function rank(perWord) {
    var total = {}, count = {};
    perWord.forEach(function (stems) {
      var best = {};
      Object.keys(stems).forEach(function (stem) {
        var c = stems[stem], p = c.postings;
        for (var i = 0; i < p.length; i += 2) {
          var score = p[i + 1] * c.weight;
          if (!(best[p[i]] >= score)) best[p[i]] = score;
        }
      });
      Object.keys(best).forEach(function (d) {
        total[d] = (total[d] || 0) + best[d];
        count[d] = (count[d] || 0) + 1;
      });
    });
    var docs = Object.keys(total).map(Number);
    var all = docs.filter(function (d) { return count[d] === perWord.length; });
    if (all.length) docs = all;
    return docs.sort(function (a, b) {
      return count[b] - count[a] || total[b] - total[a] || a - b;
    });
  }

  function search(query) {
    return getManifest().then(function () {
      var words = terms(query);
      var plans = words.map(plan);
      var needed = {};
      plans.forEach(function (p) { p.shards.forEach(function (n) { needed[n] = true; }); });
      var ns = Object.keys(needed).map(Number);
      return Promise.all(ns.map(shard)).then(function (data) {
        var loaded = {};
        ns.forEach(function (n, i) { loaded[n] = data[i]; });
        var hits = {};
        var perWord = plans.map(function (p) {
          var stems = match(p, loaded);
          addHits(hits, stems, p, loaded);
          return stems;
        });
        return { words: words, docs: words.length ? rank(perWord) : [], hits: hits };
      });
    });
  }

  // Results, shown in place of the page's main content.
  var panel = document.createElement("section");
  panel.className = "search-results";
  panel.setAttribute("aria-label", text("label"));
  panel.hidden = true;
  var status = document.createElement("p");
  status.className = "search-status";
  status.setAttribute("role", "status");
  var list = document.createElement("ol");
  list.className = "search-list";
  var more = document.createElement("button");
  more.type = "button";
  more.className = "button secondary search-more";
  more.textContent = text("more");
  more.hidden = true;
  panel.append(status, list, more);
  main.insertBefore(panel, main.firstChild);

  function show(on) {
    panel.hidden = !on;
    document.documentElement.classList.toggle("searching", on);
  }

  function say(template, n, q) {
    return template.replace("{n}", n).replace("{q}", q);
  }

  var portable = form.hasAttribute("data-portable");
  function pageUrl(path, anchor) {
    var url = root + path;
    if (url === "") url = "./";
    if ((portable || location.protocol === "file:") && url.slice(-1) === "/") url += "index.html";
    return url + (anchor ? "#" + anchor : "");
  }

  function isHit(hits, word) { return own.call(hits, fold(word)); }

  // Appends `str` to `el`, with the hits in <mark>.
  function marked(el, str, hits) {
    var last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(str))) {
      if (!isHit(hits, m[0])) continue;
      el.append(str.slice(last, m.index));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      el.append(mark);
      last = m.index + m[0].length;
    }
    el.append(str.slice(last));
  }

  // The passage around the first hit in the page's text (else its summary)
  // and the heading above it.
  function excerpt(doc, hits) {
    var x = doc.x, at = -1, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(x))) if (isHit(hits, m[0])) { at = m.index; break; }
    if (at < 0) {
      var d = doc.d || x;
      var cut = d.lastIndexOf(" ", 250);
      return { text: d.length > 260 ? d.slice(0, cut > 100 ? cut : 250) + " …" : d, anchor: null };
    }
    var start = Math.max(0, at - 90), end = Math.min(x.length, at + 170);
    if (start > 0) start = x.indexOf(" ", start) + 1 || start;
    if (start > at) start = at;
    if (x.startsWith("· ", start) && start + 2 <= at) start += 2; // the index separates blocks with " · "
    if (end < x.length) { var space = x.lastIndexOf(" ", end); if (space > at) end = space; }
    if (end - 2 > at && x.slice(end - 2, end) === " ·") end -= 2;
    var anchor = null;
    doc.h.forEach(function (h) { if (h[0] <= at) anchor = h[1]; });
    return { text: (start > 0 ? "… " : "") + x.slice(start, end) + (end < x.length ? " …" : ""), anchor: anchor };
  }

  function item(doc, hits) {
    var li = document.createElement("li");
    li.className = "search-hit";
    if (doc.s) {
      var stage = document.createElement("p");
      stage.className = "search-stage";
      var label = (text("stage") + " " + doc.s[0]).trim();
      stage.textContent = doc.s[1] === doc.t ? label : label + " · " + doc.s[1];
      li.append(stage);
    }
    var ex = excerpt(doc, hits);
    var a = document.createElement("a");
    a.className = "search-title";
    a.href = pageUrl(doc.u, ex.anchor);
    marked(a, doc.t, hits);
    var snippet = document.createElement("p");
    snippet.className = "search-snippet";
    marked(snippet, ex.text, hits);
    li.append(a, snippet);
    return li;
  }

  var current = null;
  var shownFor = null;
  var seq = 0;

  function showPage(my) {
    var r = current, from = list.children.length;
    var slice = r.docs.slice(from, from + PAGE);
    return Promise.all(slice.map(chunk)).then(function (chunks) {
      if (my !== seq) return;
      slice.forEach(function (d, i) {
        list.append(item(chunks[i][d % manifest.chunk], r.hits));
      });
      more.hidden = list.children.length >= r.docs.length;
    });
  }

  function run(query) {
    var my = ++seq;
    query = query.trim();
    remember(query);
    if (!query) { show(false); return; }
    show(true);
    search(query).then(function (r) {
      if (my !== seq) return;
      current = r;
      list.textContent = "";
      more.hidden = true;
      var n = r.docs.length;
      status.textContent = say(n === 0 ? text("none") : n === 1 ? text("one") : text("count"), n, query);
      return showPage(my).then(function () { if (my === seq) shownFor = query; });
    }).catch(function () {
      if (my === seq) status.textContent = text("error");
    });
  }

  function remember(query) {
    try {
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    } catch (e) { /* file:// in some browsers: the address just stays */ }
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(input.value); }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value);
  });
  // Keyboard: Down arrow or Tab from the box to the first result, Up and
  // Down between results (Up from the first back to the box), Enter on a
  // result opens it, Enter in the box opens the first result of the query
  // shown, Escape goes back to the box and clears it.
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a.search-title")); }
  function ready() { return !panel.hidden && shownFor === input.value.trim() && links().length > 0; }
  input.setAttribute("aria-controls", "lotse-search-results");
  list.id = "lotse-search-results";
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; run(""); return; }
    if (e.altKey || e.ctrlKey || e.metaKey || !ready()) return;
    if (e.key === "ArrowDown" || (e.key === "Tab" && !e.shiftKey)) {
      e.preventDefault();
      links()[0].focus();
    } else if (e.key === "Enter") {
      e.preventDefault();
      clearTimeout(timer);
      links()[0].click();
    }
  });
  list.addEventListener("keydown", function (e) {
    var all = links(), i = all.indexOf(document.activeElement);
    if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "ArrowDown" && i + 1 < all.length) { e.preventDefault(); all[i + 1].focus(); }
    else if (e.key === "ArrowDown" && !more.hidden) { e.preventDefault(); more.focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); input.focus(); input.select(); }
  });
  more.addEventListener("click", function () { showPage(seq); });
  list.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("a")) show(false);
  });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    e.preventDefault();
    input.focus();
  });
  input.addEventListener("focus", function () { getManifest().catch(function () {}); }, { once: true });

  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
