#!/usr/bin/env node
// Drives the web app (build/web-app) in a real browser, as a person would:
// the files go in through the page's own pickers, the answer is read from
// the page. Debian's Chromium or Firefox ESR, driven by puppeteer-core (CDP
// for Chromium, WebDriver BiDi for Firefox) with the system binary. Run it
// inside a loopback-only network namespace (app_oracle.test.sh does).
//
//   node app.js chromium|firefox APP_DIR CASES.json ARTIFACT_DIR
//
// CASES.json: [{ "name", "pick": "pick" | "pick-zip" | "drop", "path", "status",
//   "ids": [...] (from `webdoctor check --json` on the same input),
//   "project": bool, "languages": bool, "screenshot": bool, "timed": bool,
//   "nested": bool (a folder with subfolders: not dropped in Firefox),
//   "loose": bool (drop the folder's files, not the folder: Chromium) }]
//
// The app is served by a small static server in this process that records
// every request; a second server stands for "anywhere else" and must get
// nothing. Checks: the verdict and the multiset of finding IDs equal the
// CLI's, and the page read every file given (data-files-read); a drop is
// read as a folder of its name, or as a zip; for the project, the fix's patched files, written over a copy of
// the project, leave `webdoctor check` without errors; the language switch
// (zh_CN) gives the same IDs in Chinese, runs no check and reads no file,
// and gives the same report HTML, check JSON and fix as a fresh check in
// Chinese (and, back in English, as the first check); the page cannot reach another
// origin (its CSP) and requested nothing but the app's own files, counted
// twice: by the browser's own protocol events over the page's whole life
// (Chromium: DevTools protocol Network events of the page and its worker;
// Firefox: WebDriver BiDi network events), and by the test server; no page
// error; axe-core (WCAG 2.1 A/AA) on the page with a report. Prints
// "ok"/"not ok" lines, "time NAME read_ms check_ms" lines, and
// "N passed, N failed".
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const [browserName, appDir, casesFile, artifacts] = process.argv.slice(2);
const d = require('./driver')(browserName);
const { ok } = d;
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const APP_FILES = ['/index.html', '/app.css', '/catalogue.js', '/app.js', '/worker.js', '/webdoctor.js',
                   '/webdoctor.wasm'];
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
                '.wasm': 'application/wasm' };

const requests = [];
let outsideHits = 0;

