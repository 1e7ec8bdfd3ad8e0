#!/usr/bin/env node
// The CompileError each engine gives for each module of a folder, as a page
// shows it in the console: String(error) of WebAssembly.instantiate(bytes).
//
//   node engines.js ENGINE DIR OUT.json      ENGINE: node | chromium | firefox | jsc
//
// Browsers run headless from the system binaries on about:blank (no server;
// the caller runs them in a loopback-only network namespace, see ./run),
// with a fresh profile each; jsc is the WebKitGTK shell.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const [engine, dir, out] = process.argv.slice(2);
if (!engine || !dir || !out) {
  console.error('usage: engines.js ENGINE DIR OUT.json');
  process.exit(2);
}
const names = fs.readdirSync(dir).filter((n) => n.endsWith('.wasm')).sort();
const inputs = names.map((n) => ({ name: n, b64: fs.readFileSync(path.join(dir, n)).toString('base64') }));

// Runs in the engine: [name, text] for every input.
async function measure(inputs) {
  const decode = (b64) => {
    const s = atob(b64);
    const u = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i);
    return u;
  };
  const res = [];
  for (const { name, b64 } of inputs) {
    let text;
    try {
      await WebAssembly.instantiate(decode(b64), {});
      text = null;
    } catch (e) {
      text = String(e);
    }
    res.push([name, text]);
  }
  return res;
}

function tmpProfile() {
  return fs.mkdtempSync(path.join(process.env.WD_ORACLE_TMP || os.tmpdir(), 'wd-compile-'));
}

async function main() {
  let results, version;
  if (engine === 'node') {
    results = await measure(inputs);
    version = process.versions.v8;
  } else if (engine === 'chromium') {
    const { chromium } = require('playwright-core');
    const profile = tmpProfile();
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium', headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      version = ctx.browser() ? ctx.browser().version() : null;
      const page = ctx.pages()[0] || (await ctx.newPage());
      results = await page.evaluate(`(${measure.toString()})(${JSON.stringify(inputs)})`);
    } finally {
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  } else if (engine === 'firefox') {
    const puppeteer = require('puppeteer-core');
    const profile = tmpProfile();
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true, userDataDir: profile });
    try {
      version = await browser.version();
      const page = await browser.newPage();
      results = await page.evaluate(`(${measure.toString()})(${JSON.stringify(inputs)})`);
    } finally {
      await browser.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  } else if (engine === 'jsc') {
    // the jsc shell has no atob: hand it the files by name
    const script = `
      const res = [];
      const files = ${JSON.stringify(names)};
      let left = files.length;
      for (const n of files) {
        const bytes = read(${JSON.stringify(path.resolve(dir))} + '/' + n, 'binary');
        WebAssembly.instantiate(bytes, {}).then(() => { res.push([n, null]); }, (e) => { res.push([n, String(e)]); })
          .then(() => { if (--left === 0) print('@@RESULTS@@' + JSON.stringify(res)); });
      }`;
    const f = path.join(tmpProfile(), 'compile.js');
    fs.writeFileSync(f, script);
    const r = spawnSync(process.env.WD_JSC || 'jsc', [f], { encoding: 'utf8', timeout: 60000, maxBuffer: 1 << 26 });
    fs.rmSync(path.dirname(f), { recursive: true, force: true });
    const line = (r.stdout || '').split('\n').find((l) => l.startsWith('@@RESULTS@@'));
    if (!line) throw new Error('jsc: no results: ' + r.stdout + r.stderr);
    results = JSON.parse(line.slice(11)).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const v = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'libjavascriptcoregtk-4.0-18'], { encoding: 'utf8' });
    version = (v.stdout || '').trim();
  } else {
    throw new Error('unknown engine ' + engine);
  }
  fs.writeFileSync(out, JSON.stringify({ engine, engine_version: version, results: Object.fromEntries(results) }, null, 1) + '\n');
}

main().catch((e) => {
  console.error(`compile oracle ${engine}: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
