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
const path = require('path');
const { pathToFileURL } = require('url');

const [browserName, appDir, bundleOnlyDir, noBundleDir, casesFile, poFile] = process.argv.slice(2);
const d = require('./driver')(browserName);
const { ok } = d;
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const po = JSON.parse(fs.readFileSync(poFile, 'utf8'));
const LOCAL = /^(file|blob|data):/;

// "the same words": the report writes a fix's `code` as <code>, and wraps
// nothing else; spaces may differ
function words(s) { return s.replace(/`/g, '').replace(/\s+/g, ' ').trim(); }

async function main() {
  let outsideHits = 0;
  const outside = await d.listen((req, res) => { outsideHits++; res.end('reached'); });
  const port = outside.port;
  const t0 = Date.now();
  // puppeteer turns Firefox's file:// origin policy off: back to Firefox's
  // own default, what a person's Firefox does
  const run = await d.launch('wd-file', { 'security.fileuri.strict_origin_policy': true });
  const { browser } = run;
  const errors = [];
  const requests = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    page.on('request', (r) => requests.push(r.url()));
    d.watchErrors(page, errors);

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
      missing = await d.verdict(probe, 10000);
    } catch (e) {
      missing = { status: d.message(e), detail: '' };
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
    await d.cspCase(page, port, 'to 127.0.0.1');
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
    await d.close(run);
    outside.server.close();
  }
  console.log(`time ${browserName} total ${Date.now() - t0}`);
}

async function open(page, dir) {
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
  await d.english(page);
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

// Chromium gives a folder to the folder picker; Firefox cannot ("Is
// directory"): every file of the (flat) folder goes to the files picker
async function pick(page, c) {
  await d.clearVerdict(page);
  if (c.pick === 'pick' && browserName === 'firefox') {
    const entries = fs.readdirSync(c.path, { withFileTypes: true });
    if (entries.some((e) => !e.isFile())) throw new Error(`${c.path}: not a flat folder`);
    await d.upload(page, '#pick-files', ...entries.map((e) => path.join(c.path, e.name)));
    return;
  }
  await d.upload(page, '#' + c.pick, c.path);
}

function fixesCase(c, r, lang, label) {
  for (const [id, texts] of Object.entries(c.fixes || {})) {
    const card = words(r.cardText[id] || '');
    const missing = texts[lang].filter((t) => !card.includes(words(t)));
    ok(texts[lang].length > 0 && missing.length === 0,
       `${label}${c.name}: ${id}'s ${texts[lang].length} fixes in its card (${lang})`, { missing, card: card.slice(0, 300) });
  }
}

async function runCase(page, c, label) {
  let r;
  try {
    await pick(page, c);
    r = await d.verdict(page, 60000);
  } catch (e) {
    ok(false, `${label}${c.name}: the page answers`, d.message(e));
    return;
  }
  d.verdictChecks(c, r, label);
  fixesCase(c, r, 'en', label);
  if (!c.languages || label) return;
  await page.select('#lang', 'zh_CN');
  let zh;
  try {
    await d.waitReportLang(page, 'zh-CN', 100);
    zh = await d.verdict(page, 1000);
  } catch (e) {
    ok(false, `${c.name}: switched to zh_CN`, d.message(e));
    return;
  }
  ok(/[\u4e00-\u9fff]/.test(zh.title) && zh.pageLang === 'zh-CN', `${c.name}: the page in Chinese`,
     { title: zh.title, lang: zh.pageLang });
  ok(zh.status === c.status && d.sameItems(zh.ids, c.ids),
     `${c.name}: the same verdict and finding IDs in zh_CN`, { zh: zh.ids, cli: c.ids });
  fixesCase(c, zh, 'zh_CN', label);
  await page.select('#lang', 'en');
  await d.waitReportLang(page, 'en', 100);
}

d.finish(main);
