#!/usr/bin/env node
// Oracle driver for Node: runs all cases in this process, each with a fresh
// instance of the real Emscripten glue (require()d MODULARIZE factory).
//
//   node drivers/node.js OUT.json [--compare] [--no-trace] [--only a,b] [--fixtures DIR]
'use strict';
const fs = require('fs');
const path = require('path');
const { parseArgs, writeResults } = require('./common.js');

const args = parseArgs(process.argv.slice(2));
const fixturesDir = args.fixtures;
require('../lib/wasm-info.js');
require('../lib/reimpl.js');
const WDRunner = require('../lib/runner.js');

// The glue reads side modules with paths relative to the current directory
// (readAsync -> fs.readFile), like a page loads them relative to its URL.
process.chdir(path.join(fixturesDir, 'wasm'));

let listenerSnapshot = null;
const env = {
  readBytes: (rel) => Promise.resolve(new Uint8Array(fs.readFileSync(path.join(fixturesDir, rel)))),
  readText: (rel) => Promise.resolve(fs.readFileSync(path.join(fixturesDir, rel), 'utf8')),
  loadGlue: (rel) => Promise.resolve(require(path.join(fixturesDir, rel))),
  mainResponse: (rel, bytes) => Promise.resolve(new Response(bytes, { headers: { 'content-type': 'application/wasm' } })),
  readAsync: (name, onload, onerror) => {
    fs.readFile(path.normalize(name), (err, data) => {
      if (err) onerror(err);
      else onload(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    });
  },
  onUnhandledRejection: (cb) => process.on('unhandledRejection', (reason) => cb(reason)),
  // The glue (ENVIRONMENT node) installs process handlers that rethrow
  // unhandled rejections and exceptions; a page has no such handlers, so
  // remove the ones each instance adds.
  beforeFactory: () => {
    listenerSnapshot = {
      unhandledRejection: process.listeners('unhandledRejection'),
      uncaughtException: process.listeners('uncaughtException'),
    };
  },
  afterFactory: () => {
    for (const ev of Object.keys(listenerSnapshot)) {
      for (const l of process.listeners(ev)) {
        if (!listenerSnapshot[ev].includes(l)) process.removeListener(ev, l);
      }
    }
  },
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
};

const cases = JSON.parse(fs.readFileSync(path.join(fixturesDir, 'cases.json'), 'utf8'));
const t0 = Date.now();
WDRunner.runAll(cases, env, { compare: args.compare, trace: args.trace, only: args.only, log: process.env.WD_ORACLE_DEBUG ? (m) => console.error(m) : null }).then((results) => {
  writeResults(args.out, {
    engine: 'node',
    engine_version: process.versions.v8,
    engine_detail: `Node ${process.version}, V8 ${process.versions.v8}`,
    seconds: (Date.now() - t0) / 1000,
    cases: results,
  });
  process.exit(0);
}, (e) => {
  console.error('oracle node: ' + (e && e.stack || e));
  process.exit(1);
});
