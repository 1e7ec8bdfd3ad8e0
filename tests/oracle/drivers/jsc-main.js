// Oracle adapter for the jsc shell (JavaScriptCore), loaded after
// lib/wasm-info.js, lib/reimpl.js and lib/runner.js:
//   jsc lib/wasm-info.js lib/reimpl.js lib/runner.js drivers/jsc-main.js -- FIXTURES_DIR [compare] [notrace] [only=a,b]
// with the current directory at FIXTURES_DIR/wasm (the glue's shell
// readAsync reads side modules relative to it).  Prints the results as one
// JSON line after a marker; drivers/jsc.js writes the file.
(function () {
  // The jsc shell has no console; the glue of threaded builds from
  // Emscripten 3.1.64 on calls console.log while it starts.  Send it to
  // stderr (debug), as a page's console is not part of the results either.
  if (typeof globalThis.console === 'undefined') {
    var toStderr = function () {
      debug(Array.prototype.join.call(arguments, ' '));
    };
    globalThis.console = { log: toStderr, info: toStderr, warn: toStderr, error: toStderr, debug: toStderr };
  }
  var argv = Array.prototype.slice.call(globalThis.arguments || []);
  var fixturesDir = argv[0];
  var compare = argv.indexOf('compare') >= 0;
  var noTrace = argv.indexOf('notrace') >= 0;
  var only = null;
  argv.forEach(function (a) {
    if (a.indexOf('only=') === 0) only = a.slice(5).split(',');
  });
  function abs(rel) {
    return fixturesDir + '/' + rel;
  }
  var glueCache = {};
  var env = {
    readBytes: function (rel) {
      return Promise.resolve().then(function () {
        return new Uint8Array(read(abs(rel), 'binary'));
      });
    },
    readText: function (rel) {
      return Promise.resolve().then(function () {
        return read(abs(rel));
      });
    },
    // load() runs the glue in the global scope, as a <script> would
    loadGlue: function (rel) {
      return Promise.resolve().then(function () {
        if (!glueCache[rel]) {
          load(abs(rel));
          glueCache[rel] = globalThis.Godot;
          globalThis.Godot = undefined;
        }
        return glueCache[rel];
      });
    },
    // No fetch/Response here: Godot's instantiateWasm then takes its
    // r.arrayBuffer() + WebAssembly.instantiate() branch.
    mainResponse: function (rel, bytes) {
      return Promise.resolve({
        arrayBuffer: function () {
          return Promise.resolve(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        },
      });
    },
    // the glue's shell readAsync
    readAsync: function (f, onload, onerror) {
      setTimeout(function () {
        onload(read(f, 'binary'));
      }, 0);
    },
    onUnhandledRejection: function (cb) {
      setUnhandledRejectionCallback(function (promise) {
        promise.then(null, cb);
      });
    },
    setTimeout: function (fn, ms) {
      var timer = { cancelled: false };
      setTimeout(function () {
        if (!timer.cancelled) fn();
      }, ms);
      return timer;
    },
    clearTimeout: function (timer) {
      if (timer) timer.cancelled = true;
    },
  };
  var cases = JSON.parse(read(abs('cases.json')));
  var t0 = Date.now();
  WDRunner.runAll(cases, env, { compare: compare, trace: !noTrace, only: only }).then(function (results) {
    print('@@WD-ORACLE-RESULTS@@' + JSON.stringify({ seconds: (Date.now() - t0) / 1000, cases: results }));
    quit(0);
  }, function (e) {
    print('@@WD-ORACLE-FATAL@@' + String(e && e.stack || e));
    quit(1);
  });
})();
