// Prints the whole guide (/print/) and the series checklist (/checklists/)
// of each language to PDF with Chromium and checks every PDF page with
// poppler's pdftotext: the paper is the one site.yaml asks for, no page
// ends with a heading or a title block (title, eyebrow, lead), no heading
// is split across two pages, and every
// page of a checklist after the first starts with the name of an article
// or stage (a continued table repeats it; a lone notes block fails).
// Usage: node print.js PUBLIC A4|Letter OUTDIR
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");
const { launch, serve, reporter } = require("./lib");

const compact = (s) => s.replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();

function pdfPages(pdf) {
  const info = execFileSync("pdfinfo", [pdf], { encoding: "utf8" });
  const count = +/Pages:\s+(\d+)/.exec(info)[1];
  const size = /Page size:\s+(.*)/.exec(info)[1];
  const pages = [];
  for (let n = 1; n <= count; n++) {
    pages.push(execFileSync("pdftotext", ["-f", String(n), "-l", String(n), pdf, "-"], { encoding: "utf8" }));
  }
  return { size, pages };
}

// A page's text lines without the running header (the guide's title) and
// footer (page numbers).
function lines(text, title) {
  const all = text.split("\n").map((l) => l.trim()).filter((l) => l && !/^\d+ \/ \d+$/.test(l) && l !== "\f");
  if (all[0] === title) all.shift();
  if (all[all.length - 1] === title) all.pop();
  return all;
}

(async () => {
  const [rootArg, paper, outArg] = process.argv.slice(2);
  const root = path.resolve(rootArg);
  const out = path.resolve(outArg || fs.mkdtempSync("/tmp/lotse-print-"));
  fs.mkdirSync(out, { recursive: true });
  const report = reporter(`print (${paper})`);
  const server = await serve(root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    for (const rel of ["print/", "checklists/", "en/print/", "en/checklists/"]) {
      if (!fs.existsSync(path.join(root, rel, "index.html"))) continue;
      await page.goto(server.url + rel);
      // For trying out print rules: LOTSE_PRINT_CSS is added to each page.
      if (process.env.LOTSE_PRINT_CSS) await page.addStyleTag({ content: process.env.LOTSE_PRINT_CSS });
      await page.emulateMedia({ media: "print" });
      // Heading-like blocks as printed, each with the text printed just
      // before it, so a paragraph whose last line happens to read like a
      // heading is not taken for one.
      const dom = await page.evaluate(() => {
        const compact = (t) => t.replace(/[^\p{L}\p{N}]/gu, "").toLowerCase();
        const sel = "main h1, main h2, main h3, main h4, main h5, main h6, .eyebrow, .print-head .lead, .print-head .outcome, .repeat-title th, .section-row th, .section-head, .stage-head";
        const marked = new Set(document.querySelectorAll(sel));
        const headings = [];
        let text = "";
        const walk = (node) => {
          if (node.nodeType === 3) { text += compact(node.data); return; }
          if (node.nodeType !== 1 || getComputedStyle(node).display === "none") return;
          if (marked.has(node)) headings.push({ text: compact(node.textContent), before: text.slice(-24) });
          for (const child of node.childNodes) walk(child);
        };
        walk(document.body);
        const names = Array.from(document.querySelectorAll(".repeat-title .t, .stage-head, .handout-head h1")).map((e) => compact(e.textContent));
        return { headings: headings.filter((h) => h.text.length >= 3), names };
      });
      const siteTitle = await page.evaluate(() => document.querySelector(".brand span").textContent.trim());
      const pdf = path.join(out, `${rel.replace(/\//g, "-")}${paper}.pdf`);
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: false });
      const { size, pages } = pdfPages(pdf);
      const want = paper === "Letter" ? /\(letter\)/i : /\(A4\)/;
      report.check(want.test(size), `/${rel}: paper is ${size}, not ${paper}`);
      pages.forEach((text, i) => {
        const l = lines(text, siteTitle);
        const where = `/${rel} ${paper} page ${i + 1} of ${pages.length}`;
        if (!l.length) { report.fail(`${where} is empty`); return; }
        let ends = null;
        for (let k = 1; k <= Math.min(6, l.length) && !ends; k++) {
          const tail = compact(l.slice(-k).join(" "));
          const before = compact(l.slice(0, -k).join(" "));
          ends = dom.headings.find((h) => h.text === tail && (before === "" || before.endsWith(h.before.slice(-Math.min(before.length, 24)))));
          if (ends) report.fail(`${where} ends with a heading or title block: ${JSON.stringify(l.slice(-k).join(" "))}`);
        }
        // A heading split across two pages: its start ends this page, its
        // rest starts the next.
        const next = i + 1 < pages.length ? compact(lines(pages[i + 1], siteTitle).slice(0, 3).join(" ")) : "";
        for (let k = 1; k <= Math.min(3, l.length); k++) {
          const tail = compact(l.slice(-k).join(" "));
          const split = dom.headings.find((h) => h.text.length > tail.length && h.text.startsWith(tail) && next.startsWith(h.text.slice(tail.length)));
          if (split) { report.fail(`${where}: heading split across pages: ${JSON.stringify(l.slice(-k).join(" "))}`); break; }
        }
        report.check(true);
        if (rel.endsWith("checklists/") && i > 0) {
          const first = compact(l.slice(0, 3).join(" "));
          report.check(dom.names.some((n) => first.startsWith(n)), `${where} does not start with an article or stage name: ${JSON.stringify(l.slice(0, 2).join(" | "))}`);
        }
      });
      console.log(`/${rel}: ${pages.length} ${paper} pages -> ${pdf}`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  report.done();
})().catch((e) => { console.error(e); process.exit(1); });
