#!/usr/bin/env node
// Oracle driver for Debian's Chromium (V8), driven by playwright-core with
// the system binary.  One browser launch and one page run all cases; the
// page POSTs its results to the local server.  Run it inside a loopback-only
// network namespace (tests/oracle/run does).
//
//   node drivers/chromium.js OUT.json [--compare] [--no-trace] [--only a,b] [--fixtures DIR]
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { parseArgs, writeResults, pageQuery, onSignals, timeout } = require('./common.js');
const { startServer } = require('./server.js');

const CHROMIUM = process.env.WD_CHROMIUM || '/usr/bin/chromium';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const { server, port, results } = await startServer(args.fixtures);
  const profile = fs.mkdtempSync(path.join(process.env.WD_ORACLE_TMP || os.tmpdir(), 'wd-oracle-chromium-'));
  let context = null;
  const cleanup = async () => {
    if (context) await context.close().catch(() => {});
    context = null;
    server.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  onSignals(cleanup);
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const version = context.browser() ? context.browser().version() : null;
    const page = context.pages()[0] || (await context.newPage());
    const console_ = [];
    page.on('console', (m) => console_.push(m.text()));
    await page.goto(`http://127.0.0.1:${port}/wasm/__oracle__.html?${pageQuery(args)}`);
    const limit = timeout(120000, 'chromium');
    const doc = await Promise.race([results, limit]);
    limit.clear();
    if (doc.fatal) throw new Error('page: ' + doc.fatal);
    if (!doc.crossOriginIsolated) throw new Error('page is not cross-origin isolated');
    writeResults(args.out, {
      engine: 'chromium',
      engine_version: version,
      engine_detail: `Chromium ${version}; ${doc.userAgent}`,
      seconds: (Date.now() - t0) / 1000,
      cases: doc.cases,
    });
  } finally {
    await cleanup();
  }
}

main().then(() => process.exit(0), (e) => {
  console.error('oracle chromium: ' + (e && e.stack || e));
  process.exit(1);
});
