// Screenshots for looking at the theme (not a test): every page kind at
// 390 px and 1280 px, light and dark. Usage: node shots.js PUBLIC OUTDIR
"use strict";
const fs = require("fs");
const path = require("path");
const { launch, serve, PAGE_KINDS } = require("./lib");

(async () => {
  const [root, out, only] = process.argv.slice(2);
  fs.mkdirSync(out, { recursive: true });
  const server = await serve(path.resolve(root));
  const browser = await launch();
  for (const scheme of ["light", "dark"]) {
    for (const width of [390, 1280]) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      for (const [kind, rel] of Object.entries(PAGE_KINDS)) {
        if (only && !kind.includes(only)) continue;
        await page.goto(server.url + rel);
        await page.waitForTimeout(rel.includes("?q=") ? 800 : 100);
        const name = `${kind.replace(/ /g, "-")}-${width}-${scheme}.png`;
        await page.screenshot({ path: path.join(out, name), fullPage: width === 390 ? false : false });
      }
      await page.close();
    }
  }
  await browser.close();
  server.close();
})().catch((e) => { console.error(e); process.exit(1); });
