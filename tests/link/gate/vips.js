// Ground truth: wasm-vips's own loader in Node (vips-node.js: the engine and
// the side modules its dylink.0 NEEDED lists, loaded from LIBDIR).
//   node vips.js LIBDIR [SIDE.wasm,...]   (default: all three side modules;
//   the package itself preloads vips-jxl and vips-heif unless told)
// Prints one JSON line: {"ok": bool, "error": first error text or null}.
const path = require('path');
const dir = path.resolve(process.argv[2]);
const libs = (process.argv[3] || 'vips-heif.wasm,vips-jxl.wasm,vips-resvg.wasm').split(',');
const Vips = require(path.join(dir, 'vips-node.js'));
const errors = [];
const done = (o) => { console.log(JSON.stringify(o)); process.exit(0); };
// a failed preload rejects without settling Vips(): the first error ends the run
const failed = () => setTimeout(() => done({ ok: false, error: errors[0] }), 300);
process.on('unhandledRejection', (e) => {
  errors.push(`${e && e.constructor ? e.constructor.name : 'Error'}: ${e && e.message}`);
  failed();
});
setTimeout(() => done({ ok: false, error: errors[0] || 'timeout' }), 30000);
Vips({ dynamicLibraries: libs, print: () => {}, printErr: (s) => { errors.push(String(s)); failed(); } }).then((v) => {
  const ok = errors.length === 0;
  if (v.shutdown) v.shutdown();
  done({ ok, error: ok ? null : errors[0] });
}, (e) => done({ ok: false, error: errors[0] || `${e.constructor.name}: ${e.message}` }));
