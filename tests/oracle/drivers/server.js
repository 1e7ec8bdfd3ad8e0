// Static server for the browser oracles, bound to 127.0.0.1 only.  Serves
// tests/fixtures at / (with the oracle page at /wasm/__oracle__.html and the
// harness scripts under /__oracle__/lib/), with the cross-origin isolation
// headers that threaded Emscripten builds need for SharedArrayBuffer, and
// receives the page's results as a POST to /__oracle__/results.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { ORACLE_DIR } = require('./common.js');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm' };

function startServer(fixturesDir) {
  let resolveResults;
  const results = new Promise((resolve) => (resolveResults = resolve));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (req.method === 'POST' && url.pathname === '/__oracle__/results') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204, headers);
        res.end();
        try {
          resolveResults(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (e) {
          resolveResults({ fatal: 'bad results POST: ' + e });
        }
      });
      return;
    }
    let file = null;
    if (url.pathname === '/wasm/__oracle__.html') file = path.join(ORACLE_DIR, 'page', 'oracle.html');
    else if (url.pathname.startsWith('/__oracle__/lib/')) file = path.join(ORACLE_DIR, 'lib', path.basename(url.pathname));
    else {
      const rel = path.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
      if (!rel.startsWith('..')) file = path.join(fixturesDir, rel);
    }
    if (req.method !== 'GET' || !file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, headers);
      res.end('not found');
      return;
    }
    headers['Content-Type'] = TYPES[path.extname(file)] || 'application/octet-stream';
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, port: server.address().port, results });
    });
  });
}

module.exports = { startServer };
