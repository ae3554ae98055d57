// Lotse position check (/assessment/). The page is a questionnaire that
// works and prints without this script; the script keeps the answers in
// this browser (localStorage), draws the radar chart, scores each stage,
// names the weakest, writes and reads answer files, and merges several
// files into a team view. Nothing leaves the browser.
//
// The first part (LotseAssessment) is pure: scoring, files, team
// statistics and chart geometry, with no DOM, so Node tests run the same
// code (tests/browser/units.js). Stages, statements and the scale come
// from the JSON the build puts into the page (#lotse-assessment).
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.LotseAssessment = api;
})(this, function () {
  "use strict";

  var FORMAT = "lotse-assessment";
  var VERSION = 1;

  function levels(data) { return data.scale.length; }

  // Each stage's score: the mean of its answered statements on a scale
  // from 0 (lowest level) to 100 (highest), rounded; null if none answered.
  function scores(data, answers) {
    var top = levels(data) - 1;
    return data.stages.map(function (stage) {
      var sum = 0, answered = 0;
      stage.statements.forEach(function (s) {
        var v = answers[s.id];
        if (typeof v === "number") { sum += v; answered++; }
      });
      return {
        answered: answered,
        total: stage.statements.length,
        score: answered && top > 0 ? Math.round((sum / answered / top) * 100) : null
      };
    });
  }

  // The index of the stage with the lowest score (the first of equals),
  // or -1 before any answer.
  function weakest(list) {
    var best = -1;
    list.forEach(function (s, i) {
      if (s.score !== null && (best < 0 || s.score < list[best].score)) best = i;
    });
    return best;
  }

  // Up to `limit` answered statements in the lower half of the scale,
  // lowest first, then in series order.
  function lowest(data, answers, limit) {
    var top = levels(data) - 1, out = [];
    data.stages.forEach(function (stage, si) {
      stage.statements.forEach(function (s, k) {
        var v = answers[s.id];
        if (typeof v === "number" && v < top / 2) out.push({ stage: si, index: k, value: v, statement: s });
      });
    });
    out.sort(function (a, b) { return a.value - b.value || a.stage - b.stage || a.index - b.index; });
    return out.slice(0, limit);
  }

  function knownIds(data) {
    var ids = {};
    data.stages.forEach(function (stage) { stage.statements.forEach(function (s) { ids[s.id] = true; }); });
    return ids;
  }

  // The answer file of one person (`name` may be empty; `now` a Date).
  function exportFile(data, answers, name, now) {
    var known = knownIds(data), kept = {};
    Object.keys(answers).sort().forEach(function (id) { if (known[id]) kept[id] = answers[id]; });
    var file = { format: FORMAT, version: VERSION, guide: data.guide, lang: data.lang };
    if (name && name.trim()) file.name = name.trim();
    file.exported = now.toISOString();
    file.levels = levels(data);
    file.answers = kept;
    return file;
  }

  // Reads a parsed answer file against this page: the answers whose
  // statements still exist with a value on the scale, and what was dropped.
  // `problem` is set when nothing can be used: "format", "newer", "scale".
  function readFile(data, file) {
    var result = { name: "", answers: {}, dropped: [], problem: null, otherGuide: false };
    if (!file || typeof file !== "object" || file.format !== FORMAT || typeof file.answers !== "object" || file.answers === null) {
      result.problem = "format";
      return result;
    }
    if (typeof file.version !== "number" || file.version > VERSION) {
      result.problem = "newer";
      result.version = file.version;
      return result;
    }
    if (file.levels !== levels(data)) {
      result.problem = "scale";
      result.levels = file.levels;
      return result;
    }
    result.name = typeof file.name === "string" ? file.name : "";
    result.otherGuide = typeof file.guide === "string" && file.guide !== data.guide && file.lang === data.lang;
    var known = knownIds(data), top = levels(data) - 1;
    Object.keys(file.answers).sort().forEach(function (id) {
      var v = file.answers[id];
      if (known[id] && typeof v === "number" && v === Math.floor(v) && v >= 0 && v <= top) result.answers[id] = v;
      else result.dropped.push(id);
    });
    return result;
  }

  function median(xs) {
    if (!xs.length) return null;
    var s = xs.slice().sort(function (a, b) { return a - b; });
    var m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }

  // The team: per stage the min, median and max of the people's stage
  // scores; per statement the spread of the answers; the disputed
  // statements (largest range first, then the larger standard deviation,
  // then series order), at most `limit`.
  function team(data, people, limit) {
    var personal = people.map(function (p) { return scores(data, p.answers); });
    var stages = data.stages.map(function (stage, i) {
      var xs = personal.map(function (list) { return list[i].score; }).filter(function (v) { return v !== null; });
      return {
        n: xs.length,
        min: xs.length ? Math.min.apply(null, xs) : null,
        median: median(xs),
        max: xs.length ? Math.max.apply(null, xs) : null
      };
    });
    var statements = [];
    data.stages.forEach(function (stage, si) {
      stage.statements.forEach(function (s, k) {
        var xs = people.map(function (p) { return p.answers[s.id]; }).filter(function (v) { return typeof v === "number"; });
        var counts = data.scale.map(function () { return 0; });
        xs.forEach(function (v) { counts[v]++; });
        var mean = xs.reduce(function (a, b) { return a + b; }, 0) / (xs.length || 1);
        var sd = Math.sqrt(xs.reduce(function (a, v) { return a + (v - mean) * (v - mean); }, 0) / (xs.length || 1));
        statements.push({
          stage: si, index: k, statement: s, n: xs.length, counts: counts,
          min: xs.length ? Math.min.apply(null, xs) : null,
          max: xs.length ? Math.max.apply(null, xs) : null,
          range: xs.length ? Math.max.apply(null, xs) - Math.min.apply(null, xs) : 0,
          sd: sd
        });
      });
    });
    var disputed = statements.filter(function (s) { return s.n > 1 && s.range > 0; });
    disputed.sort(function (a, b) { return b.range - a.range || b.sd - a.sd || a.stage - b.stage || a.index - b.index; });
    return { people: people.length, stages: stages, statements: statements, disputed: disputed.slice(0, limit) };
  }

  // Radar geometry: `n` axes from the top, clockwise, around (cx, cy) with
  // radius r; `point(i, percent)` gives a point on axis i.
  function radar(n, cx, cy, r) {
    function point(i, percent) {
      var a = -Math.PI / 2 + (2 * Math.PI * i) / n;
      var d = (r * Math.max(0, Math.min(100, percent || 0))) / 100;
      return [Math.round((cx + d * Math.cos(a)) * 10) / 10, Math.round((cy + d * Math.sin(a)) * 10) / 10];
    }
    function polygon(values) {
      return values.map(function (v, i) { return point(i, v).join(","); }).join(" ");
    }
    return { point: point, polygon: polygon, cx: cx, cy: cy, r: r, n: n };
  }

  // `{n}`-style placeholders.
  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  return {
    FORMAT: FORMAT, VERSION: VERSION, scores: scores, weakest: weakest, lowest: lowest, exportFile: exportFile,
    readFile: readFile, median: median, team: team, radar: radar, fill: fill
  };
});

