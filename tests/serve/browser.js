#!/usr/bin/env node
// Browser tests of `webdoctor serve` in headless Debian Chromium (the system
// binary, driven by playwright-core). Run inside a loopback-only network
// namespace (tests/serve/browser_oracle.test.sh does): every server this
// starts listens on 127.0.0.1 in that namespace and dies with it.
//
//   node browser.js WEBDOCTOR SOURCE_DIR ARTIFACTS_DIR
//
// 1. the threaded sample (built here from tests/fixtures/wasm) loads under
//    webdoctor serve, with crossOriginIsolated === true
// 2. the same folder under a plain server (python3 -m http.server) is not
//    isolated, and the threaded engine does not start
// 3. the seed-failure sample (examples/seed-export) shows the diagnosis
//    overlay with the browser's LinkError and WD101's explanation and fixes
// 4. the same in Chinese (navigator.language zh-CN)
// 5. --no-isolation: the overlay says the threaded page is not isolated (WD203)
// 6. a GDExtension missing from the folder: the overlay shows the 404 and WD201
// 7. --coep credentialless also isolates; --no-inject leaves pages untouched
// Screenshots go to ARTIFACTS_DIR/*.png.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.WD_CHROMIUM || '/usr/bin/chromium';
const [webdoctor, srcDir, artifacts] = process.argv.slice(2);
if (!webdoctor || !srcDir || !artifacts) {
  console.error('usage: node browser.js WEBDOCTOR SOURCE_DIR ARTIFACTS_DIR');
  process.exit(2);
}
fs.mkdirSync(artifacts, { recursive: true });
const tmp = fs.mkdtempSync(path.join(process.env.WD_SERVE_TMP || os.tmpdir(), 'wd-serve-browser-'));
process.env.TMPDIR = tmp; // playwright's browser profile goes here, and is removed with it

let passed = 0, failed = 0;
function check(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}${detail !== undefined ? ': ' + detail : ''}`);
  }
}

const children = [];
function cleanup() {
  for (const c of children) {
    try { c.kill('SIGKILL'); } catch (e) { /* gone */ }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
process.on('SIGTERM', () => { cleanup(); process.exit(143); });
process.on('SIGINT', () => { cleanup(); process.exit(130); });

// Start a server; resolve with its port once it prints where it listens.
function startServer(cmd, args, portRe, name) {
  return new Promise((resolve, reject) => {
    // English messages whatever the environment (the log lines are read below)
    const env = Object.assign({}, process.env, { LC_ALL: 'C.UTF-8' });
    delete env.LANGUAGE;
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no port after 20 s:\n${out}`)), 20000);
    const onData = (d) => {
      out += d.toString();
      const m = out.match(portRe);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${out}`));
    });
  });
}

function serve(dir, extra = []) {
  return startServer(webdoctor, ['--color=never', 'serve', '--port', '0', ...extra, dir],
    /https?:\/\/127\.0\.0\.1:(\d+)\//, 'webdoctor serve');
}

async function withPage(browser, opts, fn) {
  const context = await browser.newContext(opts);
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e}`));
  try {
    return await fn(page, consoleLines);
  } finally {
    await context.close();
  }
}

async function shot(page, name) {
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file });
  console.log(`     screenshot ${file}`);
}

// The overlay lives in an open shadow root; its text, whitespace collapsed.
async function overlayText(page) {
  return page.evaluate(() => {
    const host = document.querySelector('webdoctor-overlay');
    if (!host || !host.shadowRoot) return '';
    return host.shadowRoot.textContent.replace(/\s+/g, ' ');
  });
}

function seedFindings() {
  const seed = path.join(srcDir, 'examples/seed-export');
  try {
    return JSON.parse(execFileSync(webdoctor, ['check', '--json', seed]).toString('utf8'));
  } catch (e) {
    if (e.stdout) return JSON.parse(e.stdout.toString('utf8'));
    throw e;
  }
}

