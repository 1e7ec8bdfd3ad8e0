// What the web app's browser drivers (app.js, file.js) share: the counted
// "ok"/"not ok" lines, Debian's Chromium or Firefox ESR launched through
// puppeteer-core with the system binary and a profile of its own, a server
// on 127.0.0.1, the page's pickers, its verdict and finding IDs, its
// language switch, the CSP probe and the final "N passed, N failed".
//
//   const d = require('./driver')(browserName);   // 'chromium' | 'firefox'
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const puppeteer = require('puppeteer-core');

module.exports = function driver(browserName) {
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

  function sorted(a) { return [...a].sort(); }
  function sameItems(a, b) { return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b)); }
  function message(e) { return String(e && e.message || e); }

  // a server on 127.0.0.1, on a port of the system's choice
  function listen(handler) {
    return new Promise((resolve) => {
      const server = http.createServer(handler);
      server.listen(0, '127.0.0.1', () => resolve({ server, port: server.address().port }));
    });
  }

  // the system's browser, headless, with a new profile under $TMPDIR named
  // PREFIX-BROWSER-…; firefoxPrefs go over the ones every run has
  async function launch(prefix, firefoxPrefs) {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-${browserName}-`));
    const opts = browserName === 'firefox'
      ? { browser: 'firefox', executablePath: process.env.WD_FIREFOX || '/usr/bin/firefox-esr', headless: true,
          userDataDir: profile, extraPrefsFirefox: { 'network.dns.disableIPv6': true, ...firefoxPrefs } }
      : { executablePath: process.env.WD_CHROMIUM || '/usr/bin/chromium', headless: true, userDataDir: profile,
          args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] };
    return { browser: await puppeteer.launch(opts), profile };
  }

  async function close(run) {
    await run.browser.close().catch(() => {});
    fs.rmSync(run.profile, { recursive: true, force: true });
  }

  // the page's errors and console errors go into ERRORS
  function watchErrors(page, errors) {
    page.on('pageerror', (e) => errors.push(message(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  }

  // the page in English, whatever the browser's language
  function english(page) {
    return page.evaluate(() => {
      document.getElementById('lang').value = 'en';
      document.getElementById('lang').dispatchEvent(new Event('change'));
    });
  }

  // a new verdict is one set after this
  function clearVerdict(page) {
    return page.evaluate(() => { document.getElementById('verdict').dataset.status = ''; });
  }

  async function upload(page, selector, ...files) {
    const input = await page.$(selector);
    await input.uploadFile(...files);
  }

  // once the page shows a verdict (at most TIMEOUTMS), what it shows: the
  // verdict's data, the report's finding IDs (one per card), its text and
  // each card's text (by ID), and what the module returned (the report's
  // HTML, check's JSON, the fix)
  async function verdict(page, timeoutMs) {
    await page.waitForFunction(() => {
      const v = document.getElementById('verdict');
      return v && !v.hidden && v.dataset.status;
    }, { timeout: timeoutMs, polling: 100 });
    return page.evaluate(() => {
      const v = document.getElementById('verdict');
      const host = document.querySelector('#report .report-host');
      const root = host && host.shadowRoot;
      const cards = root ? Array.from(root.querySelectorAll('[data-finding]')) : [];
      const cardText = {};
      for (const a of cards) cardText[a.dataset.finding] = (cardText[a.dataset.finding] || '') + a.textContent;
      return {
        status: v.dataset.status,
        title: document.getElementById('verdict-title').textContent,
        detail: document.getElementById('verdict-detail').textContent,
        readMs: Number(v.dataset.readMs),
        checkMs: Number(v.dataset.checkMs),
        ids: cards.map((a) => a.dataset.finding),
        reportLang: root ? root.querySelector('.report').lang : '',
        pageLang: document.documentElement.lang,
        text: root ? root.querySelector('.report').textContent : '',
        cardText,
        checks: Number(v.dataset.checks),
        filesRead: Number(v.dataset.filesRead),
        rendered: v.dataset.rendered,
        kind: v.dataset.kind,
        // `last`: the page's own global, its last answer from the worker
        result: typeof last !== 'undefined' && last && last.result ? JSON.stringify({ html: last.result.html, check: last.result.check,
                                                       fix: last.result.fix, status: last.result.status }) : '',
      };
    });
  }

  // until the report is in LANG ('en', 'zh-CN')
  function waitReportLang(page, lang, polling) {
    return page.waitForFunction((w) => {
      const host = document.querySelector('#report .report-host');
      return host && host.shadowRoot.querySelector('.report').lang === w;
    }, { timeout: 60000, polling }, lang);
  }

  // the page's verdict R against the CLI's case C, and its time line
  function verdictChecks(c, r, label) {
    ok(r.status === c.status, `${label}${c.name}: verdict ${c.status}`, { page: r.status, detail: r.detail });
    ok(sameItems(r.ids, c.ids),
       `${label}${c.name}: finding IDs equal check --json's (${c.ids.join(' ') || 'none'})`, { page: r.ids, cli: c.ids });
    console.log(`time ${browserName} ${c.name} ${r.readMs.toFixed(1)} ${r.checkMs.toFixed(1)}`);
  }

  // the page's CSP against a fetch and an image to the server on PORT
  async function cspCase(page, port, where) {
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
    ok(res.fetch === 'blocked' && res.img === 'blocked', `the CSP blocks a fetch and an image ${where}`, res);
  }

  // runs MAIN, then "N passed, N failed" (a throw counts as one failure)
  // and the exit status
  function finish(main) {
    main().then(() => {
      console.log(`${passed} passed, ${failed} failed`);
      process.exit(failed ? 1 : 0);
    }, (e) => {
      console.log(`not ok - ${browserName}: ${e && e.stack || e}`);
      console.log(`${passed} passed, ${failed + 1} failed`);
      process.exit(1);
    });
  }

  return { ok, sorted, sameItems, message, listen, launch, close, watchErrors, english, clearVerdict, upload,
           verdict, waitReportLang, verdictChecks, cspCase, finish };
};
