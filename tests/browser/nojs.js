// A portable build (`lotse build --portable`) opened from disk (file://)
// with JavaScript off: on three pages, every link is activated from the
// keyboard (focus, Enter) and must land on a page of the guide (its <main>,
// and the #fragment's element) or, for exports, on a file that exists;
// never on a folder listing or a missing file.
// Usage: node nojs.js PUBLIC
"use strict";
const fs = require("fs");
const path = require("path");
const { pathToFileURL, fileURLToPath } = require("url");
const { launch, reporter } = require("./lib");

const PAGES = ["index.html", "02-goals/goal-map/index.html", "en/02-goals/checklist/index.html"];

(async () => {
  const root = path.resolve(process.argv[2]);
  const report = reporter("file:// without JavaScript");
  const browser = await launch();
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: false });
    const page = await context.newPage();
    for (const rel of PAGES) {
      const start = pathToFileURL(path.join(root, rel)).href;
      await page.goto(start);
      const links = page.locator("a[href]");
      const count = await links.count();
      report.check(count > 10, `${rel}: only ${count} links`);
      for (let i = 0; i < count; i++) {
        if (page.url() !== start) await page.goto(start);
        const link = links.nth(i);
        const href = await link.getAttribute("href");
        if (/^[a-z][a-z0-9+.-]*:/i.test(href) && !href.startsWith("file:")) continue; // other sites
        const target = new URL(href, start);
        const where = `${rel}: link ${i + 1} ${JSON.stringify(href)}`;
        if (target.protocol !== "file:") { report.fail(`${where} leaves the disk`); continue; }
        const file = fileURLToPath(target.href.split("#")[0].split("?")[0]);
        if (!/\.html$/.test(file)) {
          // An export or other file: it must exist (it downloads or shows as is).
          report.check(fs.existsSync(file) && fs.statSync(file).isFile(), `${where} -> ${file} is not a file`);
          continue;
        }
        if (!(await link.isVisible())) continue; // e.g. the stage-map link of narrow screens
        await link.focus();
        const navigated = page.waitForEvent("framenavigated", { timeout: 5000 }).catch(() => null);
        await page.keyboard.press("Enter");
        await navigated;
        await page.waitForLoadState("domcontentloaded");
        if (page.url() !== target.href) {
          report.fail(`${where}: did not arrive at ${target.href} (at ${page.url()})`);
          continue;
        }
        const main = await page.locator("main#lotse-main").count();
        report.check(main === 1, `${where} -> ${page.url()} shows no page of the guide`);
        if (target.hash.length > 1) {
          const id = decodeURIComponent(target.hash.slice(1));
          const found = await page.locator(`[id="${id.replace(/"/g, '\\"')}"]`).count();
          report.check(found === 1, `${where}: no element with id ${id}`);
        }
      }
    }
  } finally {
    await browser.close();
  }
  report.done();
})().catch((e) => { console.error(e); process.exit(1); });
