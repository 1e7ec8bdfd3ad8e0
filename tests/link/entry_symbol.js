#!/usr/bin/env node
// Loads a side module into a fixture engine the way Godot 4's web platform
// does (engine.js: Module.loadDynamicLibrary(file name, {loadAsync: true});
// then OS_Web::open_dynamic_library: dlopen(file name, RTLD_NOW); then
// get_dynamic_library_symbol_handle: dlsym(entry symbol), through the real
// Emscripten glue and its C dlopen()/dlsym()/dlerror()), and prints the line
// Godot prints when dlsym fails:
//   Can't resolve symbol SYM. Error: <dlerror()>.
// or "resolved SYM" when the symbol is found.
//
//   node entry_symbol.js GLUE.js WASM_DIR SIDE.wasm SYMBOL [PRELOAD.side.wasm]
'use strict';
const fs = require('fs');
const path = require('path');
const [glueArg, dir, side, sym, preload] = process.argv.slice(2);
const glue = path.resolve(glueArg);
const RTLD_NOW = 2;
process.chdir(dir); // the glue reads libraries relative to the page, here the folder
// the glue installs handlers that rethrow: keep Node's exit code ours
const factory = require(glue);
const opts = {
  print: () => {},
  printErr: () => {},
  // the main module's bytes, as Godot's engine.js hands them over (instantiateWasm)
  instantiateWasm: (imports, done) => {
    const bytes = fs.readFileSync(glue.replace(/\.js$/, '.wasm'));
    WebAssembly.instantiate(bytes, imports).then((r) => done(r.instance, r.module));
    return {};
  },
};
if (preload) opts.dynamicLibraries = [preload];
const timer = setTimeout(() => { console.error('entry_symbol.js: timeout'); process.exit(3); }, 20000);
factory(opts).then(async (M) => {
  await M.loadDynamicLibrary(side, { loadAsync: true });
  const str = (s) => (M.allocateUTF8 || M.stringToNewUTF8)(s);
  const h = M._wd_dlopen(str(side), RTLD_NOW);
  if (!h) throw new Error('dlopen failed: ' + M.UTF8ToString(M._wd_dlerror()));
  const r = M._wd_call(h, str(sym), 0);
  if (r !== -1000) console.log('resolved ' + sym);
  else console.log(`Can't resolve symbol ${sym}. Error: ${M.UTF8ToString(M._wd_dlerror())}.`);
  clearTimeout(timer);
  process.exit(0);
}).catch((e) => { console.error('entry_symbol.js: ' + (e && e.stack || e)); process.exit(3); });
