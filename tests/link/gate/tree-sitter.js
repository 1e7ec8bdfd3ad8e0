// Ground truth: web-tree-sitter's own loader (Language.load) in Node.
//   node tree-sitter.js WEB_TREE_SITTER_DIR GRAMMAR.wasm
// Prints one JSON line: {"ok": bool, "stage": "load"|"after-load", "error": text}.
// Language.load instantiates the grammar (loadWebAssemblyModule, loadAsync),
// then checks the grammar's ABI version: an error of that check is reported
// with stage "after-load" (the module linked).
const path = require('path');
const dir = path.resolve(process.argv[2]);
const file = path.resolve(process.argv[3]);
const { Parser, Language } = require(path.join(dir, 'tree-sitter.cjs'));
const done = (o) => { console.log(JSON.stringify(o)); process.exit(0); };
setTimeout(() => done({ ok: false, stage: 'timeout', error: 'timeout' }), 20000);
Parser.init().then(async () => {
  try {
    await Language.load(file);
    done({ ok: true, stage: 'load', error: null });
  } catch (e) {
    const text = `${e && e.constructor ? e.constructor.name : 'Error'}: ${e && e.message}`;
    done({ ok: false, stage: /Incompatible language version/.test(text) ? 'after-load' : 'load', error: text });
  }
}, (e) => done({ ok: false, stage: 'init', error: String(e) }));