async function main() {
  const app = await d.listen((req, res) => {
    const url = new URL(req.url, 'http://x');
    // the driver's own files for Firefox's folder cases (see folderInPage)
    const m = url.pathname.match(/^\/__test__\/(\d+)\/(.*)$/);
    if (m) {
      const c = cases[Number(m[1])];
      const file = path.join(c.path, path.normalize(decodeURIComponent(m[2])));
      if (!file.startsWith(c.path + path.sep)) { res.writeHead(403); res.end(); return; }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
      return;
    }
    requests.push(url.pathname);
    const p = url.pathname === '/' ? '/index.html' : url.pathname;
    const file = path.join(appDir, path.normalize(p));
    if (!file.startsWith(appDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  const outside = await d.listen((req, res) => { outsideHits++; res.end('reached'); });
  const run = await d.launch('wd-webapp');
  const { browser } = run;
  const errors = [];
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 900 });
    d.watchErrors(page, errors);
    // every request the browser itself reports, from the page and its worker:
    // Chromium's DevTools protocol (Network.requestWillBeSent on the page's
    // and the worker's sessions), Firefox's WebDriver BiDi
    // (network.beforeRequestSent)
    const seen = [];
    const failedReqs = [];
    page.on('request', (r) => seen.push(r.url()));
    page.on('requestfailed', (r) => failedReqs.push(`${r.url()} ${r.failure() ? r.failure().errorText : ''}`));
    await page.goto(`http://127.0.0.1:${app.port}/index.html`);
    await d.english(page);
    for (const c of cases) await runCase(page, c);
    ok(errors.length === 0, 'no page error or console error', errors);
    browserRequests(seen, app.port, 'the page\'s load and every check');
    const before = seen.length;
    await d.cspCase(page, outside.port, 'from another origin');
    // the probe's own attempts: Chromium reports the image (and fails it,
    // blocked by the CSP: the events see attempts elsewhere), Firefox
    // neither; the app made no request of its own meanwhile
    const probe = seen.slice(before);
    const probeFailed = probe.filter((u) => failedReqs.some((f) => f.startsWith(u + ' ')));
    ok(probe.every((u) => u.startsWith(`http://127.0.0.1:${outside.port}/`)) && probeFailed.length === probe.length,
       `the CSP probe: ${probe.length} attempt(s) elsewhere reported by the browser, all failed in the browser`,
       { probe, failed: failedReqs });
    await axeCase(page);
    const unexpected = requests.filter((r) => !APP_FILES.includes(r) && r !== '/');
    ok(unexpected.length === 0, `requests only for the app's own files (${requests.length} requests)`, unexpected);
    ok(outsideHits === 0, 'no request reached the other server', outsideHits);
  } finally {
    await d.close(run);
    app.server.close();
    outside.server.close();
  }
}

// The requests the browser reports (protocol events, not the server's log):
// over the network only to the app's own files on the test server, each of
// them (the worker's webdoctor.js and .wasm too: the events cover the
// worker), the same list as the server got; none anywhere else. data: URLs
// (the page's empty icon) never leave the browser: listed, not counted.
function browserRequests(seen, port, when) {
  const own = `http://127.0.0.1:${port}`;
  const local = seen.filter((u) => /^(data|blob):/.test(u));
  // Firefox's folder cases: the driver's own fetches (folderInPage)
  const driver = seen.filter((u) => u.startsWith(own + '/__test__/'));
  const network = seen.filter((u) => !local.includes(u) && !driver.includes(u));
  const paths = network.filter((u) => u.startsWith(own + '/')).map((u) => new URL(u).pathname);
  const elsewhere = network.filter((u) => !u.startsWith(own + '/'));
  const counts = {};
  for (const p of paths) counts[p] = (counts[p] || 0) + 1;
  const list = Object.entries(counts).map(([p, n]) => `${p} ${n}`).join(', ');
  ok(elsewhere.length === 0 && paths.every((p) => APP_FILES.includes(p)) &&
     APP_FILES.every((f) => counts[f] > 0) && d.sameItems(paths, requests),
     `${when}: the browser reports ${network.length} network requests, all for the app's own files and the same as ` +
     `the server's (${list}); ${elsewhere.length} elsewhere; ${local.length} data: URL(s) in the page` +
     (local.length ? ` (${local.map((u) => u.slice(0, 20)).join(', ')})` : '') +
     (driver.length ? `; ${driver.length} driver fetches` : ''),
     { elsewhere, paths, server: requests });
}

function walk(dir, rel, out) {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) walk(dir, r, out);
    else if (e.isFile()) out.push(r);
  }
  return out;
}

// Firefox's WebDriver BiDi cannot give a folder to a webkitdirectory input
// ("Is directory"): a flat folder (an export) goes through the page's file
// picker (#pick-files, every file of it); a folder with subfolders (a
// project) is read by the page from this driver's server into File objects
// with their paths and handed to the page's own entry point, start(), as
// the folder picker does.
async function folderInPage(page, c) {
  const files = walk(c.path, '', []);
  if (files.every((f) => !f.includes('/'))) {
    await d.upload(page, '#pick-files', ...files.map((f) => path.join(c.path, f)));
    return;
  }
  const index = cases.indexOf(c);
  await page.evaluate(async (idx, name, list) => {
    const out = [];
    for (const rel of list) {
      const blob = await (await fetch(`/__test__/${idx}/${rel.split('/').map(encodeURIComponent).join('/')}`)).blob();
      out.push({ path: rel, file: new File([blob], rel.split('/').pop()) });
    }
    start({ name, files: out });
  }, index, path.basename(c.path), files);
}

