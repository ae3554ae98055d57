// Lotse search. The index is built by `lotse build` under search/<lang>/
// (see src/search.rs): a manifest (index.js), shards of word forms with
// their stems, page counts and best pages (t-<n>.js), further pages of the
// stems in blocks, best first (p-<n>.js), and one file per page (d-<n>.js).
// Each is a script that calls LotseSearch.add(id, data), loaded on demand
// with a <script> tag: that works offline and from file://, where fetch()
// is not allowed. All but the manifest hand over their JSON compressed
// (raw DEFLATE in Base64), unpacked with DecompressionStream. Folding and
// word splitting mirror src/search/analyze.rs; the stemming was done at
// build time (each shard maps word forms to stems). A query loads further
// blocks only while they could change the results shown (or for "more").
// Without JavaScript the search box stays hidden; the site works as before.
(function () {
  "use strict";

  var form = document.querySelector("form.site-search");
  var main = document.getElementById("lotse-main");
  if (!form || !main) return;
  // Browsers before 2023 cannot unpack the index: no search box there.
  if (!window.Promise || !window.DecompressionStream) { form.style.display = "none"; return; }
  var input = form.querySelector("input[name=q]");
  var root = form.getAttribute("data-root") || "";
  var lang = form.getAttribute("data-lang") || "en";
  var base = root + "search/" + lang + "/";
  var german = /^de\b/i.test(lang);
  var PAGE = 10;
  // Pages of further blocks one search (or one "more") may load at most.
  var BUDGET = 40000;
  var WORD = /[\p{Alphabetic}\p{N}\u0300-\u036f]+/gu;
  function text(name) { return form.getAttribute("data-" + name) || ""; }

  // Loading data files with <script> tags.
  var waiting = {};
  var loads = {};
  window.LotseSearch = {
    add: function (id, data) {
      var w = waiting[id];
      if (!w) return;
      delete waiting[id];
      if (typeof data === "string") unpack(data).then(w.resolve, w.reject); else w.resolve(data);
    }
  };
  // Base64 of raw DEFLATE of JSON -> the data.
  function unpack(b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).text().then(JSON.parse);
  }
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
      waiting[id] = { resolve: resolve, reject: reject };
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
  function tail(n) { return load("p-" + n, manifest.v); }
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
  // What is known of each stem: page count, pages (page, score, page, ...)
  // of the blocks loaded so far, the lowest score among them (no page of a
  // block not loaded scores higher) and the tail blocks still to load.
  var stems = {};
  function stemOf(s, i) {
    var stem = s.s[i];
    if (!own.call(stems, stem)) {
      stems[stem] = { df: s.n[i], pages: [], low: Infinity, tails: s.m[i], next: 0 };
      addBlock(stems[stem], s.p[i]);
    }
    return stems[stem];
  }
  // Adds a block (page - previous page, score, ...) to a stem.
  function addBlock(st, block) {
    for (var i = 0, page = 0; i < block.length; i += 2) {
      page += block[i];
      st.pages.push(page, block[i + 1]);
      if (block[i + 1] < st.low) st.low = block[i + 1];
    }
  }
  function hasMore(st) { return st.next < st.tails.length; }
  function loadMore(st) {
    var n = st.tails[st.next], at = st.tails[st.next + 1];
    st.next += 2;
    return tail(n).then(function (blocks) { addBlock(st, blocks[at]); return blocks[at].length / 2; });
  }

  // Stems matching a planned word, each with a weight.
  function match(p, loaded) {
    var found = {};
    function take(s, form, weight) {
      if (!own.call(s.w, form)) return false;
      var i = s.w[form], stem = s.s[i];
      if (!found[stem] || found[stem].weight < weight) found[stem] = { weight: weight, stem: stemOf(s, i) };
      return true;
    }
    var exact = false;
    p.exact.forEach(function (e) { if (take(loaded[shardOf(e[0])], e[0], e[1])) exact = true; });
    for (var k = 0; !exact && k < p.shorter.length; k++) exact = take(loaded[shardOf(p.shorter[k])], p.shorter[k], 0.8);
    var expanded = 0;
    p.prefix.forEach(function (n) {
      Object.keys(loaded[n].w).forEach(function (form) {
        if (expanded < 200 && form !== p.word && form.indexOf(p.word) === 0 && take(loaded[n], form, 0.6)) expanded++;
      });
    });
    return found;
  }

  // Word forms to highlight: every form of a matched stem in the shards.
  function addHits(hits, found, p, loaded) {
    p.shards.forEach(function (n) {
      var s = loaded[n];
      Object.keys(s.w).forEach(function (form) { if (own.call(found, s.s[s.w[form]])) hits[form] = true; });
    });
  }

  // Pages with every word first (else with most words), by score, then in
  // series order, from the blocks loaded. `sure` leading pages are where
  // they would be with every block loaded: each has every word, and no
  // page can reach its score through blocks not loaded (a page not loaded
  // scores at most a stem's lowest loaded score for a word).
  function rank(perWord) {
    var total = {}, count = {}, seen = [], bound = [], complete = true;
    perWord.forEach(function (found, w) {
      var best = {}, most = 0;
      Object.keys(found).forEach(function (stem) {
        var c = found[stem], p = c.stem.pages;
        if (hasMore(c.stem)) { complete = false; most = Math.max(most, c.stem.low * c.weight); }
        for (var i = 0; i < p.length; i += 2) {
          var score = p[i + 1] * c.weight;
          if (!(best[p[i]] >= score)) best[p[i]] = score;
        }
      });
      Object.keys(best).forEach(function (d) {
        total[d] = (total[d] || 0) + best[d];
        count[d] = (count[d] || 0) + 1;
      });
      seen.push(best);
      bound.push(most);
    });
    var docs = Object.keys(total).map(Number);
    var all = docs.filter(function (d) { return count[d] === perWord.length; });
    if (all.length) docs = all;
    docs.sort(function (a, b) { return count[b] - count[a] || total[b] - total[a] || a - b; });
    if (complete) return { docs: docs, sure: docs.length, complete: true, all: all.length };
    // The most a page not (yet) known to have every word may score.
    var limit = bound.reduce(function (a, b) { return a + b; }, 0);
    Object.keys(total).forEach(function (d) {
      if (count[d] === perWord.length) return;
      var most = 0;
      seen.forEach(function (best, w) { most += own.call(best, d) ? Math.max(best[d], bound[w]) : bound[w]; });
      if (most > limit) limit = most;
    });
    // A page that ties with the limit is sure only for one stem: its blocks
    // hold its pages by score, then page, so a page not loaded that ties
    // comes later in page order too.
    var one = perWord.length === 1 && Object.keys(perWord[0]).length === 1;
    var sure = 0;
    while (sure < docs.length && count[docs[sure]] === perWord.length &&
           (total[docs[sure]] > limit || (one && total[docs[sure]] === limit))) sure++;
    return { docs: docs, sure: sure, complete: false, all: all.length };
  }

  // Ranks, loading further blocks (the stem whose unloaded pages may score
  // highest first) until `want` results are sure, all is loaded or the
  // budget is spent.
  function settle(r, want) {
    var budget = BUDGET;
    function step() {
      var ranked = rank(r.perWord);
      if (ranked.complete || ranked.sure >= want || budget <= 0) return Promise.resolve(ranked);
      var pick = null, high = -1;
      r.perWord.forEach(function (found) {
        Object.keys(found).forEach(function (stem) {
          var c = found[stem];
          if (hasMore(c.stem) && c.stem.low * c.weight > high) { pick = c.stem; high = c.stem.low * c.weight; }
        });
      });
      return loadMore(pick).then(function (n) { budget -= n; return step(); });
    }
    return step();
  }

  // How many results: exact when every block is loaded or the query is one
  // stem (its page count); else an estimate (as if words occurred
  // independently), never below the pages known to match.
  function counted(r, ranked) {
    if (ranked.complete) return { n: ranked.docs.length, exact: true };
    var one = r.perWord.length === 1 && Object.keys(r.perWord[0]);
    if (one && one.length === 1) return { n: r.perWord[0][one[0]].stem.df, exact: true };
    var share = 1;
    r.perWord.forEach(function (found) {
      var df = 0;
      Object.keys(found).forEach(function (stem) { df = Math.max(df, found[stem].stem.df); });
      share *= df / Math.max(1, manifest.docs);
    });
    var n = Math.max(ranked.docs.length, Math.round(share * manifest.docs));
    if (n >= 100) { var unit = Math.pow(10, Math.floor(Math.log10(n)) - 1); n = Math.round(n / unit) * unit; }
    return { n: n, exact: false };
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
          var found = match(p, loaded);
          addHits(hits, found, p, loaded);
          return found;
        });
        return { words: words, perWord: perWord, hits: hits };
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

  // Shows the next results (after loading the blocks they need and their
  // pages) and the result count.
  function showPage(my) {
    var r = current;
    return settle(r, r.shown.length + PAGE).then(function (ranked) {
      if (my !== seq) return;
      var next = ranked.docs.filter(function (d) { return !own.call(r.isShown, d); }).slice(0, PAGE);
      next.forEach(function (d) { r.isShown[d] = true; r.shown.push(d); });
      return Promise.all(next.map(chunk)).then(function (chunks) {
        if (my !== seq) return;
        next.forEach(function (d, i) {
          list.append(item(chunks[i][d % manifest.chunk], r.hits));
        });
        var c = counted(r, ranked);
        var template = c.n === 0 ? "none" : !c.exact ? "many" : c.n === 1 ? "one" : "count";
        status.textContent = say(text(template), c.n, r.query);
        more.hidden = ranked.complete && r.shown.length >= ranked.docs.length;
      });
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
      r.query = query;
      r.shown = [];
      r.isShown = {};
      list.textContent = "";
      more.hidden = true;
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
  more.addEventListener("click", function () {
    var my = seq;
    showPage(my).catch(function () { if (my === seq) status.textContent = text("error"); });
  });
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