(function () {
  "use strict";
  if (typeof document === "undefined") return;
  var A = window.LotseAssessment;
  var article = document.querySelector("[data-assessment]");
  var source = document.getElementById("lotse-assessment");
  if (!article || !source) return;
  var data = JSON.parse(source.textContent);
  var t = data.t || {};
  var KEY = "lotse:assess:";
  var NAME = "lotse:assess-name";
  var SVG = "http://www.w3.org/2000/svg";

  function read(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }
  function write(key, value) { try { if (value === null) localStorage.removeItem(key); else localStorage.setItem(key, value); } catch (e) {} }
  function $(sel, el) { return (el || article).querySelector(sel); }
  function $$(sel, el) { return Array.prototype.slice.call((el || article).querySelectorAll(sel)); }
  function percent(v) { return v === null ? "–" : A.fill(t.percent || "{v} %", { v: v }); }
  function el(tag, attrs, text) {
    var e = tag.indexOf("svg:") === 0 ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var ids = [];
  data.stages.forEach(function (s) { s.statements.forEach(function (q) { ids.push(q.id); }); });
  var total = ids.length;

  function answers() {
    var out = {};
    ids.forEach(function (id) {
      var v = read(KEY + id);
      if (v !== null && /^\d+$/.test(v) && +v < data.scale.length) out[id] = +v;
    });
    return out;
  }

  // Radios show what is stored.
  function showAnswers(given) {
    $$("input[type=radio]").forEach(function (r) { r.checked = given[r.name] === +r.value; });
  }

  // The chart: grid rings, axes with the stages' names, and one polygon
  // per series ({values, cls, label}).
  function drawRadar(figure, series, title) {
    var old = figure.querySelector("svg");
    if (old) old.remove();
    var n = data.stages.length, W = 600, H = 430;
    var g = A.radar(n, W / 2, H / 2 + 4, 140);
    var svg = el("svg:svg", { viewBox: "0 0 " + W + " " + H, role: "img", "class": "radar-svg" });
    var titleId = figure.getAttribute("data-radar") !== null ? "radar-title" : "team-radar-title";
    svg.setAttribute("aria-labelledby", titleId);
    svg.appendChild(el("svg:title", { id: titleId }, title));
    [25, 50, 75, 100].forEach(function (ring) {
      var values = data.stages.map(function () { return ring; });
      svg.appendChild(el("svg:polygon", { points: g.polygon(values), "class": "ring" }));
    });
    data.stages.forEach(function (stage, i) {
      var end = g.point(i, 100);
      svg.appendChild(el("svg:line", { x1: g.cx, y1: g.cy, x2: end[0], y2: end[1], "class": "axis" }));
      var at = g.point(i, 119);
      var anchor = Math.abs(at[0] - g.cx) < 8 ? "middle" : at[0] < g.cx ? "end" : "start";
      var label = el("svg:text", { x: at[0], y: at[1], "text-anchor": anchor, "class": "axis-label" });
      var lines = wrap(stage.number + " " + stage.title, 20);
      var dy = at[1] < g.cy - 20 ? -(lines.length - 1) * 15 : at[1] > g.cy + 20 ? 4 : -((lines.length - 1) * 15) / 2 + 4;
      lines.forEach(function (line, k) {
        label.appendChild(el("svg:tspan", { x: at[0], dy: k === 0 ? dy : 15 }, line));
      });
      svg.appendChild(label);
    });
    [50, 100].forEach(function (ring) {
      var p = g.point(0, ring);
      svg.appendChild(el("svg:text", { x: p[0] + 5, y: p[1] + 14, "class": "ring-label" }, percent(ring)));
    });
    series.forEach(function (s) {
      svg.appendChild(el("svg:polygon", { points: g.polygon(s.values), "class": "area " + s.cls, "data-series": s.cls }));
      s.values.forEach(function (v, i) {
        var p = g.point(i, v);
        svg.appendChild(el("svg:circle", { cx: p[0], cy: p[1], r: v === null ? 3 : 4, "class": "dot " + s.cls + (v === null ? " empty" : "") }));
      });
    });
    figure.insertBefore(svg, figure.firstChild);
  }

  function wrap(text, width) {
    var lines = [], line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  function chartTitle(list) {
    return (t.chart || "") + ": " + data.stages.map(function (s, i) { return s.number + " " + s.title + " " + percent(list[i]); }).join("; ");
  }

  // Everything that follows from the answers.
  function update() {
    var given = answers();
    var list = A.scores(data, given);
    var count = Object.keys(given).length;
    article.setAttribute("data-answers", String(count));
    article.setAttribute("data-print", count ? "result" : "blank");
    $("[data-answered]").textContent = count ? A.fill(t.answered, { n: count, m: total }) : t.none;
    var values = list.map(function (s) { return s.score; });
    drawRadar($("[data-radar]"), [{ values: values, cls: "mine" }], chartTitle(values));
    $$("[data-stage-row]").forEach(function (row, i) {
      row.querySelector("[data-answered-cell]").textContent = list[i].answered + "/" + list[i].total;
      row.querySelector("[data-score-cell]").textContent = percent(list[i].score);
    });
    var weak = A.weakest(list), box = $("[data-weakest]");
    box.textContent = "";
    if (weak >= 0) {
      var stage = data.stages[weak];
      var parts = A.fill(t.weakest, { n: stage.number, stage: stage.title, score: percent(list[weak].score) }).split("{article}");
      box.appendChild(document.createTextNode(parts[0]));
      if (stage.first) box.appendChild(el("a", { href: stage.first.url }, stage.first.title));
      else box.appendChild(el("a", { href: stage.url }, stage.title));
      box.appendChild(document.createTextNode(parts[1] || ""));
    }
    var low = A.lowest(data, given, 5), lowBox = $("[data-lowest]");
    lowBox.textContent = "";
    if (low.length) {
      lowBox.appendChild(el("h3", {}, t.lowest));
      var ol = el("ul");
      low.forEach(function (x) {
        var li = el("li", {}, data.stages[x.stage].number + "." + (x.index + 1) + " " + x.statement.text + " – " + data.scale[x.value]);
        ol.appendChild(li);
      });
      lowBox.appendChild(ol);
    }
    $("[data-sheet-name]").textContent = $("[data-name]").value || "";
    $("[data-sheet-date]").textContent = new Date().toLocaleDateString(data.lang);
  }

  function download(name, text) {
    var blob = new Blob([text], { type: "application/json" });
    var a = el("a", { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  function slug(text) {
    return String(text || "").toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  }

  // Team view: the people read so far, by file name.
  var people = [];

  function readFiles(files) {
    var list = Array.prototype.slice.call(files || []);
    return Promise.all(list.map(function (f) {
      return new Promise(function (resolve) {
        var r = new FileReader();
        r.onload = function () { resolve({ file: f.name, text: String(r.result) }); };
        r.onerror = function () { resolve({ file: f.name, text: "" }); };
        r.readAsText(f);
      });
    }));
  }

  function addFiles(files) {
    return readFiles(files).then(function (read) {
      var messages = [];
      read.forEach(function (x) {
        var parsed = null;
        try { parsed = JSON.parse(x.text); } catch (e) { parsed = null; }
        var r = A.readFile(data, parsed);
        if (r.problem === "format") return messages.push(A.fill(t.team_bad, { file: x.file }));
        if (r.problem === "newer") return messages.push(A.fill(t.team_newer, { file: x.file, v: r.version }));
        if (r.problem === "scale") return messages.push(A.fill(t.team_scale, { file: x.file, n: r.levels, m: data.scale.length }));
        if (r.otherGuide) messages.push(A.fill(t.team_other, { file: x.file, guide: parsed.guide }));
        if (r.dropped.length) messages.push(A.fill(t.team_dropped, { file: x.file, n: r.dropped.length }));
        people = people.filter(function (p) { return p.file !== x.file; });
        people.push({ file: x.file, name: r.name, answers: r.answers });
      });
      showTeam(messages);
    });
  }

  function showTeam(messages) {
    var status = $("[data-team-status]");
    status.textContent = "";
    var lines = (people.length ? [A.fill(t.team_loaded, { n: people.length })] : []).concat(messages);
    lines.forEach(function (m) { status.appendChild(el("p", {}, m)); });
    var box = $("[data-team-result]");
    box.hidden = people.length === 0;
    if (!people.length) return;
    var result = A.team(data, people, 7);
    var series = ["max", "median", "min"].map(function (k) {
      return { cls: "team-" + k, values: result.stages.map(function (s) { return s[k] === null ? null : Math.round(s[k]); }) };
    });
    drawRadar($("[data-team-radar]"), series, t.team_chart);
    var rows = $("[data-team-rows]");
    rows.textContent = "";
    result.stages.forEach(function (s, i) {
      var tr = el("tr", { "data-team-stage": i });
      tr.appendChild(el("th", { scope: "row" }, data.stages[i].number + ". " + data.stages[i].title));
      ["min", "median", "max"].forEach(function (k) {
        tr.appendChild(el("td", { "class": "n", "data-k": k }, percent(s[k] === null ? null : Math.round(s[k]))));
      });
      rows.appendChild(tr);
    });
    var list = $("[data-disputed]");
    list.textContent = "";
    if (!result.disputed.length) list.appendChild(el("li", {}, t.no_dispute));
    result.disputed.forEach(function (d) {
      var li = el("li", { "data-id": d.statement.id, "data-range": d.range });
      li.appendChild(el("span", { "class": "q-num" }, data.stages[d.stage].number + "." + (d.index + 1)));
      li.appendChild(document.createTextNode(" " + d.statement.text + " "));
      li.appendChild(el("span", { "class": "range" }, data.scale[d.min] + " … " + data.scale[d.max]));
      list.appendChild(li);
    });
    var spread = $("[data-spread-rows]");
    spread.textContent = "";
    result.statements.forEach(function (s) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, data.stages[s.stage].number + "." + (s.index + 1) + " " + s.statement.text));
      s.counts.forEach(function (c) { tr.appendChild(el("td", { "class": "n" }, String(c))); });
      tr.appendChild(el("td", { "class": "n" }, s.n ? String(s.range) : "–"));
      spread.appendChild(tr);
    });
  }

  // Wiring.
  $("[data-tools]").hidden = false;
  $("[data-result]").hidden = false;
  $("[data-team]").hidden = false;
  var name = $("[data-name]");
  name.value = read(NAME) || "";
  name.addEventListener("input", function () { write(NAME, name.value || null); update(); });
  $$("input[type=radio]").forEach(function (r) {
    r.addEventListener("change", function () { if (r.checked) { write(KEY + r.name, r.value); update(); } });
  });
  $("[data-reset]").addEventListener("click", function () {
    if (!window.confirm(t.reset_confirm)) return;
    ids.forEach(function (id) { write(KEY + id, null); });
    showAnswers({});
    update();
  });
  $("[data-print-result]").addEventListener("click", function () { article.setAttribute("data-print", "result"); window.print(); });
  $("[data-print-blank]").addEventListener("click", function () { article.setAttribute("data-print", "blank"); window.print(); });
  window.addEventListener("afterprint", update);
  $("[data-export-button]").addEventListener("click", function () {
    var file = A.exportFile(data, answers(), name.value, new Date());
    var stem = ["assessment", slug(file.name), file.exported.slice(0, 10)].filter(Boolean).join("-");
    download(stem + ".json", JSON.stringify(file, null, 2) + "\n");
  });
  var input = $("[data-team-files]");
  input.addEventListener("change", function () { addFiles(input.files).then(function () { input.value = ""; }); });
  var zone = $("[data-dropzone]");
  zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    zone.classList.remove("over");
    if (e.dataTransfer) addFiles(e.dataTransfer.files);
  });
  $("[data-team-clear]").addEventListener("click", function () { people = []; showTeam([]); });
  window.addEventListener("storage", function (e) {
    if (e.key === null || e.key.indexOf("lotse:assess") === 0) { showAnswers(answers()); name.value = read(NAME) || ""; update(); }
  });
  showAnswers(answers());
  update();
})();
