#!/usr/bin/env node
// Print a summary table of OUTDIR/{node,chromium,firefox,jsc}.json.
//   node drivers/summary.js OUTDIR [--markdown]
'use strict';
const fs = require('fs');
const path = require('path');

const ENGINES = ['node', 'chromium', 'firefox', 'jsc'];

function load(dir) {
  const docs = {};
  for (const e of ENGINES) {
    const f = path.join(dir, e + '.json');
    if (fs.existsSync(f)) docs[e] = JSON.parse(fs.readFileSync(f, 'utf8'));
  }
  return docs;
}

function short(r) {
  if (!r) return 'MISSING';
  if (r.ok) return 'ok (' + r.call_result + ')';
  return r.stage + ': ' + r.error;
}

function text(dir) {
  const docs = load(dir);
  const engines = ENGINES.filter((e) => docs[e]);
  const names = Object.keys(docs[engines[0]].cases);
  const lines = [];
  const w = Math.max(...names.map((n) => n.length));
  lines.push('case'.padEnd(w) + '  ' + engines.map((e) => e.padEnd(18)).join(''));
  for (const n of names) {
    lines.push(n.padEnd(w) + '  ' + engines.map((e) => {
      const r = docs[e].cases[n];
      const cell = !r ? 'MISSING' : r.ok ? 'ok' : r.stage;
      const mark = r && r.reimpl_match === false ? ' (reimpl differs!)' : '';
      return (cell + mark).padEnd(18);
    }).join(''));
  }
  lines.push('');
  for (const e of engines) {
    const d = docs[e];
    const cases = Object.values(d.cases);
    const compared = cases.filter((r) => r.reimpl_match !== null && r.reimpl_match !== undefined);
    const matched = compared.filter((r) => r.reimpl_match === true).length;
    lines.push(`${e.padEnd(9)} ${String(d.engine_version).padEnd(22)} ${String(d.seconds.toFixed(1)).padStart(5)} s  ` +
      `${cases.length} cases, ${cases.filter((r) => r.ok).length} load and run, ` +
      `reimpl == glue in ${matched}/${compared.length}`);
  }
  return lines.join('\n');
}

function md(s) {
  if (s === null || s === undefined) return '';
  const t = String(s).replace(/\n/g, '\\n').replace(/\|/g, '\\|');
  // a code span that contains backticks needs a longer fence
  return t.includes('`') ? '`` ' + t + ' ``' : '`' + t + '`';
}

function markdown(dir) {
  const docs = load(dir);
  const engines = ENGINES.filter((e) => docs[e]);
  const names = Object.keys(docs[engines[0]].cases);
  const lines = [];
  lines.push('| case | stage, module | ' + engines.map((e) => `${e} ${docs[e].engine_version}`).join(' | ') + ' |');
  lines.push('|---|---|' + engines.map(() => '---').join('|') + '|');
  for (const n of names) {
    const r0 = docs[engines[0]].cases[n];
    const where = r0.ok ? 'loads; `wd_entry(21)` = ' + r0.call_result : r0.stage + (r0.module ? ', ' + r0.module.replace(/^wasm\//, '') : '');
    lines.push(`| ${n} | ${where} | ` + engines.map((e) => {
      const r = docs[e].cases[n];
      if (!r) return 'MISSING';
      if (r.ok) return 'ok';
      let cell = md(r.error);
      // dlopen(): dlerror() is "Could not load dynamic lib: NAME\n" + the error
      const dl = r.reported && /^Could not load dynamic lib: [^\n]*\n/.exec(r.reported);
      if (r.reported && !(dl && r.reported === dl[0] + r.error)) cell += '<br>reported: ' + md(r.reported);
      return cell;
    }).join(' | ') + ' |');
  }
  return lines.join('\n');
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: summary.js OUTDIR [--markdown]');
    process.exit(2);
  }
  console.log(process.argv.includes('--markdown') ? markdown(dir) : text(dir));
}

module.exports = { load, text, markdown, ENGINES };
