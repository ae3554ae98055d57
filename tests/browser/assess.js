// The position check and portable checklist progress, in Chromium, opened
// from disk (file://) with every request logged: none may leave the disk.
// - /assessment/: answers every statement (the first with the keyboard),
//   checks the six-axis chart and the score table against a hand
//   calculation, reloads (answers kept), prints the result sheet (one A4
//   page) and an empty questionnaire, exports three people's answer files,
//   clears storage, imports them and checks the team's min/median/max per
//   stage and the most disputed statements first; a file with a statement
//   the guide no longer has reports what it dropped;
// - handouts: ticks (one kept in the old format) and an owner exported in
//   one browser profile and imported into a fresh one show the same
//   progress on the stage handouts; re-importing skips what changed later
//   here; an item missing from the guide is reported as an orphan.
// Usage: node assess.js PUBLIC OUTDIR
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { launch, reporter } = require("./lib");

const url = (root, rel) => "file://" + path.join(root, rel);
const pdfPages = (pdf) => +/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))[1];

// The hand calculation: a stage's score is the mean of its answers
// (levels 0..3) as a share of 3, in whole percent.
function expectedScores(counts, pattern) {
  return counts.map((n, s) => {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += pattern(s, k);
    return Math.round((sum / n / 3) * 100);
  });
}
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

async function answerAll(page, data, pattern) {
  for (const [s, stage] of data.stages.entries()) {
    for (const [k, q] of stage.statements.entries()) {
      await page.check(`input[name="${q.id}"][value="${pattern(s, k)}"]`);
    }
  }
}

async function exportAnswers(page, name, file) {
  await page.fill("[data-name]", name);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-export-button]")]);
  await download.saveAs(file);
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

