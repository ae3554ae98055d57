// Search with "more results", from disk: opens PUBLIC/index.html over
// file://, types QUERY, clicks "more results" until it hides, and prints
// the status line, every result link in order and the search files loaded
// after each step, as JSON (the Rust test compares them with the index).
// Usage: node more.js PUBLIC QUERY
"use strict";
const path = require("path");
const { launch } = require("./lib");

(async () => {
  const root = path.resolve(process.argv[2]);
  const query = process.argv[3];
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto("file://" + root + "/index.html");
    await page.locator("#lotse-search").fill(query);
    await page.waitForSelector(".search-hit a.search-title");
    const loaded = () => page.evaluate(() =>
      Array.from(document.querySelectorAll("script[src*='search/']")).map((s) => s.getAttribute("src").split("?")[0].replace(/^.*search\//, "")));
    const steps = [{ links: await page.locator(".search-hit").count(), files: await loaded() }];
    for (let i = 0; i < 100 && await page.locator(".search-more").isVisible(); i++) {
      const before = await page.locator(".search-hit").count();
      await page.locator(".search-more").click();
      await page.waitForFunction((n) => document.querySelectorAll(".search-hit").length > n ||
        document.querySelector(".search-more").hidden, before);
      steps.push({ links: await page.locator(".search-hit").count(), files: await loaded() });
    }
    const links = await page.locator("a.search-title").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const status = await page.locator(".search-status").textContent();
    console.log(JSON.stringify({ status, links, steps }));
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
