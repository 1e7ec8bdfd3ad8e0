#!/usr/bin/env node
// Oracle driver for the jsc shell (JavaScriptCore from WebKitGTK): runs all
// cases in one jsc process and writes OUT.json.
//
//   node drivers/jsc.js OUT.json [--compare] [--no-trace] [--only a,b] [--fixtures DIR]
'use strict';
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { parseArgs, writeResults, ORACLE_DIR } = require('./common.js');

const JSC = process.env.WD_JSC || 'jsc';
// The package that holds the JavaScriptCore library jsc runs on.
const JSC_PACKAGE = 'libjavascriptcoregtk-4.0-18';

const args = parseArgs(process.argv.slice(2));
const t0 = Date.now();
let version = null;
try {
  version = execFileSync('dpkg-query', ['-W', '-f=${Version}', JSC_PACKAGE], { encoding: 'utf8' }).trim();
} catch (e) {
  version = 'unknown (dpkg-query failed)';
}
const scripts = ['lib/wasm-info.js', 'lib/reimpl.js', 'lib/runner.js', 'drivers/jsc-main.js'].map((f) => path.join(ORACLE_DIR, f));
const jscArgs = [args.fixtures];
if (args.compare) jscArgs.push('compare');
if (!args.trace) jscArgs.push('notrace');
if (args.only) jscArgs.push('only=' + args.only.join(','));
const r = spawnSync(JSC, [...scripts, '--', ...jscArgs], {
  cwd: path.join(args.fixtures, 'wasm'),
  encoding: 'utf8',
  timeout: 120000,
  maxBuffer: 64 * 1024 * 1024,
});
if (r.error) {
  console.error('oracle jsc: ' + r.error);
  process.exit(1);
}
const line = (r.stdout || '').split('\n').find((l) => l.startsWith('@@WD-ORACLE-RESULTS@@'));
if (!line) {
  console.error('oracle jsc: no results (exit ' + r.status + ')\n' + r.stdout + r.stderr);
  process.exit(1);
}
const doc = JSON.parse(line.slice('@@WD-ORACLE-RESULTS@@'.length));
writeResults(args.out, {
  engine: 'jsc',
  engine_version: version,
  engine_detail: `jsc shell, JavaScriptCore from WebKitGTK ${version} (${JSC_PACKAGE})`,
  seconds: (Date.now() - t0) / 1000,
  cases: doc.cases,
});
