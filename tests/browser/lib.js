// Shared helpers of the browser tests: Chromium (Debian's, or
// LOTSE_CHROMIUM), a small static file server that answers like a web host
// (folders to index.html, misses with the language's 404 page), the page
// kinds of the flagship guide, and reporting.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");
const { chromium } = require("playwright-core");

function chromiumPath() {
  const candidates = [process.env.LOTSE_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
  const found = candidates.find((p) => p && fs.existsSync(p));
  if (!found) throw new Error("no Chromium found (apt-get install chromium, or set LOTSE_CHROMIUM)");
  return found;
}

// Playwright starts Chromium with a fresh temporary profile of its own
// (it refuses --user-data-dir), removed when the browser closes.
function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run",
    ],
  });
}

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "application/javascript",
  ".json": "application/json", ".xml": "application/xml", ".csv": "text/csv", ".svg": "image/svg+xml",
  ".png": "image/png", ".txt": "text/plain",
};

// Serves `root` on a free port of 127.0.0.1; resolves to its base URL.
function serve(root) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "");
    if (rel.split("/").includes("..")) { res.writeHead(400); return res.end(); }
    let file = path.join(root, rel);
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (fs.existsSync(file)) {
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" });
      return res.end(fs.readFileSync(file));
    }
    const lang = rel.split("/")[0];
    const langPage = path.join(root, lang, "404.html");
    const page = fs.existsSync(langPage) ? langPage : path.join(root, "404.html");
    res.writeHead(404, { "content-type": TYPES[".html"] });
    res.end(fs.existsSync(page) ? fs.readFileSync(page) : "not found");
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
  }));
}

// Every page kind of the flagship guide, by name: path from the site root.
const PAGE_KINDS = {
  home: "",
  stage: "02-goals/",
  article: "02-goals/goal-map/",
  handout: "02-goals/checklist/",
  "series checklist": "checklists/",
  print: "print/",
  tag: "tags/goals/",
  "tag index": "tags/",
  role: "roles/management/",
  page: "glossary/",
  "english article": "en/02-goals/goal-map/",
  "english role": "en/roles/management/",
  "404": "no/such/page/",
  "english 404": "en/no/such/page/",
  search: "02-goals/goal-map/?q=Ziele",
  assessment: "assessment/",
  "english assessment": "en/assessment/",
  "facilitator guide": "02-goals/workshop/",
  worksheet: "02-goals/worksheets/goal-map/",
  "english facilitator guide": "en/02-goals/workshop/",
};

// Collects failures; `done` prints them and sets the exit code.
function reporter(name) {
  const failures = [];
  let checks = 0;
  return {
    check(ok, message) { checks++; if (!ok) failures.push(message); },
    fail(message) { checks++; failures.push(message); },
    done() {
      if (failures.length) {
        console.error(`${name}: ${failures.length} of ${checks} checks failed:\n- ${failures.join("\n- ")}`);
        process.exitCode = 1;
      } else {
        console.log(`${name}: ${checks} checks passed`);
      }
    },
  };
}

module.exports = { launch, serve, PAGE_KINDS, reporter };