async function run() {
  const t0 = Date.now();
  const threaded = path.join(tmp, 'threaded-export');
  execFileSync(path.join(srcDir, 'tests/serve/make-threaded-export'), [threaded], { stdio: 'inherit' });
  const seed = path.join(srcDir, 'examples/seed-export');
  const wd101 = seedFindings().findings.find((f) => f.id === 'WD101');
  check(!!wd101, 'check finds WD101 in examples/seed-export');

  // the seed export without its GDExtension: a 404 the engine's loader sees
  const missing = path.join(tmp, 'missing-extension');
  fs.cpSync(seed, missing, { recursive: true });
  fs.rmSync(path.join(missing, 'liblimboai.web.template_release.wasm32.wasm'));

  const [wdThreaded, plain, wdSeed, wdNoIso, wdCredless, wdNoInject, wdMissing] = await Promise.all([
    serve(threaded),
    startServer('python3', ['-u', '-m', 'http.server', '--bind', '127.0.0.1', '--directory', threaded, '0'],
      /port (\d+)/, 'python3 -m http.server'),
    serve(seed),
    serve(threaded, ['--no-isolation']),
    serve(threaded, ['--coep', 'credentialless']),
    serve(seed, ['--no-inject']),
    serve(missing),
  ]);

  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--enable-unsafe-swiftshader'],
  });
  const viewport = { width: 1100, height: 760 };
  try {
    // 1. threaded sample under webdoctor serve
    await withPage(browser, { viewport, locale: 'en-US' }, async (page, log) => {
      await page.goto(`http://127.0.0.1:${wdThreaded.port}/`);
      const ready = await page.waitForFunction(() => window.godotReady === true, null, { timeout: 30000 })
        .then(() => true, () => false);
      const facts = await page.evaluate(() => ({
        isolated: window.crossOriginIsolated,
        sab: typeof SharedArrayBuffer === 'function',
        wd: window.__webdoctor && window.__webdoctor.env,
        status: document.getElementById('status-progress').textContent,
      }));
      check(ready, 'threaded sample loads under webdoctor serve (engine, side module and threaded extension)',
        JSON.stringify({ facts, log: log.slice(-6) }));
      check(facts.isolated === true, 'threaded sample: crossOriginIsolated === true under webdoctor serve');
      check(facts.sab === true, 'threaded sample: SharedArrayBuffer is available');
      check(facts.wd && facts.wd.crossOriginIsolated === true, 'the diagnosis script reports crossOriginIsolated');
      await page.waitForTimeout(1700); // the all-clear badge
      await shot(page, 'threaded-webdoctor-serve.png');
    });

    // 2. the same folder, plain server: no headers, not isolated
    await withPage(browser, { viewport, locale: 'en-US' }, async (page, log) => {
      await page.goto(`http://127.0.0.1:${plain.port}/`);
      await page.waitForTimeout(2500);
      const facts = await page.evaluate(() => ({
        isolated: window.crossOriginIsolated,
        sab: typeof SharedArrayBuffer === 'function',
        ready: window.godotReady === true,
        notice: document.getElementById('status-notice').textContent,
      }));
      check(facts.isolated === false, 'plain server (python3 -m http.server): crossOriginIsolated === false',
        JSON.stringify(facts));
      check(facts.sab === false, 'plain server: no SharedArrayBuffer');
      check(!facts.ready, 'plain server: the threaded engine does not start', JSON.stringify({ facts, log }));
      await shot(page, 'threaded-plain-server.png');
    });

    // 3. the seed failure: the overlay explains the LinkError
    const linkError = 'LinkError: WebAssembly.instantiate(): Import #31 "env" "memory": mismatch in shared state of memory, declared = 1, imported = 0';
    await withPage(browser, { viewport, locale: 'en-US' }, async (page, log) => {
      await page.goto(`http://127.0.0.1:${wdSeed.port}/`);
      const shown = await page.waitForFunction(() => window.__webdoctor && window.__webdoctor.shown === true,
        null, { timeout: 20000 }).then(() => true, () => false);
      check(shown, 'seed export: the diagnosis overlay appears', JSON.stringify(log.slice(-6)));
      const state = await page.evaluate(() => ({
        errors: window.__webdoctor.errors,
        matched: window.__webdoctor.matched.map((f) => f.id),
      }));
      const text = await overlayText(page);
      check(state.errors.some((e) => e.message.includes(linkError)), 'seed export: the LinkError is caught',
        JSON.stringify(state.errors));
      check(state.matched[0] === 'WD101', 'seed export: the LinkError is matched to WD101', JSON.stringify(state.matched));
      check(text.includes(linkError), 'overlay shows the browser\'s LinkError verbatim');
      check(text.includes('This page failed to load'), 'overlay title in English');
      const norm = (s) => s.replace(/\s+/g, ' ');
      check(wd101 && text.includes(norm(wd101.message)), 'overlay shows WD101\'s message', text.slice(0, 300));
      check(wd101 && text.includes(norm(wd101.explanation)), 'overlay shows WD101\'s explanation');
      check(wd101 && wd101.fixes.every((f) => text.includes(norm(f.text))), 'overlay shows WD101\'s fixes, in order');
      check(text.includes('declared = 1') && text.includes('imported = 0'), 'overlay names declared = 1, imported = 0');
      const report = await page.evaluate(() => {
        const a = document.querySelector('webdoctor-overlay').shadowRoot.querySelector('a.report');
        return a ? a.getAttribute('href') : null;
      });
      check(report === '/__webdoctor/report.html', 'overlay links to the full HTML report', report);
      const rep = await page.context().request.get(`http://127.0.0.1:${wdSeed.port}/__webdoctor/report.html`);
      check(rep.status() === 200 && (await rep.text()).includes('WD101'), 'the report is served and names WD101');
      await shot(page, 'seed-export-overlay.png');
    });

    // 4. Chinese
    await withPage(browser, { viewport, locale: 'zh-CN' }, async (page) => {
      await page.goto(`http://127.0.0.1:${wdSeed.port}/`);
      await page.waitForFunction(() => window.__webdoctor && window.__webdoctor.shown === true, null, { timeout: 20000 })
        .catch(() => {});
      const text = await overlayText(page);
      const lang = await page.evaluate(() => window.__webdoctor && window.__webdoctor.lang);
      check(lang === 'zh', 'navigator.language zh-CN: the script picks Chinese', String(lang));
      check(text.includes('页面加载失败') && text.includes('修复方法'), 'overlay in Chinese', text.slice(0, 200));
      check(text.includes('WD101') && text.includes(linkError), 'Chinese overlay keeps the ID and the browser text verbatim');
      // with a Chinese catalogue the server sends the findings in Chinese too
      const zh = await (await page.context().request.get(`http://127.0.0.1:${wdSeed.port}/__webdoctor/findings.zh.json`)).json();
      const zh101 = zh.findings.find((f) => f.id === 'WD101');
      if (zh101 && zh101.message_localized && zh101.message_localized !== zh101.message) {
        check(zh.language === 'zh_CN' && zh101.message === wd101.message, 'findings.zh.json: English texts with the Chinese beside them');
        check(text.includes(zh101.message_localized.replace(/\s+/g, ' '))
          && text.includes(zh101.explanation_localized.replace(/\s+/g, ' '))
          && zh101.fixes.every((f) => text.includes(f.text_localized.replace(/\s+/g, ' '))),
          'Chinese overlay shows WD101 in Chinese (findings.zh.json, the zh_CN catalogue)');
      } else {
        console.log('     (no zh_CN catalogue in this build: the findings stay in English)');
      }
      await shot(page, 'seed-export-overlay-zh.png');
    });

    // 5. --no-isolation: the overlay says why a threaded page cannot start
    await withPage(browser, { viewport, locale: 'en-US' }, async (page) => {
      await page.goto(`http://127.0.0.1:${wdNoIso.port}/`);
      const shown = await page.waitForFunction(() => window.__webdoctor && window.__webdoctor.shown === true,
        null, { timeout: 20000 }).then(() => true, () => false);
      const text = await overlayText(page);
      const st = await page.evaluate(() => ({ iso: window.crossOriginIsolated, p: window.__webdoctor.problems,
        m: window.__webdoctor.matched.map((f) => f.id) }));
      check(shown && st.iso === false, '--no-isolation: not isolated, overlay shown', JSON.stringify(st));
      check(st.p.includes('notIsolated') && text.includes('not cross-origin isolated'),
        '--no-isolation: overlay says the threaded page is not cross-origin isolated');
      check(st.m.includes('WD203'), '--no-isolation: overlay shows WD203', JSON.stringify(st.m));
      await shot(page, 'threaded-no-isolation-overlay.png');
    });

    // 6. a file the page loads is missing: the 404 and WD201
    await withPage(browser, { viewport, locale: 'en-US' }, async (page, log) => {
      await page.goto(`http://127.0.0.1:${wdMissing.port}/`);
      const shown = await page.waitForFunction(() => window.__webdoctor && window.__webdoctor.shown === true
        && window.__webdoctor.matched.length > 0, null, { timeout: 20000 }).then(() => true, () => false);
      const st = await page.evaluate(() => ({ errors: window.__webdoctor.errors,
        m: window.__webdoctor.matched.map((f) => f.id) }));
      const text = await overlayText(page);
      check(shown && st.errors.some((e) => e.kind === 'http' && e.message.startsWith('404')
        && e.message.includes('liblimboai.web.template_release.wasm32.wasm')),
        'missing GDExtension: the 404 is caught', JSON.stringify({ st, log: log.slice(-4) }));
      check(st.m.includes('WD201') && text.includes('WD201'), 'missing GDExtension: the overlay shows WD201', JSON.stringify(st.m));
      await shot(page, 'missing-extension-overlay.png');
    });

    // 7. --coep credentialless isolates too; --no-inject adds nothing
    await withPage(browser, { viewport }, async (page) => {
      await page.goto(`http://127.0.0.1:${wdCredless.port}/`);
      const ready = await page.waitForFunction(() => window.godotReady === true, null, { timeout: 30000 })
        .then(() => true, () => false);
      const iso = await page.evaluate(() => window.crossOriginIsolated);
      check(ready && iso === true, '--coep credentialless: threaded sample loads, crossOriginIsolated === true');
    });
    await withPage(browser, { viewport }, async (page) => {
      await page.goto(`http://127.0.0.1:${wdNoInject.port}/`);
      await page.waitForTimeout(1500);
      const st = await page.evaluate(() => ({ wd: typeof window.__webdoctor, overlay: !!document.querySelector('webdoctor-overlay') }));
      check(st.wd === 'undefined' && !st.overlay, '--no-inject: no diagnosis script in the page', JSON.stringify(st));
    });
  } finally {
    await browser.close();
  }
  // the access log of webdoctor serve names each request, with +diagnosis for the shell
  const logText = wdSeed.output();
  check(/"GET \/ HTTP\/1\.1" 200 \d+ \+diagnosis/.test(logText), 'access log: the page, with +diagnosis');
  check(/"GET \/__webdoctor\/findings\.json HTTP\/1\.1" 200/.test(logText), 'access log: the findings request');
  console.log(`browser tests: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

run().then(() => {
  cleanup();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}, (e) => {
  console.error('browser tests: ' + (e && e.stack || e));
  cleanup();
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
