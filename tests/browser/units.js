// Fixed cases for the pure parts of the theme's scripts, run in Node on the
// very files the site ships: scoring, answer files and team statistics of
// the position check (assessment.js), and merging of checklist progress
// files (lotse.js). The Chromium test (assess.js) runs the same code in
// the page. Usage: node units.js. Exit code 1 on a failed case.
"use strict";
const path = require("path");
const assert = require("assert");
const { reporter } = require("./lib");

const theme = path.join(__dirname, "..", "..", "themes", "default", "static");
const A = require(path.join(theme, "assessment.js"));
const P = require(path.join(theme, "lotse.js"));
const report = reporter("units");

function check(name, fn) {
  try { fn(); report.check(true, name); } catch (e) { report.fail(`${name}: ${e.message}`); }
}

const st = (id) => ({ id, text: `Statement ${id}` });
const data = {
  version: 1, guide: "G", lang: "de",
  scale: ["0", "1", "2", "3"],
  stages: [
    { number: 1, title: "A", statements: [st("a1"), st("a2"), st("a3")] },
    { number: 2, title: "B", statements: [st("b1"), st("b2")] },
    { number: 3, title: "C", statements: [st("c1")] },
  ],
};

check("a stage's score is the mean of its answers on 0-100, rounded; none answered is null", () => {
  // A: (3 + 2 + 0) / 3 = 1.667 of 3 = 55.6 %; B: 1 of 3 = 33.3 %.
  const s = A.scores(data, { a1: 3, a2: 2, a3: 0, b1: 1 });
  assert.deepStrictEqual(s.map((x) => x.score), [56, 33, null]);
  assert.deepStrictEqual(s.map((x) => [x.answered, x.total]), [[3, 3], [1, 2], [0, 1]]);
  assert.strictEqual(A.scores(data, { a1: 3, a2: 3, a3: 3 })[0].score, 100);
  assert.strictEqual(A.scores(data, { a1: 0 })[0].score, 0);
});

check("the weakest stage is the lowest score, the first of equals, none before answers", () => {
  assert.strictEqual(A.weakest(A.scores(data, { a1: 3, a2: 2, a3: 0, b1: 1 })), 1);
  assert.strictEqual(A.weakest(A.scores(data, { a1: 1, b1: 1, c1: 1 })), 0);
  assert.strictEqual(A.weakest(A.scores(data, {})), -1);
});

check("the lowest statements are those in the lower half, lowest first, then in order", () => {
  const low = A.lowest(data, { a1: 3, a2: 1, a3: 0, b1: 1, c1: 0 }, 3);
  assert.deepStrictEqual(low.map((x) => x.statement.id), ["a3", "c1", "a2"]);
});

check("an exported file keeps known answers, sorted, with version and scale size", () => {
  const f = A.exportFile(data, { b1: 2, a1: 0, zz: 1 }, "  Anna ", new Date("2026-03-01T10:00:00Z"));
  assert.deepStrictEqual(f, {
    format: "lotse-assessment", version: 1, guide: "G", lang: "de", name: "Anna",
    exported: "2026-03-01T10:00:00.000Z", levels: 4, answers: { a1: 0, b1: 2 },
  });
  assert.ok(!("name" in A.exportFile(data, {}, "", new Date(0))), "no name, no field");
});

check("reading a file keeps what matches by id and on the scale, and lists what it dropped", () => {
  const r = A.readFile(data, { format: "lotse-assessment", version: 1, guide: "G", lang: "de", levels: 4,
    answers: { a1: 3, gone: 2, b1: 4, b2: 1.5, c1: 0 } });
  assert.strictEqual(r.problem, null);
  assert.deepStrictEqual(r.answers, { a1: 3, c1: 0 });
  assert.deepStrictEqual(r.dropped, ["b1", "b2", "gone"]);
  assert.strictEqual(A.readFile(data, { format: "x" }).problem, "format");
  assert.strictEqual(A.readFile(data, null).problem, "format");
  assert.strictEqual(A.readFile(data, { format: "lotse-assessment", version: 2, levels: 4, answers: {} }).problem, "newer");
  assert.strictEqual(A.readFile(data, { format: "lotse-assessment", version: 1, levels: 5, answers: {} }).problem, "scale");
});

