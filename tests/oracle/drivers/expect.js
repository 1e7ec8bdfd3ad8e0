#!/usr/bin/env node
// Compare oracle runs with the committed reference results:
//   node drivers/expect.js FIXTURES_DIR EXPECTED_DIR RESULTS_DIR [--suite]
// FIXTURES_DIR holds cases.json; EXPECTED_DIR and RESULTS_DIR hold
// {node,chromium,firefox,jsc}.json (tests/oracle/run ENGINE OUT.json
// --no-compare --fixtures FIXTURES_DIR).  Checks, per engine and case:
// the case ran (no harness error, no timeout) and every recorded field
// (ok, error text byte for byte, module, stage, sync_instance, call_error,
// call_result, reported) equals the reference; and per case, that all
// engines agree on whether it loads, at which stage and in which module.
// --suite: only the cases marked "suite" in cases.json (run-em --suite).
// Prints one line per check and "N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');

const ENGINES = ['node', 'chromium', 'firefox', 'jsc'];
const FIELDS = ['ok', 'error', 'module', 'stage', 'sync_instance', 'call_error', 'call_result', 'reported'];

const [fixturesDir, expectedDir, resultsDir, opt] = process.argv.slice(2);
if (!resultsDir) {
  console.error('usage: expect.js FIXTURES_DIR EXPECTED_DIR RESULTS_DIR');
  process.exit(2);
}
const cases = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'cases.json'), 'utf8'))
  .filter((c) => opt !== '--suite' || c.suite);
const label = path.basename(path.resolve(fixturesDir));
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${label} ${name}${ok || !detail ? '' : ': ' + detail}`);
}
function load(dir, engine) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, engine + '.json'), 'utf8'));
  } catch (e) {
    return null;
  }
}

const got = {};
for (const e of ENGINES) {
  const exp = load(expectedDir, e);
  const res = load(resultsDir, e);
  got[e] = res;
  check(`${e}: reference present`, !!exp, path.join(expectedDir, e + '.json'));
  check(`${e}: results present`, !!res, path.join(resultsDir, e + '.json'));
  if (!exp || !res) continue;
  for (const c of cases) {
    const r = res.cases[c.name];
    const x = exp.cases[c.name];
    check(`${e} ${c.name}: ran`, !!r && r.stage !== 'harness' && r.stage !== 'timeout', r ? r.error : 'missing');
    if (!r) continue;
    if (!x) {
      check(`${e} ${c.name}: in the reference`, false, 'no reference result');
      continue;
    }
    const diff = FIELDS.filter((k) => (k in x || k in r) && x[k] !== r[k])
      .map((k) => `${k}: expected ${JSON.stringify(x[k])}, got ${JSON.stringify(r[k])}`);
    check(`${e} ${c.name}: as the reference`, diff.length === 0, diff.join('; '));
  }
}
for (const c of cases) {
  const outcomes = ENGINES.filter((e) => got[e] && got[e].cases[c.name])
    .map((e) => `${got[e].cases[c.name].ok}/${got[e].cases[c.name].stage}/${got[e].cases[c.name].module}`);
  check(`${c.name}: engines agree on outcome, stage and module`, outcomes.length === ENGINES.length && new Set(outcomes).size === 1, outcomes.join(' '));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