// A drop onto the drop zone.
//
// Chromium: a real drag and drop through the DevTools protocol
// (Input.dispatchDragEvent dragEnter, dragOver, drop with data.files = the
// absolute path): the browser makes the DataTransfer itself, with real File
// objects and, for a folder, a real FileSystemDirectoryEntry that the page
// walks (webkitGetAsEntry, readEntries, recursion into subfolders).
//
// Firefox: WebDriver BiDi has no drag of files, and a page cannot make a
// directory entry: the files (real, disk-backed File objects that BiDi's
// input.setFiles puts into a hidden input made here) go into a DataTransfer
// made by script and dispatched as dragenter, dragover and drop events. This
// runs the page's drop handler and its reading of dt.items / dt.files, not
// the browser's own drag machinery, and only a flat folder (its files, loose)
// or a single file. Returns what the page's DataTransfer items gave.
async function dropFiles(page, c) {
  const zone = await page.$('#drop');
  const box = await zone.boundingBox();
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  if (browserName === 'chromium') {
    // "loose": the folder's files selected and dragged, not the folder
    const files = c.loose ? walk(c.path, '', []).map((f) => path.join(c.path, f)) : [c.path];
    const data = { items: [], files, dragOperationsMask: 1 };
    await page.mouse.dragEnter(at, data);
    await page.mouse.dragOver(at, data);
    await page.mouse.drop(at, data);
    return `a real drop of ${files.length} ${c.loose ? 'file(s)' : 'item'} (DevTools protocol)`;
  }
  const isDir = fs.statSync(c.path).isDirectory();
  const files = isDir ? walk(c.path, '', []).map((f) => path.join(c.path, f)) : [c.path];
  await page.evaluate(() => {
    const i = document.createElement('input');
    i.type = 'file';
    i.multiple = true;
    i.hidden = true;
    i.id = 'test-drop-files';
    document.body.appendChild(i);
  });
  await d.upload(page, '#test-drop-files', ...files);
  return page.evaluate(() => {
    const input = document.getElementById('test-drop-files');
    const dt = new DataTransfer();
    for (const f of input.files) dt.items.add(f);
    input.remove();
    const kinds = Array.from(dt.items, (it) => {
      const e = it.webkitGetAsEntry ? it.webkitGetAsEntry() : null;
      return e ? (e.isDirectory ? 'directory entry' : 'file entry') : 'no entry';
    });
    const zoneEl = document.getElementById('drop');
    for (const type of ['dragenter', 'dragover', 'drop'])
      zoneEl.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    return `a synthetic drop of ${dt.files.length} file(s) (${[...new Set(kinds)].join(', ')})`;
  });
}

async function pick(page, c) {
  await d.clearVerdict(page);
  if (c.pick === 'drop') return dropFiles(page, c);
  if (browserName === 'firefox' && c.pick === 'pick') return folderInPage(page, c);
  await d.upload(page, '#' + c.pick, c.path);
}

async function runCase(page, c) {
  let r;
  let how = '';
  if (c.pick === 'drop' && browserName === 'firefox' && c.nested) {
    console.log(`# ${browserName}: ${c.name}: skipped: a folder with subfolders cannot be dropped by script (no directory entry)`);
    return;
  }
  if (c.pick === 'drop' && browserName === 'firefox' && c.loose) return;   // every Firefox drop is of loose files
  const readBefore = await page.evaluate(() => Number(document.getElementById('verdict').dataset.filesRead || 0));
  try {
    how = await pick(page, c);
    r = await d.verdict(page, 90000);
  } catch (e) {
    ok(false, `${c.name}: the page answers`, d.message(e));
    return;
  }
  if (c.pick === 'drop') {
    // a folder keeps its name (the page walked a directory entry); a zip is
    // read as a zip
    const name = path.basename(c.path);
    const want = !fs.statSync(c.path).isDirectory() ? 'zip' : c.project ? 'project' : 'export';
    const byName = browserName === 'chromium' && !c.loose;
    const named = !byName && want !== 'zip' || r.detail.startsWith(name + ':');
    ok(r.kind === want && named, `${c.name}: ${how}: read as ${want}${named && byName ? ` named ${name}` : ''}`,
       { kind: r.kind, detail: r.detail });
  }
  // every file of the folder went into the module (all subfolders, every
  // batch of a directory reader), or the one file
  const count = fs.statSync(c.path).isDirectory() ? walk(c.path, '', []).length : 1;
  ok(r.filesRead - readBefore === count, `${c.name}: the page read ${count} file(s)`, r.filesRead - readBefore);
  d.verdictChecks(c, r, '');
  if (c.screenshot) await page.screenshot({ path: path.join(artifacts, `${browserName}-${c.name}-en.png`), fullPage: true });
  if (c.project) await projectCase(page, c);
  if (c.languages) await languageCase(page, c, r);
}

