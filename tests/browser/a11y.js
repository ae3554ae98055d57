// axe-core (WCAG 2.0/2.1 A and AA rules) on every page kind of a built
// guide, in light and dark mode, over HTTP; with search results shown.
// Usage: node a11y.js PUBLIC. Exit code 1 on any violation.
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, serve, PAGE_KINDS, reporter } = require("./lib");

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

(async () => {
  const root = path.resolve(process.argv[2]);
  const report = reporter("axe-core");
  const server = await serve(root);
  const browser = await launch();
  try {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      for (const [kind, rel] of Object.entries(PAGE_KINDS)) {
        await page.goto(server.url + rel);
        if (rel.includes("?q=")) {
          await page.waitForSelector(".search-hit mark", { timeout: 10000 });
        }
        await page.addScriptTag({ content: AXE });
        const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
        report.check(result.passes.length > 0, `${kind} (${scheme}): axe ran no rules`);
        for (const v of result.violations) {
          const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ") + (n.failureSummary ? ` (${n.failureSummary.split("\n").slice(1, 2).join("").trim()})` : "")).join("; ");
          report.fail(`${kind} (${scheme}) /${rel}: ${v.id} [${v.impact}] on ${v.nodes.length} element(s): ${v.help}. ${where}`);
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  report.done();
})().catch((e) => { console.error(e); process.exit(1); });
