#!/usr/bin/env node
// Drives the web app opened from disk (file://, no server anywhere) in a
// real browser: Debian's Chromium (CDP) or Firefox ESR (WebDriver BiDi),
// through puppeteer-core with the system binary. Run it inside a
// loopback-only network namespace (file_oracle.test.sh does).
//
//   node file.js chromium|firefox APP_DIR BUNDLE_ONLY_DIR NO_BUNDLE_DIR CASES.json PO.json
//
// APP_DIR: a copy of build/web-app; BUNDLE_ONLY_DIR: the same without the
// files only a served page uses (worker.js, webdoctor.js, webdoctor.wasm);
// NO_BUNDLE_DIR: the same without worker-bundle.js.
// CASES.json: [{ "name", "pick": "pick" | "pick-zip", "path", "status",
//   "ids": [...] (from `webdoctor check --json` on the same input),
//   "fixes": { "WDxxx": { "en": [...], "zh_CN": [...] } } (the fixes' text
//   in each language, from `webdoctor --lang=zh_CN check --json`),
//   "languages": bool }]
// PO.json: { msgid: msgstr } of po/zh_CN.po (file_oracle.test.sh reads it
// with msgfmt and Python's gettext, apart from the build's catalogue.js).
//
// Firefox runs with its own default policy for files
// (security.fileuri.strict_origin_policy, which puppeteer turns off), as a
// person's Firefox does.
//
// Checks: every text of the page's own (each [data-t] element) is a msgid
// of po/zh_CN.po in English and its msgstr in Chinese, no text left in
// English; the verdict and the finding IDs equal the CLI's; the fixes' text
// is in the finding's card, in English and (after the language switch) in
// Chinese; the same with only worker-bundle.js beside the page; no page or
// console error; the browser refuses the page a worker started from
// worker.js (what the bundle is for); without worker-bundle.js, the page
// says so instead of waiting for ever, in Chinese the .po's words; the page's CSP blocks a fetch and an
// image to a server on 127.0.0.1; the browser reports no request but file:,
// blob: and data: ones
// (page.on('request'): CDP Network events of the page and its worker in
// Chromium, BiDi network events in Firefox), and reports the request a
// control page makes to that server, so the count is not blind. Prints
// "ok"/"not ok" lines, "time" lines and "N passed, N failed".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { pathToFileURL } = require('url');
const puppeteer = require('puppeteer-core');

const [browserName, appDir, bundleOnlyDir, noBundleDir, casesFile, poFile] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const po = JSON.parse(fs.readFileSync(poFile, 'utf8'));
const LOCAL = /^(file|blob|data):/;

let passed = 0;
let failed = 0;
function ok(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`ok - ${browserName}: ${what}`);
  } else {
    failed++;
    console.log(`not ok - ${browserName}: ${what}${detail !== undefined ? ': ' + (typeof detail === 'string' ? detail : JSON.stringify(detail)) : ''}`);
  }
  return cond;
}