check("the team's stages have min, median and max of the people's stage scores", () => {
  const people = [
    { answers: { a1: 3, a2: 3, a3: 3, b1: 0, b2: 0 } }, // A 100, B 0
    { answers: { a1: 0, a2: 0, a3: 0, b1: 3, b2: 3 } }, // A 0, B 100
    { answers: { a1: 2, a2: 1, a3: 3, b1: 1, b2: 0 } }, // A 6/9 = 67, B 1/6 = 17
  ];
  const t = A.team(data, people, 10);
  assert.strictEqual(t.people, 3);
  assert.deepStrictEqual(t.stages[0], { n: 3, min: 0, median: 67, max: 100 });
  assert.deepStrictEqual(t.stages[1], { n: 3, min: 0, median: 17, max: 100 });
  assert.deepStrictEqual(t.stages[2], { n: 0, min: null, median: null, max: null });
  // All ranges are 3; a3 (3, 0, 3) and b2 (0, 3, 0) spread more than the
  // others (standard deviation 1.41 against 1.25), so they come first.
  assert.deepStrictEqual(t.disputed.map((d) => d.statement.id), ["a3", "b2", "a1", "a2", "b1"]);
  assert.deepStrictEqual(t.statements[0].counts, [1, 0, 1, 1]);
});

check("disputed statements: largest range first, agreement left out", () => {
  const t = A.team(data, [{ answers: { a1: 0, a2: 1, a3: 3 } }, { answers: { a1: 2, a2: 1, a3: 2 } }], 10);
  assert.deepStrictEqual(t.disputed.map((d) => [d.statement.id, d.range]), [["a1", 2], ["a3", 1]]);
  assert.strictEqual(A.median([0, 100]), 50);
  assert.strictEqual(A.median([]), null);
});

check("radar points lie on their axis at the score's share of the radius", () => {
  const g = A.radar(6, 100, 100, 50);
  assert.deepStrictEqual(g.point(0, 100), [100, 50]);
  assert.deepStrictEqual(g.point(0, 50), [100, 75]);
  assert.deepStrictEqual(g.point(3, 100), [100, 150]);
  assert.deepStrictEqual(g.point(1, null), [100, 100]);
});

check("progress merge: newest change wins, legacy ticks lose to dated ones, orphans reported", () => {
  const local = {
    c1: { id: "c1", done: true, changed: "2026-01-01T00:00:00.000Z" },
    c2: { id: "c2", done: false, owner: "Ann", changed: "2026-03-01T00:00:00.000Z" },
    c3: { id: "c3", done: true },
    c5: { id: "c5", done: true, changed: "2026-01-01T00:00:00.000Z" },
  };
  const incoming = [
    { id: "c1", done: false, changed: "2026-02-01T00:00:00.000Z" }, // newer: updated
    { id: "c2", done: true, changed: "2026-02-01T00:00:00.000Z" }, // older: skipped
    { id: "c3", done: false, changed: "2025-01-01T00:00:00.000Z" }, // dated beats undated: updated
    { id: "c4", done: true, owner: "Bo", due: "KW 12" }, // not kept here: added
    { id: "c5", done: true, changed: "2026-05-01T00:00:00.000Z" }, // same content: skipped
    { id: "gone", done: true }, // no longer in the guide
  ];
  const known = { c1: "p1-1-2", c2: "", c3: "", c4: "", c5: "" };
  const m = P.merge(local, incoming, known);
  assert.deepStrictEqual([m.added, m.updated, m.skipped], [1, 2, 2]);
  assert.deepStrictEqual(m.apply.map((r) => r.id), ["c1", "c3", "c4"]);
  assert.deepStrictEqual(m.orphaned, ["gone"]);
});

check("progress files: format and version checked, records cleaned, round trip", () => {
  assert.strictEqual(P.readFile({ format: "lotse-assessment", items: [] }).problem, "format");
  assert.strictEqual(P.readFile({ format: "lotse-progress", version: 9, items: [] }).problem, "newer");
  const f = P.exportFile([{ id: "c1", done: 1, owner: "A", extra: "x" }], "G", new Date("2026-01-02T03:04:05Z"));
  assert.deepStrictEqual(f, { format: "lotse-progress", version: 1, guide: "G", exported: "2026-01-02T03:04:05.000Z", items: [{ id: "c1", done: true, owner: "A" }] });
  const back = P.readFile(JSON.parse(JSON.stringify(f)));
  assert.deepStrictEqual(back, { problem: null, records: [{ id: "c1", done: true, owner: "A" }] });
  const bad = P.readFile({ format: "lotse-progress", version: 1, items: [{ id: "<x>" }, { id: "c1" }, { id: "c1", done: true }] });
  assert.deepStrictEqual(bad.records, [{ id: "c1", done: false }], "bad ids and repeats dropped");
});

report.done();
