#!/usr/bin/env node
// Opens webdoctor's HTML reports in Debian's Chromium (playwright-core with
// the system binary) and checks what a person and a screen reader get.
// Run it inside a loopback-only network namespace (browser_oracle.test.sh
// does); the reports are opened as file:// pages.
//
//   node browser.js ARTIFACT_DIR CASES.json
//
// CASES.json: [{ "name", "html", "check" (check --json output), "expect": {
//   "nodes": [[kind, name], ...], "fail_to": name or null, "columns": N,
//   "malicious": string or null, "screenshot": bool } }]
//
// Per case it checks: no console message of type error or warning, no page
// error, no request but the report itself (every request is recorded, and
// the Resource Timing list must be empty); the SVG's nodes (kind, name,
// verdict, memory) against check --json and the expected list; the failing
// edge and its exact engine message; the fixes side by side; selectable
// text (mouse drag, then the selection); the SVG's text contrast (WCAG AA);
// axe-core with every WCAG 2.1 A/AA and best-practice rule, details closed
// and open. Prints "ok"/"not ok" lines and "N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.WD_CHROMIUM || '/usr/bin/chromium';
const AXE = require.resolve('axe-core/axe.min.js');

let passed = 0;
let failed = 0;
function ok(cond, what, detail) {
  if (cond) {
    passed++;
    console.log(`ok - ${what}`);
  } else {
    failed++;
    console.log(`not ok - ${what}${detail !== undefined ? ': ' + (typeof detail === 'string' ? detail : JSON.stringify(detail)) : ''}`);
  }
  return cond;
}

// WCAG 2.1 relative luminance and contrast ratio of two #rrggbb / rgb() colours
function parseColor(c) {
  c = String(c).trim();
  let m = c.match(/^#([0-9a-f]{6})$/i);
  if (m) return [0, 2, 4].map((i) => parseInt(m[1].slice(i, i + 2), 16));
  m = c.match(/^rgba?\((\d+),\s*(\d+),\s*(\d+)/);
  if (m) return [+m[1], +m[2], +m[3]];
  return null;
}
function luminance(rgb) {
  const [r, g, b] = rgb.map((v) => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

// The rules this suite insists were evaluated (passed, or not applicable
// because the page has no such element) besides "no violation at all".
const NAMED_RULES = ['color-contrast', 'svg-img-alt', 'role-img-alt', 'image-alt', 'heading-order',
  'page-has-heading-one', 'empty-heading', 'document-title', 'html-has-lang', 'html-lang-valid',
  'landmark-one-main', 'region', 'list', 'listitem', 'definition-list', 'dlitem', 'link-name',
  'td-headers-attr', 'th-has-data-cells', 'scope-attr-valid', 'duplicate-id-aria', 'aria-valid-attr-value',
  'meta-viewport', 'nested-interactive', 'summary-name'];

async function runAxe(page) {
  const src = fs.readFileSync(AXE, 'utf8');
  // evaluated through the DevTools protocol: the report's CSP forbids
  // scripts, and this does not need to weaken it
  await page.evaluate(src);
  return page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations', 'passes', 'inapplicable', 'incomplete'],
  }).then((r) => ({
    violations: r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '')) })),
    passes: r.passes.map((v) => v.id),
    inapplicable: r.inapplicable.map((v) => v.id),
    incomplete: r.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.length })),
  })));
}

// Drag the mouse over an element's first line; returns the selected text.
async function dragSelect(page, selector) {
  const box = await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (!el) return null;
    el.scrollIntoView({ block: 'center' });
    const r = el.getBoundingClientRect();
    const lh = el.getClientRects()[0] || r;
    return { x0: r.left + 2, x1: Math.min(r.right - 2, lh.right - 2), y: lh.top + lh.height / 2 };
  }, selector);
  if (!box) return null;
  await page.mouse.move(box.x0, box.y);
  await page.mouse.down();
  await page.mouse.move((box.x0 + box.x1) / 2, box.y, { steps: 4 });
  await page.mouse.move(box.x1, box.y, { steps: 4 });
  await page.mouse.up();
  const text = await page.evaluate(() => String(window.getSelection()));
  await page.evaluate(() => window.getSelection().removeAllRanges());
  return text;
}

