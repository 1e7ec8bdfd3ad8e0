/*
 * The worker: runs webdoctor's library (webdoctor.wasm) off the page's
 * thread, so the page stays responsive while a 40 MB engine is read and
 * checked.
 *
 * Each file is read into a buffer in the module's memory in slices of a few
 * MB (SLICE): the module's memory grows once to hold all the files, each
 * slice is copied once into the buffer, a file is never held whole in
 * JavaScript as well, and the page gets progress as the slices come.
 */
'use strict';
// Served over HTTP, the module's glue and the module are files next to this
// one (the module compiled while it downloads). Opened from disk, this
// script runs from worker-bundle.js, with the glue before it and the module
// inside it, compressed (webdoctorWasm(), cmake/web-bundle.cmake).
if (typeof createWebdoctor === 'undefined') importScripts('webdoctor.js');

const ready = typeof webdoctorWasm === 'function'
  ? webdoctorWasm().then(wasmBinary => createWebdoctor({ wasmBinary }))
  : createWebdoctor({ locateFile: p => p });
/* The worker has no message catalogue: a text of its own is marked N_() and
 * posted as its msgid and arguments, and the page translates it (app.js). */
function N_(msgid) { return msgid; }
class Failure extends Error {
  constructor(msgid, ...args) {
    let i = 0;
    super(msgid.replace(/%[sd]/g, () => String(args[i++])));
    this.msgid = msgid;
    this.args = args;
  }
}

let current = null;   // {mode, name, readMs, checkMs} of the files in the module's memory
let filesRead = 0;    // files streamed into the module since the worker started

function cstring(m, s) {
  const n = m.lengthBytesUTF8(s) + 1;
  const p = m._malloc(n);
  if (p) m.stringToUTF8(s, p, n);
  return p;
}

function take(m, out) {
  if (!out) throw new Failure(N_('out of memory'));
  const json = m.UTF8ToString(out);
  m._wd_app_release(out);
  return JSON.parse(json);
}

// check the files in the module's memory; the module keeps the result
function run(m, lang) {
  const t0 = performance.now();
  const args = [current.mode, current.name, lang].map(s => cstring(m, s));
  const out = m._wd_app_run(args[0], args[1], args[2]);
  for (const p of args) m._free(p);
  const result = take(m, out);
  current.checkMs = performance.now() - t0;
  postMessage({ type: 'result', result, readMs: current.readMs, checkMs: current.checkMs, filesRead,
                rendered: false, lang });
}

// the kept result in another language: rendered only, nothing checked or read
function render(m, lang) {
  const t0 = performance.now();
  const p = cstring(m, lang);
  const out = m._wd_app_render(p);
  m._free(p);
  const result = take(m, out);
  postMessage({ type: 'result', result, readMs: current.readMs, checkMs: current.checkMs, filesRead,
                rendered: true, lang, renderMs: performance.now() - t0 });
}

// Each file is read in slices of this size: a few calls per file instead of
// one per stream chunk (64 KiB in Chromium: ~600 awaits for a 40 MB engine),
// and one transient copy of a slice at a time besides the module's buffer.
const SLICE = 8 << 20;

// one slice of a file as an ArrayBuffer: synchronous where the worker has
// FileReaderSync (every browser's dedicated worker), else the Blob promise
async function slice(file, a, b) {
  const part = file.slice(a, b);
  return typeof FileReaderSync === 'function' ? new FileReaderSync().readAsArrayBuffer(part)
                                              : part.arrayBuffer();
}

async function load(m, msg) {
  const t0 = performance.now();
  const files = msg.files;
  const total = files.reduce((n, f) => n + f.file.size, 0);
  // the module's memory grows once, to hold every file (app.c)
  if (m._wd_app_begin(files.length, total) !== 0) throw new Failure(N_('out of memory'));
  let done = 0;
  let shown = 0;
  for (let i = 0; i < files.length; i++) {
    const { path, file } = files[i];
    const p = cstring(m, path);
    const buf = m._wd_app_put(i, p, file.size);
    m._free(p);
    if (!buf) throw new Failure(N_('%s: out of memory (%d bytes)'), path, file.size);
    for (let at = 0; at < file.size; at += SLICE) {
      const end = Math.min(at + SLICE, file.size);
      let bytes;
      try {
        bytes = await slice(file, at, end);
      } catch (err) {
        // the browser refuses to read a file that changed since it was picked
        if (err && err.name === 'NotReadableError') throw new Failure(N_('%s: changed while it was read'), path);
        throw err;
      }
      if (bytes.byteLength !== end - at) throw new Failure(N_('%s: changed while it was read'), path);
      m.HEAPU8.set(new Uint8Array(bytes), buf + at);   // HEAPU8 read again: memory may have grown
      done += end - at;
      if (done - shown >= 4 << 20) {
        shown = done;
        postMessage({ type: 'progress', name: msg.name, done, total });
      }
    }
    filesRead++;
  }
  postMessage({ type: 'progress', name: msg.name, done: total, total });
  current = { mode: msg.mode, name: msg.name, readMs: performance.now() - t0 };
}

onmessage = async e => {
  const msg = e.data;
  try {
    const m = await ready;
    if (msg.type === 'check') {
      current = null;
      await load(m, msg);
      run(m, msg.lang);
    } else if (msg.type === 'lang' && current) {
      render(m, msg.lang);
    }
  } catch (err) {
    postMessage({ type: 'failed', message: String(err && err.message || err),
                  msgid: err instanceof Failure ? err.msgid : undefined,
                  args: err instanceof Failure ? err.args : undefined });
  }
};
