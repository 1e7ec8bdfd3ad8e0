#!/usr/bin/env node
// Checks on oracle runs (used by tests/oracle/check):
//   node drivers/check.js TRACED_DIR UNTRACED_DIR
// - every engine ran every case of cases.json, none ended in a harness error
//   or a timeout;
// - in each engine, the re-implementation of the loader gave the same result
//   as the real glue for every case that has glue (reimpl_match);
// - the instrumentation changes no text: the same engine run without it
//   (--no-trace) reports the same texts;
// - the engines agree on whether each case loads and on the failing stage.
// Prints one line per check and "N passed, N failed".
'use strict';
const fs = require('fs');
const path = require('path');
const { load, ENGINES } = require('./summary.js');
const { DEFAULT_FIXTURES } = require('./common.js');

const [tracedDir, untracedDir] = process.argv.slice(2);
if (!tracedDir || !untracedDir) {
  console.error('usage: check.js TRACED_DIR UNTRACED_DIR');
  process.exit(2);
}
const cases = JSON.parse(fs.readFileSync(path.join(process.env.WD_FIXTURES || DEFAULT_FIXTURES, 'cases.json'), 'utf8'));
const traced = load(tracedDir);
const untraced = load(untracedDir);
let passed = 0, failed = 0;
function check(name, ok, detail) {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${ok || !detail ? '' : ': ' + detail}`);
}

for (const e of ENGINES) {
  const d = traced[e];
  check(`${e}: results present`, !!d, `${tracedDir}/${e}.json missing`);
  if (!d) continue;
  for (const c of cases) {
    const r = d.cases[c.name];
    check(`${e} ${c.name}: ran`, r && r.stage !== 'harness' && r.stage !== 'timeout', r ? r.error : 'missing');
    if (!r) continue;
    if (c.glue) {
      check(`${e} ${c.name}: reimpl == glue`, r.reimpl_match === true, JSON.stringify(r.reimpl || 'not compared'));
    }
    const u = untraced[e] && untraced[e].cases[c.name];
    if (u) {
      // Without instrumentation the inner error of an abort() is only seen
      // inside the Aborted(...) text; everything else must be identical.
      const same = u.ok === r.ok && u.call_error === r.call_error && u.call_result === r.call_result &&
        (u.error === r.error || (r.error !== null && u.error !== null && u.error.includes(r.error)));
      check(`${e} ${c.name}: same text without instrumentation`, same, `traced ${JSON.stringify(r.error)} untraced ${JSON.stringify(u.error)}`);
    } else {
      check(`${e} ${c.name}: ran without instrumentation`, false, 'missing');
    }
  }
}
for (const c of cases) {
  const outcomes = ENGINES.filter((e) => traced[e] && traced[e].cases[c.name])
    .map((e) => `${traced[e].cases[c.name].ok}/${traced[e].cases[c.name].stage}/${traced[e].cases[c.name].module}`);
  check(`${c.name}: engines agree on outcome, stage and module`, new Set(outcomes).size === 1, outcomes.join(' '));
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