async function checkCase(browser, c, artifacts) {
  const check = JSON.parse(fs.readFileSync(c.check, 'utf8'));
  const url = 'file://' + path.resolve(c.html);
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requests = [];
  const consoleMsgs = [];
  const pageErrors = [];
  context.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => consoleMsgs.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const tag = `[${c.name}]`;
  // and what the DevTools protocol sees, below playwright's events
  const cdpRequests = [];
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => cdpRequests.push(e.request.url));

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(300); // anything late (fonts, prefetch) would show up here
  const serious = consoleMsgs.filter((m) => /^(error|warning|assert)/.test(m));
  ok(serious.length === 0, `${tag} no console error or warning`, serious);
  ok(pageErrors.length === 0, `${tag} no page error`, pageErrors);
  ok(requests.length === 1 && requests[0] === url, `${tag} no request but the report itself`, requests);
  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  ok(resources.length === 0, `${tag} Resource Timing lists no resource`, resources);
  const counts = await page.evaluate(() => ({
    scripts: document.getElementsByTagName('script').length,
    external: Array.from(document.querySelectorAll('[src],link[href],[srcset]')).length,
    handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length,
    h1: document.querySelectorAll('h1').length,
  }));
  ok(counts.scripts === 0 && counts.external === 0 && counts.handlers === 0,
    `${tag} no script, no external resource, no event handler attribute`, counts);

  // ---- the SVG ----
  const svg = await page.evaluate(() => {
    const s = document.getElementById('load-chain');
    if (!s) return null;
    const text = (el) => el.textContent;
    return {
      title: (s.querySelector(':scope > title') || {}).textContent || '',
      desc: (s.querySelector(':scope > desc') || {}).textContent || '',
      labelledby: s.getAttribute('aria-labelledby'),
      nodes: Array.from(s.querySelectorAll('g.node')).map((g) => ({
        kind: g.dataset.kind, name: g.dataset.name, verdict: g.dataset.verdict, shared: g.dataset.shared,
        text: Array.from(g.querySelectorAll('text')).map((t) => t.textContent),
      })),
      edges: Array.from(s.querySelectorAll('g.edge')).map((g) => ({
        from: g.dataset.from, to: g.dataset.to, status: g.dataset.status,
        stroke: g.querySelector('path') ? getComputedStyle(g.querySelector('path')).stroke : null,
        message: g.querySelector('text.edge-message') ? text(g.querySelector('text.edge-message')) : null,
      })),
    };
  });
  if (ok(svg !== null, `${tag} the report has the load-chain SVG`)) {
    const chain = (check.target && check.target.chain) || [];
    ok(JSON.stringify(svg.nodes.map((n) => [n.kind, n.name])) === JSON.stringify(c.expect.nodes),
      `${tag} SVG nodes are the expected ones, in order`, svg.nodes.map((n) => [n.kind, n.name]));
    ok(JSON.stringify(svg.nodes.map((n) => [n.kind, n.name, n.verdict,
      n.shared === 'unknown' ? null : n.shared === 'true'])) ===
      JSON.stringify(chain.map((n) => [n.kind, n.name, n.verdict, n.shared_memory])),
    `${tag} SVG nodes match check --json (kind, name, verdict, shared memory)`);
    for (const n of svg.nodes) {
      const t = n.text.join(' | ');
      // a module shows its memory; any other file, what it is
      const what = { page: /HTML shell/, glue: /JavaScript glue/, preset: /export preset/ }[n.kind] || /memory unknown/;
      const want = n.shared === 'true' ? /shared memory/ : n.shared === 'false' ? /memory not shared/ : what;
      ok(want.test(t) && !/not a WebAssembly module/.test(t), `${tag} node ${n.name} shows its memory (${n.shared}) or what it is`, t);
      if (['main', 'engine-side', 'extension', 'template'].includes(n.kind))
        ok(/Emscripten/.test(t), `${tag} node ${n.name} shows its Emscripten version`, t);
    }
    ok(svg.title.length > 0 && svg.desc.length > 0 && svg.labelledby === 'load-chain-title load-chain-desc',
      `${tag} the SVG has a title and a description it is labelled by`);
    ok(chain.every((n) => svg.desc.includes(n.name)), `${tag} the SVG description names every node`, svg.desc);
    const failing = svg.edges.filter((e) => e.status === 'fail');
    if (c.expect.fail_to) {
      const want = chain.find((n) => n.name === c.expect.fail_to);
      ok(failing.length === 1 && failing[0].to === c.expect.fail_to, `${tag} one failing edge, into ${c.expect.fail_to}`, failing);
      ok(want && want.edge_message && failing[0] && failing[0].message === want.edge_message,
        `${tag} the failing edge carries the engine's exact message`, failing[0] && failing[0].message);
      ok(failing[0] && parseColor(failing[0].stroke) && parseColor(failing[0].stroke)[0] > 150,
        `${tag} the failing edge is drawn red`, failing[0] && failing[0].stroke);
      const finding = check.findings.find((f) => f.engine_message && f.engine_message.includes(want.edge_message));
      ok(!!finding, `${tag} the edge message is one of the finding's engine texts`);
    } else {
      ok(failing.length === 0, `${tag} no failing edge`, failing);
      ok(svg.nodes.every((n) => n.verdict === 'ok'), `${tag} every node is OK`);
    }
    ok(svg.edges.length === chain.filter((n) => n.kind !== 'page' && n.kind !== 'preset').length,
      `${tag} an edge into every node but the roots`, svg.edges.length);
    // SVG text contrast against what it is drawn on (axe does not look into SVG)
    const pairs = await page.evaluate(() => {
      const out = [];
      for (const g of document.querySelectorAll('#load-chain g.node')) {
        const bg = g.querySelector('rect').getAttribute('fill');
        for (const t of g.querySelectorAll('text')) out.push({ fg: getComputedStyle(t).fill, bg, what: t.textContent });
      }
      for (const t of document.querySelectorAll('#load-chain g.edge text'))
        out.push({ fg: getComputedStyle(t).fill, bg: getComputedStyle(document.querySelector('figure.chain')).backgroundColor, what: t.textContent });
      return out;
    });
    const low = pairs.map((p) => ({ ...p, ratio: contrast(parseColor(p.fg), parseColor(p.bg)) })).filter((p) => !(p.ratio >= 4.5));
    ok(pairs.length > 0 && low.length === 0, `${tag} every SVG text has a contrast of 4.5:1 or more (${pairs.length} texts)`, low);
  }

  // ---- findings and fixes ----
  const arts = await page.evaluate(() => Array.from(document.querySelectorAll('article.finding')).map((a) => {
    const table = a.querySelector('table.fixes');
    const cells = (sel) => table ? Array.from(table.querySelectorAll(sel)).map((td) => {
      const r = td.getBoundingClientRect();
      return { text: td.innerText.replace(/\s+/g, ' ').trim(), x: Math.round(r.left), y: Math.round(r.top) };
    }) : [];
    return {
      id: a.dataset.id,
      message: (a.querySelector('.message') || {}).textContent,
      explanation: (a.querySelector('.explanation') || {}).textContent || null,
      engines: Array.from(a.querySelectorAll('ul.engines li')).map((li) => li.textContent),
      todo: cells('tr.todo td'), tradeoffs: cells('tr.tradeoffs td'),
    };
  }));
  ok(JSON.stringify(arts.map((a) => [a.id, a.message])) === JSON.stringify(check.findings.map((f) => [f.id, f.message])),
    `${tag} every finding, in order, with its message`);
  check.findings.forEach((f, i) => {
    const a = arts[i];
    if (!a) return;
    if (f.explanation) ok(a.explanation === f.explanation, `${tag} ${f.id} explanation`);
    if (f.engine_message) {
      const lines = f.engine_message.split('\n').filter(Boolean);
      ok(a.engines.length === lines.length && lines.every((l, k) => a.engines[k].replace(/\s+/g, ' ').includes(l.slice(l.indexOf('): ') + 3).replace(/\s+/g, ' '))),
        `${tag} ${f.id} shows every browser's text verbatim`, a.engines);
    }
    ok(a.todo.length === f.fixes.length && f.fixes.every((x, k) => a.todo[k].text === x.text.replace(/`/g, '').replace(/\s+/g, ' ')),
      `${tag} ${f.id} has its ${f.fixes.length} fixes, best first`, a.todo.map((t) => t.text.slice(0, 60)));
    if (f.fixes.length > 1 && f.fixes.some((x) => x.tradeoff)) {
      const ys = new Set(a.tradeoffs.map((t) => t.y));
      const xs = a.tradeoffs.map((t) => t.x);
      ok(a.tradeoffs.length === f.fixes.length && ys.size === 1 && xs.every((x, k) => k === 0 || x > xs[k - 1]),
        `${tag} ${f.id} trade-offs stand side by side (${a.tradeoffs.length} columns)`, a.tradeoffs);
      ok(f.fixes.every((x, k) => !x.tradeoff || x.tradeoff.split('; ').every((part) => a.tradeoffs[k].text.includes(part))),
        `${tag} ${f.id} each column holds its fix's trade-offs`);
    }
  });
  if (c.expect.columns)
    ok(arts.some((a) => a.tradeoffs.length === c.expect.columns), `${tag} a finding with ${c.expect.columns} fix columns`);

  // ---- malicious names stay text ----
  if (c.expect.malicious) {
    const m = await page.evaluate((name) => ({
      text: document.body.textContent.includes(name),
      svg: Array.from(document.querySelectorAll('#load-chain g.node')).some((g) => g.dataset.name === name),
      title: document.title,
      scripts: document.getElementsByTagName('script').length,
      elements: Array.from(document.querySelectorAll('*')).map((e) => e.localName).filter((n) => !/^(html|head|meta|title|style|body|header|div|p|h[1-4]|main|section|span|a|ul|li|dl|dt|dd|figure|figcaption|svg|desc|defs|marker|path|g|rect|text|tspan|circle|article|table|thead|tbody|tr|th|td|strong|code|details|summary|caption|footer|wbr)$/.test(n)),
    }), c.expect.malicious);
    ok(m.text && m.svg && m.scripts === 0 && m.elements.length === 0,
      `${tag} the malicious name is shown as text, and makes no element`, m);
  }

  // ---- selectable text ----
  const selH2 = await dragSelect(page, '#verdict');
  ok(selH2 && selH2.trim().length > 5, `${tag} the verdict heading can be selected with the mouse`, selH2);
  if (c.expect.fail_to) {
    const sel = await dragSelect(page, '#load-chain text.edge-message tspan');
    ok(sel && sel.length > 10 && svg.edges.some((e) => e.message && e.message.startsWith(sel.trim().slice(0, 10))),
      `${tag} the engine's message in the SVG can be selected with the mouse`, sel);
    const selFix = await dragSelect(page, 'table.fixes tr.tradeoffs li');
    ok(selFix && selFix.trim().length > 3, `${tag} a trade-off can be selected with the mouse`, selFix);
  }
  const userSelect = await page.evaluate(() => Array.from(document.querySelectorAll('body, body *'))
    .filter((e) => getComputedStyle(e).userSelect === 'none').map((e) => e.localName));
  ok(userSelect.length === 0, `${tag} nothing has user-select: none`, userSelect);

  // ---- screenshot (details closed, as a person first sees it) ----
  if (c.expect.screenshot) {
    const file = path.join(artifacts, `${c.name}.png`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: file, fullPage: true });
    ok(fs.statSync(file).size > 10000, `${tag} screenshot ${file}`);
    await page.locator('figure.chain').screenshot({ path: path.join(artifacts, `${c.name}-chain.png`) });
  }

  // ---- accessibility: axe-core, details closed then open ----
  const raw = await page.evaluate(() => document.querySelectorAll('details').length);
  if (c.dir_given !== false && c.expect.raw_facts)
    ok(raw >= c.expect.raw_facts, `${tag} raw facts folded in ${raw} <details>, closed`, raw);
  for (const state of ['closed', 'open']) {
    if (state === 'open') await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    const r = await runAxe(page);
    ok(r.violations.length === 0, `${tag} axe-core: no violation (details ${state})`, r.violations);
    const seen = NAMED_RULES.filter((id) => r.passes.includes(id) || r.inapplicable.includes(id));
    ok(seen.length === NAMED_RULES.length, `${tag} axe-core evaluated ${NAMED_RULES.length} named rules (details ${state})`,
      NAMED_RULES.filter((id) => !seen.includes(id)));
    for (const id of ['color-contrast', 'svg-img-alt', 'heading-order', 'page-has-heading-one', 'html-has-lang', 'document-title', 'landmark-one-main'])
      ok(r.passes.includes(id), `${tag} axe-core rule ${id} passed on elements of the page (details ${state})`);
    if (state === 'open' && process.env.WD_HTML_VERBOSE) console.log(`# ${tag} axe passes: ${r.passes.join(' ')}; incomplete: ${JSON.stringify(r.incomplete)}`);
  }
  if (c.expect.screenshot && c.expect.raw_facts) {
    const raw = page.locator('section[aria-labelledby="raw"]');
    await raw.screenshot({ path: path.join(artifacts, `${c.name}-raw-facts.png`) });
  }
  // ---- a phone-sized window: nothing sticks out, the diagram scrolls, axe again ----
  await page.setViewportSize({ width: 390, height: 800 });
  const narrow = await page.evaluate(() => ({
    page: document.scrollingElement.scrollWidth,
    svg: document.getElementById('load-chain') ? Math.round(document.getElementById('load-chain').getBoundingClientRect().width) : null,
  }));
  ok(narrow.page <= 390, `${tag} 390 px wide: the page does not scroll sideways`, narrow);
  if (narrow.svg !== null) ok(narrow.svg >= 600, `${tag} 390 px wide: the diagram keeps a readable size (scrolls in its box)`, narrow);
  const rn = await runAxe(page);
  ok(rn.violations.length === 0, `${tag} axe-core: no violation at 390 px wide`, rn.violations);
  if (c.expect.screenshot) await page.screenshot({ path: path.join(artifacts, `${c.name}-narrow.png`), fullPage: true });
  ok(requests.length === 1, `${tag} still no request after the whole visit`, requests);
  ok(cdpRequests.length === 1 && cdpRequests[0] === url, `${tag} the DevTools protocol saw no request but the report`, cdpRequests);
  await context.close();
}

async function main() {
  const [artifacts, casesFile] = process.argv.slice(2);
  if (!artifacts || !casesFile) {
    console.error('usage: node browser.js ARTIFACT_DIR CASES.json');
    process.exit(2);
  }
  fs.mkdirSync(artifacts, { recursive: true });
  const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
  // playwright gives the browser a fresh profile in os.tmpdir() (TMPDIR:
  // the test's own directory) and removes it on close
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const c of cases) await checkCase(browser, c, artifacts);
  } finally {
    await browser.close().catch(() => {});
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

const limit = setTimeout(() => {
  console.log(`not ok - timed out\n${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 80000);
limit.unref();
main().catch((e) => {
  console.log(`not ok - ${e && e.stack || e}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