// "the same words": the report writes a fix's `code` as <code>, and wraps
// nothing else; spaces may differ
function words(s) { return s.replace(/`/g, '').replace(/\s+/g, ' ').trim(); }
function sorted(a) { return [...a].sort(); }

async function main() {
  let outsideHits = 0;
  const outside = http.createServer((req, res) => { outsideHits++; res.end('reached'); });
  await new Promise((resolve) => outside.listen(0, '127.0.0.1', resolve));
  const port = outside.address().port;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `wd-file-${browserName}-`));
  const opts = browserName === 'firefox'
    ? { browser: 'firefox', executablePath: process.env.WD_FIREFOX || '/usr/bin/firefox-esr', headless: true,
        userDataDir: profile,
        // puppeteer turns Firefox's file:// origin policy off: back to
        // Firefox's own default, what a person's Firefox does
        extraPrefsFirefox: { 'network.dns.disableIPv6': true, 'security.fileuri.strict_origin_policy': true } }
    : { executablePath: process.env.WD_CHROMIUM || '/usr/bin/chromium', headless: true, userDataDir: profile,
        args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] };
  const t0 = Date.now();
  const browser = await puppeteer.launch(opts);
  const errors = [];
  const requests = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(String(e && e.message || e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

    await open(page, appDir);
    await staticTexts(page);
    for (const c of cases) await runCase(page, c, '');
    await open(page, bundleOnlyDir);
    await runCase(page, cases[0], 'only worker-bundle.js beside the page: ');
    ok(errors.length === 0, 'no page error or console error', errors);
    // as in a person's browser, the page opened from disk may not start a
    // worker from worker.js, there beside it: what worker-bundle.js is for
    // (Chromium throws; Firefox fires an error event at the worker); in a
    // page of its own, whose requests and errors are not counted above
    const probe = await browser.newPage();
    await probe.goto(pathToFileURL(path.join(appDir, 'index.html')).href);
    const direct = await probe.evaluate(() => new Promise((resolve) => {
      let w;
      try { w = new Worker('worker.js'); } catch (e) { resolve(`refused: ${e.name}`); return; }
      w.onerror = (e) => { e.preventDefault(); w.terminate(); resolve('refused: error event'); };
      setTimeout(() => { w.terminate(); resolve('started'); }, 5000);
    }));
    ok(direct.startsWith('refused'), `the page from disk may not start a worker from worker.js (${direct})`);
    // without worker-bundle.js: a verdict that says so (whether the files
    // come before or after the script's load has failed)
    await probe.goto(pathToFileURL(path.join(noBundleDir, 'index.html')).href);
    let missing;
    try {
      await pick(probe, cases[0]);
      missing = await waitResult(probe, 10000);
    } catch (e) {
      missing = { status: String(e && e.message || e), detail: '' };
    }
    ok(missing.status === 'bad-input' && missing.detail.includes('worker-bundle.js'),
       'without worker-bundle.js beside it, the page says it cannot check, naming the file', missing);
    // the same failure in Chinese: the page's catalogue needs no worker
    await probe.select('#lang', 'zh_CN');
    const zhMissing = await probe.evaluate(() => ({
      title: document.getElementById('verdict-title').textContent,
      detail: document.getElementById('verdict-detail').textContent,
    }));
    ok(missing.title === 'Cannot be checked' && missing.detail === 'worker-bundle.js could not be loaded' &&
       zhMissing.title === po['Cannot be checked'] && zhMissing.detail === po['worker-bundle.js could not be loaded'],
       `without worker-bundle.js, in zh_CN the .po's msgstr (${zhMissing.title}: ${zhMissing.detail})`,
       { en: missing, zh: zhMissing });
    await probe.close();
    // (before the CSP case: Chromium reports the image it blocks)
    const network = requests.filter((u) => !LOCAL.test(u));
    ok(network.length === 0, `no network request (${requests.length} file:, blob: or data: ones reported)`, network);
    if (browserName === 'chromium') {
      // Chromium reports file: requests too: the page took the bundled
      // worker, and nothing the served page loads
      const names = requests.map((u) => u.replace(/^file:\/\/.*\//, ''));
      ok(names.includes('worker-bundle.js') && requests.some((u) => u.startsWith('blob:')) &&
         !names.some((n) => ['worker.js', 'webdoctor.js', 'webdoctor.wasm'].includes(n)),
         'the worker started from worker-bundle.js through a blob: URL', names);
    }
    await cspCase(page, port);
    ok(outsideHits === 0, 'no request reached the server on 127.0.0.1', outsideHits);
    // the control: a page without a CSP fetches from the server; the same
    // listener reports it
    const control = await browser.newPage();
    const seen = [];
    control.on('request', (r) => seen.push(r.url()));
    await control.goto(`http://127.0.0.1:${port}/control`);
    ok(outsideHits >= 1 && seen.some((u) => u.startsWith(`http://127.0.0.1:${port}/`)),
       'control: a request a page makes is reported (the count above is not blind)', { outsideHits, seen });
    await control.close();
  } finally {
    await browser.close().catch(() => {});
    outside.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`time ${browserName} total ${Date.now() - t0}`);
}

async function open(page, dir) {
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
  await page.evaluate(() => {
    document.getElementById('lang').value = 'en';
    document.getElementById('lang').dispatchEvent(new Event('change'));
  });
}

// the page's own texts, in English then in Chinese: each [data-t] element
// shows a msgid of po/zh_CN.po, then that msgid's msgstr
async function staticTexts(page) {
  const texts = () => page.evaluate(() => Array.from(document.querySelectorAll('[data-t]'),
                                                      (el) => [el.dataset.t, el.textContent]));
  const en = await texts();
  await page.select('#lang', 'zh_CN');
  const zh = await texts();
  await page.select('#lang', 'en');
  const wrong = [];
  en.forEach(([key, text], i) => {
    if (!text || !Object.prototype.hasOwnProperty.call(po, text) || zh[i][1] !== po[text]) {
      wrong.push({ key, en: text, zh: zh[i][1], po: po[text] });
    }
  });
  ok(en.length >= 10 && wrong.length === 0,
     `the page's ${en.length} [data-t] texts: msgids of po/zh_CN.po in English, their msgstr in zh_CN`, wrong);
}

async function waitResult(page, timeoutMs) {
  await page.waitForFunction(() => {
    const v = document.getElementById('verdict');
    return v && !v.hidden && v.dataset.status;
  }, { timeout: timeoutMs, polling: 100 });
  return page.evaluate(() => {
    const v = document.getElementById('verdict');
    const host = document.querySelector('#report .report-host');
    const root = host && host.shadowRoot;
    const cards = root ? Array.from(root.querySelectorAll('[data-finding]')) : [];
    const text = {};
    for (const a of cards) text[a.dataset.finding] = (text[a.dataset.finding] || '') + a.textContent;
    return {
      status: v.dataset.status,
      detail: document.getElementById('verdict-detail').textContent,
      title: document.getElementById('verdict-title').textContent,
      readMs: Number(v.dataset.readMs),
      checkMs: Number(v.dataset.checkMs),
      ids: cards.map((a) => a.dataset.finding),
      text,
      reportLang: root ? root.querySelector('.report').lang : '',
      pageLang: document.documentElement.lang,
    };
  });
}

// Chromium gives a folder to the folder picker; Firefox cannot ("Is
// directory"): every file of the (flat) folder goes to the files picker
async function pick(page, c) {
  await page.evaluate(() => { document.getElementById('verdict').dataset.status = ''; });
  if (c.pick === 'pick' && browserName === 'firefox') {
    const entries = fs.readdirSync(c.path, { withFileTypes: true });
    if (entries.some((e) => !e.isFile())) throw new Error(`${c.path}: not a flat folder`);
    const input = await page.$('#pick-files');
    await input.uploadFile(...entries.map((e) => path.join(c.path, e.name)));
    return;
  }
  const input = await page.$('#' + c.pick);
  await input.uploadFile(c.path);
}

function fixesCase(c, r, lang, label) {
  for (const [id, texts] of Object.entries(c.fixes || {})) {
    const card = words(r.text[id] || '');
    const missing = texts[lang].filter((t) => !card.includes(words(t)));
    ok(texts[lang].length > 0 && missing.length === 0,
       `${label}${c.name}: ${id}'s ${texts[lang].length} fixes in its card (${lang})`, { missing, card: card.slice(0, 300) });
  }
}

async function runCase(page, c, label) {
  let r;
  try {
    await pick(page, c);
    r = await waitResult(page, 60000);
  } catch (e) {
    ok(false, `${label}${c.name}: the page answers`, String(e && e.message || e));
    return;
  }
  ok(r.status === c.status, `${label}${c.name}: verdict ${c.status}`, { page: r.status, detail: r.detail });
  ok(JSON.stringify(sorted(r.ids)) === JSON.stringify(sorted(c.ids)),
     `${label}${c.name}: finding IDs equal check --json's (${c.ids.join(' ') || 'none'})`, { page: r.ids, cli: c.ids });
  console.log(`time ${browserName} ${c.name} ${r.readMs.toFixed(1)} ${r.checkMs.toFixed(1)}`);
  fixesCase(c, r, 'en', label);
  if (!c.languages || label) return;
  await page.select('#lang', 'zh_CN');
  let zh;
  try {
    await page.waitForFunction(() => {
      const host = document.querySelector('#report .report-host');
      return host && host.shadowRoot.querySelector('.report').lang === 'zh-CN';
    }, { timeout: 60000, polling: 100 });
    zh = await waitResult(page, 1000);
  } catch (e) {
    ok(false, `${c.name}: switched to zh_CN`, String(e && e.message || e));
    return;
  }
  ok(/[\u4e00-\u9fff]/.test(zh.title) && zh.pageLang === 'zh-CN', `${c.name}: the page in Chinese`,
     { title: zh.title, lang: zh.pageLang });
  ok(zh.status === c.status && JSON.stringify(sorted(zh.ids)) === JSON.stringify(sorted(c.ids)),
     `${c.name}: the same verdict and finding IDs in zh_CN`, { zh: zh.ids, cli: c.ids });
  fixesCase(c, zh, 'zh_CN', label);
  await page.select('#lang', 'en');
  await page.waitForFunction(() => {
    const host = document.querySelector('#report .report-host');
    return host && host.shadowRoot.querySelector('.report').lang === 'en';
  }, { timeout: 60000, polling: 100 });
}

async function cspCase(page, port) {
  const res = await page.evaluate(async (url) => {
    const out = {};
    try { await fetch(url); out.fetch = 'reached'; } catch (e) { out.fetch = 'blocked'; }
    const img = new Image();
    out.img = await new Promise((resolve) => {
      img.onload = () => resolve('reached');
      img.onerror = () => resolve('blocked');
      img.src = url + 'img';
    });
    return out;
  }, `http://127.0.0.1:${port}/`);
  ok(res.fetch === 'blocked' && res.img === 'blocked', 'the CSP blocks a fetch and an image to 127.0.0.1', res);
}

main().then(() => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.log(`not ok - ${browserName}: ${e && e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