async function projectCase(page, c) {
  const fix = await page.evaluate(() => {
    const links = Array.from(document.querySelectorAll('#fix-files a'), (a) => a.dataset.path);
    return { visible: !document.getElementById('fix').hidden, links,
             diff: document.getElementById('fix-diff').textContent, files: last.result.fix.files };
  });
  ok(fix.visible && fix.files.length > 0 && fix.diff.startsWith('--- a/'),
     `${c.name}: the fix diff and ${fix.files.length} patched file(s) to download`, fix.diff.slice(0, 200));
  ok(JSON.stringify(fix.links) === JSON.stringify(fix.files.map((f) => f.path)), `${c.name}: one download link per patched file`, fix.links);
  // the patched files over a copy of the project: check finds no error left
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'wd-webapp-fixed-'));
  try {
    fs.cpSync(c.path, copy, { recursive: true });
    for (const f of fix.files) fs.writeFileSync(path.join(copy, f.path), f.text);
    let out;
    try {
      out = execFileSync(process.env.WEBDOCTOR, ['check', '--json', copy], { encoding: 'utf8' });
    } catch (e) {
      out = e.stdout;
    }
    const sum = JSON.parse(out).summary;
    ok(sum.errors === 0, `${c.name}: the patched project has no error left (webdoctor check)`, sum);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}

// The language switch writes the kept result again (the module renders its
// findings' message IDs and arguments, the chain and the fix plan in the
// other language): the worker must not check or read anything, and the
// result must be the same as a fresh check of the same files in that
// language; back to English, the same as the first check.
async function switchLanguage(page, to) {
  await page.select('#lang', to);
  await d.waitReportLang(page, to === 'zh_CN' ? 'zh-CN' : 'en', 50);
  return d.verdict(page, 1000);
}

async function languageCase(page, c, en) {
  let r;
  try {
    r = await switchLanguage(page, 'zh_CN');
  } catch (e) {
    ok(false, `${c.name}: switched to zh_CN`, d.message(e));
    return;
  }
  const zh = await page.evaluate(() => ({ title: document.getElementById('verdict-title').textContent,
                                          lang: document.documentElement.lang }));
  ok(/[\u4e00-\u9fff]/.test(r.text) && /[\u4e00-\u9fff]/.test(zh.title) && zh.lang === 'zh-CN',
     `${c.name}: the report and the page in Chinese`, zh);
  ok(d.sameItems(r.ids, en.ids) && r.status === en.status,
     `${c.name}: the same verdict and finding IDs in zh_CN`, { zh: r.ids, en: en.ids });
  ok(r.rendered === 'true' && r.checks === en.checks && r.filesRead === en.filesRead,
     `${c.name}: the switch only renders (checks run ${r.checks}, files read ${r.filesRead}: unchanged)`,
     { rendered: r.rendered, checks: [en.checks, r.checks], filesRead: [en.filesRead, r.filesRead] });
  if (c.screenshot) await page.screenshot({ path: path.join(artifacts, `${browserName}-${c.name}-zh_CN.png`), fullPage: true });
  // a fresh check of the same files, in Chinese
  let fresh;
  try {
    await pick(page, c);
    fresh = await d.verdict(page, 90000);
  } catch (e) {
    ok(false, `${c.name}: a fresh check in zh_CN`, d.message(e));
    return;
  }
  ok(fresh.rendered === 'false' && fresh.checks === r.checks + 1 && fresh.filesRead > r.filesRead,
     `${c.name}: a fresh check runs the check and reads the files`, fresh);
  ok(fresh.result === r.result && r.result.length > 1000,
     `${c.name}: the switched result (report HTML, check JSON, fix) equals a fresh check's in zh_CN (${r.result.length} bytes)`,
     firstDiff(r.result, fresh.result));
  let back;
  try {
    back = await switchLanguage(page, 'en');
  } catch (e) {
    ok(false, `${c.name}: switched back to English`, d.message(e));
    return;
  }
  ok(back.rendered === 'true' && back.checks === fresh.checks && back.result === en.result,
     `${c.name}: switched back, the result equals the first English check's`,
     { rendered: back.rendered, checks: [fresh.checks, back.checks], diff: firstDiff(en.result, back.result) });
}

function firstDiff(a, b) {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `at ${i} of ${a.length}/${b.length}: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

async function axeCase(page) {
  if (browserName !== 'chromium') return;   // one engine is enough for the page's markup
  await page.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const v = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }).then((r) => r.violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)));
  ok(v.length === 0, 'axe-core: no WCAG 2.1 A/AA violation on the page with a report', v);
}

d.finish(main);
