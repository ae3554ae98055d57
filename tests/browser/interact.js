// What readers do with the keyboard and the mouse, over HTTP:
// - ticking an item by clicking its text ticks it in an open tab of the
//   article's translation and of the stage handout (storage event), and
//   the reset of a handout clears it everywhere;
// - search results: Down from the box to the first result, Down/Up between
//   results, Up from the first back to the box, Enter opens the first.
// Usage: node interact.js PUBLIC
"use strict";
const path = require("path");
const { launch, serve, reporter } = require("./lib");

(async () => {
  const root = path.resolve(process.argv[2]);
  const report = reporter("ticks and keys");
  const server = await serve(root);
  const browser = await launch();
  try {
    const context = await browser.newContext();
    const de = await context.newPage();
    const en = await context.newPage();
    const handout = await context.newPage();
    await de.goto(server.url + "02-goals/goal-map/");
    await en.goto(server.url + "en/02-goals/goal-map/");
    await handout.goto(server.url + "02-goals/checklist/");
    const first = (page) => page.locator(".content input.task").first();
    const text = await de.locator(".content .task-label").first().textContent();
    await de.locator(".content .task-label").first().click({ position: { x: 60, y: 8 } });
    report.check(await first(de).isChecked(), `clicking the item text "${text.trim().slice(0, 40)}" does not tick it`);
    await en.waitForTimeout(300);
    report.check(await first(en).isChecked(), "the English translation's open tab does not show the tick");
    const id = await first(de).getAttribute("data-check");
    report.check(await handout.locator(`input[data-check="${id}"]`).isChecked(), "the open handout does not show the tick");
    report.check((await handout.locator(".progress-line .progress").textContent()).startsWith("1 "), "handout progress not updated");
    handout.once("dialog", (d) => d.accept());
    await handout.locator("[data-reset]").click();
    await de.waitForTimeout(300);
    report.check(!(await first(de).isChecked()) && !(await first(en).isChecked()), "reset on the handout leaves ticks in other tabs");

    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator("#lotse-search").fill("Ziele");
    await page.waitForSelector(".search-hit a.search-title");
    await page.waitForTimeout(300);
    const titles = page.locator("a.search-title");
    const focused = () => page.evaluate(() => {
      const a = document.activeElement;
      return a.id === "lotse-search" ? "input" : Array.from(document.querySelectorAll("a.search-title")).indexOf(a);
    });
    await page.keyboard.press("ArrowDown");
    report.check((await focused()) === 0, `Down from the box focuses ${await focused()}, not the first result`);
    await page.keyboard.press("ArrowDown");
    report.check((await focused()) === 1, "Down does not move to the second result");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    report.check((await focused()) === "input", "Up from the first result does not return to the box");
    await page.keyboard.press("Tab");
    report.check((await focused()) === 0, "Tab from the box does not go to the first result");
    await page.locator("#lotse-search").focus();
    const href = await titles.first().getAttribute("href");
    await Promise.all([page.waitForURL(new URL(href, page.url()).href.split("#")[0] + "**"), page.keyboard.press("Enter")]);
    report.check(true);
  } finally {
    await browser.close();
    server.close();
  }
  report.done();
})().catch((e) => { console.error(e); process.exit(1); });
