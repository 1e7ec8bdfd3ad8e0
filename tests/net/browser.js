// Opens pages in Debian's Chromium (playwright-core, /usr/bin/chromium, a
// fresh profile per case) and reports what a player would get:
//
//   node browser.js CASES.json OUT.json
//
// CASES.json: [{ "name", "url" }]. For each case the page is loaded, and
// the driver waits (up to 20 s) until the page has settled: the game runs
// (window.godotReady), fails (window.godotError), or shows the missing
// features notice without a reload pending. OUT.json: [{ "name",
// "crossOriginIsolated", "isolatedAtStart" (before any reload),
// "ready", "error", "navigations", "status", "console" }].
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.WD_CHROMIUM || '/usr/bin/chromium';

async function runCase(c) {
  const profile = fs.mkdtempSync(path.join(process.env.WD_NET_TMP || os.tmpdir(), 'wd-net-chromium-'));
  let context = null;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] || (await context.newPage());
    const consoleLines = [];
    page.on('console', (m) => consoleLines.push(m.text()));
    let navigations = 0;
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });
    await page.goto(c.url, { waitUntil: 'load', timeout: 15000 });
    const deadline = Date.now() + 20000;
    let state = null;
    // settle: running, failed, or not isolated and nothing happened for 2 s
    let quietSince = Date.now(), lastNav = navigations;
    while (Date.now() < deadline) {
      await page.waitForTimeout(200);
      if (navigations !== lastNav) { lastNav = navigations; quietSince = Date.now(); }
      try {
        state = await page.evaluate(() => ({
          crossOriginIsolated: window.crossOriginIsolated,
          isolatedAtStart: window.isolatedAtStart,
          ready: !!window.godotReady,
          error: window.godotError || null,
          status: (document.getElementById('status') || {}).textContent || '',
        }));
      } catch (e) {
        continue; // navigating
      }
      if (state.ready || state.error) break;
      if (!state.crossOriginIsolated && Date.now() - quietSince > 2500) break;
    }
    return Object.assign({ name: c.name }, state, { navigations, console: consoleLines });
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function main() {
  const [casesFile, outFile] = process.argv.slice(2);
  const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  const out = [];
  for (const c of cases) {
    try {
      out.push(await runCase(c));
    } catch (e) {
      out.push({ name: c.name, fatal: String(e && e.message || e) });
    }
  }
  fs.writeFileSync(outFile, JSON.stringify(out, null, 2));
}

const limit = setTimeout(() => { console.error('browser.js: timed out'); process.exit(3); }, 170000);
main().then(() => { clearTimeout(limit); process.exit(0); },
  (e) => { console.error('browser.js: ' + (e && e.stack || e)); process.exit(1); });
