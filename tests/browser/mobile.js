// Every page kind at 390 px wide (a phone), light mode, over HTTP: no
// horizontal scrolling, nothing sticking out of the page (outside a
// scrollable table), and the stage map reachable from the top of the page.
// Usage: node mobile.js PUBLIC
"use strict";
const path = require("path");
const { launch, serve, PAGE_KINDS, reporter } = require("./lib");

const WIDTH = 390;

(async () => {
  const root = path.resolve(process.argv[2]);
  const report = reporter("390 px");
  const server = await serve(root);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: 844 }, isMobile: true, hasTouch: true });
    for (const [kind, rel] of Object.entries(PAGE_KINDS)) {
      await page.goto(server.url + rel);
      if (rel.includes("?q=")) await page.waitForSelector(".search-hit mark", { timeout: 10000 });
      const r = await page.evaluate((width) => {
        const doc = document.documentElement;
        const scrolls = (el) => { for (let a = el.parentElement; a; a = a.parentElement) { const o = getComputedStyle(a).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return a !== doc && a !== document.body; } return false; };
        const out = [];
        for (const el of document.body.querySelectorAll("*")) {
          const b = el.getBoundingClientRect();
          if (b.width === 0 || b.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
          if ((b.right > width + 1 || b.left < -1) && !scrolls(el) && !el.closest(".skip-link, .sr-only")) {
            out.push(`${el.tagName.toLowerCase()}${el.className ? "." + String(el.className).split(" ").join(".") : ""} (${Math.round(b.left)}..${Math.round(b.right)} px)`);
          }
        }
        const jump = document.querySelector('a[href="#stage-map"]:not(.skip-link)');
        const jb = jump && jump.getBoundingClientRect();
        return {
          scrollWidth: doc.scrollWidth,
          outside: out.slice(0, 5),
          outsideCount: out.length,
          hasStages: !!document.querySelector("#stage-map li"),
          jumpVisible: !!(jb && jb.width > 0 && jb.top >= 0 && jb.bottom <= 844),
        };
      }, WIDTH);
      report.check(r.scrollWidth <= WIDTH, `${kind} /${rel}: page is ${r.scrollWidth} px wide`);
      report.check(r.outsideCount === 0, `${kind} /${rel}: ${r.outsideCount} element(s) outside the screen: ${r.outside.join(", ")}`);
      report.check(!r.hasStages || r.jumpVisible, `${kind} /${rel}: no visible link to the stage map at the top`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  report.done();
})().catch((e) => { console.error(e); process.exit(1); });