async function assessment(browser, root, out, report, requests) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url(root, "assessment/index.html"));
  const data = await page.evaluate(() => JSON.parse(document.getElementById("lotse-assessment").textContent));
  const counts = data.stages.map((s) => s.statements.length);
  const total = counts.reduce((a, b) => a + b, 0);
  report.check(counts.length === 6 && counts.every((n) => n >= 5 && n <= 7), `six stages of 5-7 statements each, not ${counts}`);
  report.check((await page.locator("fieldset.statement").count()) === total, "one fieldset per statement");
  report.check(data.scale.length === 4 && data.scale[0] === "trifft nicht zu", `default scale: ${data.scale}`);

  // The first statement with the keyboard: Tab into the group, arrows move the choice.
  const first = data.stages[0].statements[0].id;
  await page.focus(`input[name="${first}"][value="0"]`);
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  report.check(await page.isChecked(`input[name="${first}"][value="2"]`), "arrow keys do not move the choice in a radio group");

  const anna = (s, k) => (s + k) % 4;
  await answerAll(page, data, anna);
  const want = expectedScores(counts, anna);
  if (counts.join() === "7,6,6,6,6,6") {
    // 9/21, 9/18, 11/18, 9/18, 7/18, 9/18 of the maximum.
    report.check(want.join() === "43,50,61,50,39,50", `hand calculation: ${want}`);
  }
  const checkResult = async (when) => {
    const cells = await page.locator("[data-score-cell]").allTextContents();
    const got = cells.map((c) => parseInt(c, 10));
    report.check(got.join() === want.join(), `${when}: score table ${cells.join(" | ")} instead of ${want}`);
    const poly = await page.locator("[data-radar] polygon.area.mine").getAttribute("points");
    const pts = poly.split(" ").map((p) => p.split(",").map(Number));
    report.check(pts.length === 6, `${when}: the chart has ${pts.length} axes, not 6`);
    // Centre (300, 219), radius 140: each point's distance is its score.
    const radii = pts.map(([x, y]) => Math.round((Math.hypot(x - 300, y - 219) / 140) * 100));
    report.check(radii.every((r, i) => Math.abs(r - want[i]) <= 1), `${when}: chart radii ${radii} do not match ${want}`);
    const weakest = want.indexOf(Math.min(...want));
    const link = await page.locator("[data-weakest] a").getAttribute("href");
    report.check(link === data.stages[weakest].first.url, `${when}: the weakest stage links ${link}, not its first article`);
    report.check((await page.textContent("[data-answered]")).startsWith(`${total} von ${total}`), `${when}: answered count`);
  };
  await checkResult("answered");
  await page.reload();
  const checked = await page.locator("input[type=radio]:checked").count();
  report.check(checked === total, `after reload ${checked} of ${total} answers are shown`);
  await checkResult("after reload");
  await page.locator("[data-result]").screenshot({ path: path.join(out, "assessment-result.png") });

  // Paper: the result sheet on one A4 page, the empty questionnaire.
  await page.fill("[data-name]", "Anna");
  await page.emulateMedia({ media: "print" });
  const sheet = path.join(out, "assessment-result-sheet.pdf");
  await page.pdf({ path: sheet, preferCSSPageSize: true });
  report.check(pdfPages(sheet) === 1, `the result sheet prints on ${pdfPages(sheet)} pages`);
  const sheetText = execFileSync("pdftotext", [sheet, "-"], { encoding: "utf8" });
  report.check(sheetText.includes("Anna") && sheetText.includes(want[0] + " %"), "the result sheet lacks the name or the scores");
  await page.evaluate(() => document.querySelector("[data-assessment]").setAttribute("data-print", "blank"));
  const blank = path.join(out, "assessment-blank.pdf");
  await page.pdf({ path: blank, preferCSSPageSize: true });
  const blankText = execFileSync("pdftotext", [blank, "-"], { encoding: "utf8" });
  report.check(blankText.includes(data.stages[5].statements[0].text.slice(0, 30)) && !blankText.includes("Ihr Ergebnis"), "the empty questionnaire lacks statements or shows the result");
  await page.emulateMedia({ media: "screen" });

  // Three people's files.
  const files = [];
  const patterns = { anna, ben: () => 3, cleo: (s, k) => (s + k + 2) % 4 };
  for (const [name, pattern] of Object.entries(patterns)) {
    if (name !== "anna") {
      await page.evaluate(() => localStorage.clear());
      await page.reload();
      report.check((await page.locator("input[type=radio]:checked").count()) === 0, "cleared storage still shows answers");
      await answerAll(page, data, pattern);
    }
    const file = path.join(out, `${name}.json`);
    const json = await exportAnswers(page, name, file);
    report.check(json.format === "lotse-assessment" && json.version === 1 && json.name === name && Object.keys(json.answers).length === total, `${name}'s file: ${JSON.stringify(json).slice(0, 120)}`);
    files.push(file);
  }
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.setInputFiles("[data-team-files]", files);
  await page.waitForSelector("[data-team-result]:not([hidden])");
  const scores = Object.values(patterns).map((p) => expectedScores(counts, p));
  const rows = await page.locator("[data-team-rows] tr").evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => parseInt(td.textContent, 10))));
  rows.forEach((row, s) => {
    const xs = scores.map((list) => list[s]);
    const w = [Math.min(...xs), Math.round(median(xs)), Math.max(...xs)];
    report.check(row.join() === w.join(), `team stage ${s + 1}: min/median/max ${row} instead of ${w}`);
  });
  report.check((await page.locator("[data-team-radar] polygon.area").count()) === 3, "the team chart lacks its min, median and max polygons");
  const ranges = (await page.locator("[data-disputed] li").evaluateAll((lis) => lis.map((li) => +li.getAttribute("data-range"))));
  report.check(ranges.length > 0 && ranges[0] === 3 && ranges.every((r, i) => i === 0 || r <= ranges[i - 1]), `disputed statements not largest range first: ${ranges}`);
  report.check((await page.textContent("[data-team-status]")).includes("3 Antwortdateien"), "status does not count three files");
  // With answers, chart and team view shown: axe-core, WCAG A and AA.
  await page.evaluate(() => { document.querySelector(".spread").open = true; });
  await page.addScriptTag({ content: fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8") });
  const axe = await page.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  for (const v of axe.violations) report.fail(`axe with answers and team view: ${v.id} on ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join("; ")}`);
  await page.locator("[data-team]").screenshot({ path: path.join(out, "assessment-team.png") });

  // A file from an older version: a statement the guide no longer has.
  const old = JSON.parse(fs.readFileSync(files[0], "utf8"));
  old.answers.s000000000000 = 2;
  const oldFile = path.join(out, "old.json");
  fs.writeFileSync(oldFile, JSON.stringify(old));
  await page.setInputFiles("[data-team-files]", [oldFile]);
  await page.waitForFunction(() => document.querySelector("[data-team-status]").textContent.includes("old.json"));
  const status = await page.textContent("[data-team-status]");
  report.check(/old\.json: 1 Antworten nicht übernommen/.test(status) && status.includes("4 Antwortdateien"), `older file: ${status}`);
  await context.close();
}

async function progress(browser, root, out, report, requests) {
  const a = await browser.newContext();
  const page = await a.newPage();
  page.on("request", (r) => requests.push(r.url()));
  const handouts = ["01-leadership/checklist/index.html", "02-goals/checklist/index.html"];
  await page.goto(url(root, handouts[0]));
  const boxes = page.locator("input.task[data-check]");
  for (const i of [0, 2, 3]) await page.locator("td.what label").nth(i).click();
  await page.locator("td.owner input.fill").first().fill("Anna Berg");
  // A tick kept in the old format (no time) must travel too.
  const legacy = await boxes.nth(5).getAttribute("data-check");
  await page.evaluate((id) => localStorage.setItem("lotse:check:" + id, "1"), legacy);
  await page.goto(url(root, handouts[1]));
  for (const i of [0, 1]) await page.locator("td.what label").nth(i).click();
  const progressOf = async (p) => (await p.locator(".progress-line .progress").textContent()).trim();
  const before = [];
  for (const h of handouts) { await page.goto(url(root, h)); before.push(await progressOf(page)); }
  report.check(before[0].startsWith("4 ") && before[1].startsWith("2 "), `progress before export: ${before}`);
  await page.goto(url(root, "checklists/index.html"));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-progress-export]")]);
  const file = path.join(out, "progress.json");
  await download.saveAs(file);
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  report.check(json.format === "lotse-progress" && json.version === 1 && json.items.length >= 6, `progress file: ${json.items && json.items.length} items`);
  await a.close();

  const b = await browser.newContext();
  const fresh = await b.newPage();
  fresh.on("request", (r) => requests.push(r.url()));
  await fresh.goto(url(root, handouts[0]));
  report.check((await progressOf(fresh)).startsWith("0 "), "a fresh profile already has progress");
  await fresh.setInputFiles("[data-progress-import]", file);
  await fresh.waitForFunction(() => document.querySelector("[data-progress-status]").textContent.length > 0);
  report.check((await fresh.textContent("[data-progress-status]")).includes(`${json.items.length} neu, 0 aktualisiert, 0 unverändert`), `import: ${await fresh.textContent("[data-progress-status]")}`);
  const after = [];
  for (const h of handouts) { await fresh.goto(url(root, h)); after.push(await progressOf(fresh)); }
  report.check(after.join() === before.join(), `progress after import ${after} instead of ${before}`);
  await fresh.goto(url(root, handouts[0]));
  report.check((await fresh.locator("td.owner input.fill").first().inputValue()) === "Anna Berg", "the owner did not travel");
  await fresh.screenshot({ path: path.join(out, "handout-imported.png"), fullPage: false });

  // Newest change wins: untick here after the export, import again.
  await fresh.locator("td.what label").first().click();
  const n = json.items.length;
  json.items.push({ id: "c000000000000", done: true, changed: "2030-01-01T00:00:00.000Z" });
  const again = path.join(out, "progress-again.json");
  fs.writeFileSync(again, JSON.stringify(json));
  await fresh.setInputFiles("[data-progress-import]", again);
  await fresh.waitForFunction(() => /übersprungen|unverändert/.test(document.querySelector("[data-progress-status]").textContent) && document.querySelector("[data-progress-status]").textContent.includes("0 neu"));
  const status = await fresh.textContent("[data-progress-status]");
  report.check(status.includes(`0 neu, 0 aktualisiert, ${n} unverändert`) && status.includes("1 Punkte der Datei gibt es im Leitfaden nicht mehr"), `re-import: ${status}`);
  report.check(!(await fresh.locator("input.task[data-check]").first().isChecked()), "an older file undid a newer untick");
  await b.close();
}

(async () => {
  const root = path.resolve(process.argv[2]);
  const out = path.resolve(process.argv[3] || fs.mkdtempSync("/tmp/lotse-assess-"));
  fs.mkdirSync(out, { recursive: true });
  const report = reporter("position check and progress files");
  const browser = await launch();
  const requests = [];
  try {
    await assessment(browser, root, out, report, requests);
    await progress(browser, root, out, report, requests);
  } finally {
    await browser.close();
  }
  const away = requests.filter((u) => !/^(file|data|blob):/.test(u));
  report.check(requests.length > 0 && away.length === 0, `requests that left the disk: ${away.slice(0, 5).join(", ")}`);
  report.done();
})().catch((e) => { console.error(e); process.exit(1); });
