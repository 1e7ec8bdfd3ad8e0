#!/usr/bin/env node
// Oracle driver for Debian's Firefox ESR (SpiderMonkey), driven by
// puppeteer-core over WebDriver BiDi with the system binary.  One browser
// launch and one page run all cases; the page POSTs its results to the local
// server.  Run it inside a loopback-only network namespace.
//
//   node drivers/firefox.js OUT.json [--compare] [--no-trace] [--only a,b] [--fixtures DIR]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const puppeteer = require('puppeteer-core');
const { parseArgs, writeResults, pageQuery, onSignals, timeout } = require('./common.js');
const { startServer } = require('./server.js');

const FIREFOX = process.env.WD_FIREFOX || '/usr/bin/firefox-esr';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  // "Mozilla Firefox 153.7.0esr"
  const versionLine = execFileSync(FIREFOX, ['--version'], { encoding: 'utf8' }).trim();
  const version = versionLine.replace(/^Mozilla Firefox\s+/, '');
  const { server, port, results } = await startServer(args.fixtures);
  const profile = fs.mkdtempSync(path.join(process.env.WD_ORACLE_TMP || os.tmpdir(), 'wd-oracle-firefox-'));
  let browser = null;
  const cleanup = async () => {
    if (browser) await browser.close().catch(() => {});
    browser = null;
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  onSignals(cleanup);
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: {
        'network.dns.disableIPv6': true,
        'app.update.enabled': false,
        'browser.safebrowsing.malware.enabled': false,
        'browser.safebrowsing.phishing.enabled': false,
        'datareporting.policy.dataSubmissionEnabled': false,
        'toolkit.telemetry.enabled': false,
      },
    });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/wasm/__oracle__.html?${pageQuery(args)}`);
    const limit = timeout(120000, 'firefox');
    const doc = await Promise.race([results, limit]);
    limit.clear();
    if (doc.fatal) throw new Error('page: ' + doc.fatal);
    if (!doc.crossOriginIsolated) throw new Error('page is not cross-origin isolated');
    writeResults(args.out, {
      engine: 'firefox',
      engine_version: version,
      engine_detail: `${versionLine}; ${doc.userAgent}`,
      seconds: (Date.now() - t0) / 1000,
      cases: doc.cases,
    });
  } finally {
    await cleanup();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error('oracle firefox: ' + (e && e.stack || e));
  process.exit(1);
});
