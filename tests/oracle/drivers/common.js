// Shared helpers of the oracle drivers (Node side).
'use strict';
const fs = require('fs');
const path = require('path');

const ORACLE_DIR = path.resolve(__dirname, '..');
const DEFAULT_FIXTURES = path.resolve(ORACLE_DIR, '..', 'fixtures');

function parseArgs(argv) {
  const args = { out: null, compare: false, trace: true, only: null, fixtures: DEFAULT_FIXTURES };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--compare') args.compare = true;
    else if (a === '--no-trace') args.trace = false;
    else if (a === '--only') args.only = argv[++i].split(',');
    else if (a === '--fixtures') args.fixtures = path.resolve(argv[++i]);
    else if (!args.out) args.out = path.resolve(a);
    else throw new Error('unexpected argument ' + a);
  }
  if (!args.out) throw new Error('usage: DRIVER OUT.json [--compare] [--no-trace] [--only a,b] [--fixtures DIR]');
  return args;
}

// Stable output: cases in manifest order, keys in a fixed order.
function writeResults(out, doc) {
  const order = ['ok', 'error', 'module', 'stage', 'sync_instance', 'call_error', 'call_result', 'reported', 'loader', 'reimpl_match', 'reimpl'];
  const cases = {};
  for (const [name, r] of Object.entries(doc.cases)) {
    const o = {};
    for (const k of order) if (k in r) o[k] = r[k];
    cases[name] = o;
  }
  const final = Object.assign({}, doc, { cases });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(final, null, 2) + '\n');
}

function pageQuery(args) {
  const q = new URLSearchParams();
  if (args.compare) q.set('compare', '1');
  if (!args.trace) q.set('trace', '0');
  if (args.only) q.set('only', args.only.join(','));
  return q.toString();
}

// Kill the browser if the driver is interrupted.
function onSignals(cleanup) {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      Promise.resolve(cleanup()).finally(() => process.exit(130));
    });
  }
}

function timeout(ms, what) {
  let id;
  const p = new Promise((_, reject) => {
    id = setTimeout(() => reject(new Error(what + ': no result after ' + ms / 1000 + ' s')), ms);
  });
  p.clear = () => clearTimeout(id);
  return p;
}

module.exports = { parseArgs, writeResults, pageQuery, onSignals, timeout, ORACLE_DIR, DEFAULT_FIXTURES };
