// The engine-independent part of the oracle: runs every case of
// tests/fixtures/cases.json the way Emscripten's loader and Godot's
// engine.js do, and records what the engine really reports.
//
// A case runs with the real Emscripten glue when it has one ("loader":
// "glue"), else with the re-implementation in reimpl.js ("loader":
// "reimpl").  With opts.compare, every glue case is run a second time with
// the re-implementation and the two results are compared field by field.
//
// Plain script: defines the global WDRunner (and module.exports in Node).
// The engine adapters (node.js, page.html, jsc.js) provide `env`:
//   env.readBytes(rel) -> Promise<Uint8Array>   rel: path under tests/fixtures
//   env.readText(rel) -> Promise<string>
//   env.loadGlue(rel) -> Promise<factory>       the glue's MODULARIZE factory
//   env.mainResponse(rel, bytes) -> Promise<Response-like> for Godot's instantiateWasm
//   env.readAsync(name, onload, onerror)        the glue's readAsync, for the reimpl
//   env.onUnhandledRejection(cb)                cb(reason), installed once
//   env.beforeFactory(), env.afterFactory()     optional hooks around factory()
//   env.setTimeout(fn, ms), env.clearTimeout(id)
(function (root) {
  var WDWasmInfo = root.WDWasmInfo || (typeof require === 'function' ? require('./wasm-info.js') : null);
  var WDReimpl = root.WDReimpl || (typeof require === 'function' ? require('./reimpl.js') : null);

  var RTLD_NOW = 2;
  var CALL_SYMBOL = 'wd_entry';
  var CALL_ARG = 21;
  var CASE_TIMEOUT_MS = 5000;

  // e.constructor.name + ': ' + e.message, or String(e) for non-errors.
  function fmt(e) {
    if (e !== null && (typeof e === 'object' || typeof e === 'function') && 'message' in e) {
      var name = (e.constructor && e.constructor.name) || e.name;
      return name + ': ' + e.message;
    }
    return String(e);
  }

  // A C string in the module's heap: allocateUTF8 in Emscripten 3.1.6's
  // glue, stringToNewUTF8 in later versions (allocateUTF8 was removed).
  function newUTF8(M, s) {
    return (M['allocateUTF8'] || M['stringToNewUTF8'])(s);
  }

  function basename(p) {
    return p.slice(p.lastIndexOf('/') + 1);
  }
  function dirname(p) {
    var i = p.lastIndexOf('/');
    return i < 0 ? '' : p.slice(0, i + 1);
  }

  function toU8(source) {
    if (source instanceof Uint8Array) return source;
    if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    return new Uint8Array(source);
  }

  // ---------------------------------------------------------------- tracing
  // Observes (never changes) what the glue does, to tell which module failed
  // at which step: calls of WebAssembly.instantiate/instantiateStreaming, new
  // WebAssembly.Module, reads of instance.exports (a successful
  // instantiation) and failed WebAssembly.Table.prototype.grow calls.  The
  // wrappers call the originals with the same arguments and return their
  // results, so the engines' messages are unchanged.  new
  // WebAssembly.Instance is deliberately not wrapped: JavaScriptCore quotes
  // the calling expression in its messages.
  var trace = null;
  var installed = false;
  function install() {
    if (installed) return;
    installed = true;
    var WA = WebAssembly;
    var origInstantiate = WA.instantiate;
    WA.instantiate = function instantiate(source, importObject) {
      var t = trace;
      var fp = source instanceof WA.Module ? 'module' : WDWasmInfo.fingerprint(toU8(source));
      if (t) t.push({ t: 'inst-call', fp: fp });
      var p = origInstantiate.apply(WA, arguments);
      p.then(function () {
        if (t) t.push({ t: 'inst-ok', fp: fp });
      }, function (e) {
        if (t) t.push({ t: 'inst-fail', fp: fp, err: e });
      });
      return p;
    };
    if (typeof WA.instantiateStreaming === 'function') {
      var origStreaming = WA.instantiateStreaming;
      WA.instantiateStreaming = function instantiateStreaming(source, importObject) {
        var t = trace;
        if (t) t.push({ t: 'inst-call', fp: 'streaming' });
        var p = origStreaming.apply(WA, arguments);
        p.then(function () {
          if (t) t.push({ t: 'inst-ok', fp: 'streaming' });
        }, function (e) {
          if (t) t.push({ t: 'inst-fail', fp: 'streaming', err: e });
        });
        return p;
      };
    }
    var OrigModule = WA.Module;
    WA.Module = new Proxy(OrigModule, {
      construct: function (target, args, newTarget) {
        if (trace && args.length) {
          var fp = 'unknown';
          try {
            fp = WDWasmInfo.fingerprint(toU8(args[0]));
          } catch (e) {}
          trace.push({ t: 'compile', fp: fp });
        }
        return Reflect.construct(target, args, newTarget === WA.Module ? target : newTarget);
      },
    });
    var desc = Object.getOwnPropertyDescriptor(WA.Instance.prototype, 'exports');
    if (desc && desc.get && desc.configurable) {
      var origGet = desc.get;
      var seen = new WeakSet();
      Object.defineProperty(WA.Instance.prototype, 'exports', {
        configurable: true,
        enumerable: desc.enumerable,
        get: function () {
          var ex = origGet.call(this);
          if (trace && !seen.has(this)) {
            seen.add(this);
            trace.push({ t: 'exports', key: Object.keys(ex).sort().join(',') });
          }
          return ex;
        },
      });
    }
    var origGrow = WA.Table.prototype.grow;
    WA.Table.prototype.grow = function grow(delta) {
      try {
        return origGrow.apply(this, arguments);
      } catch (e) {
        if (trace) trace.push({ t: 'grow-fail', err: e });
        throw e;
      }
    };
  }

  // ---------------------------------------------------------------- fixtures
  function Fixtures(env) {
    this.env = env;
    this.cache = {};
  }
  // {path, name, bytes, fp, info, exportsKey}
  Fixtures.prototype.lib = function (path) {
    var self = this;
    if (!this.cache[path]) {
      this.cache[path] = this.env.readBytes(path).then(function (bytes) {
        var info = WDWasmInfo.parse(bytes);
        return {
          path: path,
          name: basename(path),
          bytes: bytes,
          fp: WDWasmInfo.fingerprint(bytes),
          info: info,
          exportsKey: info.exports.map(function (e) { return e.name; }).sort().join(','),
        };
      });
    }
    return this.cache[path];
  };
  // A lib and the libs it NEEDs (by file name, next to it), needed ones first,
  // without those in `loaded`: the order in which Emscripten loads them.
  Fixtures.prototype.loadOrder = function (path, loaded, out) {
    var self = this;
    out = out || [];
    if (loaded[basename(path)]) return Promise.resolve(out);
    loaded[basename(path)] = true;
    return this.lib(path).then(function (lib) {
      var needed = (lib.info.dylink && lib.info.dylink.needed) || [];
      return needed.reduce(function (chain, n) {
        return chain.then(function () {
          return self.loadOrder(dirname(path) + n, loaded, out);
        });
      }, Promise.resolve()).then(function () {
        out.push(lib);
        return out;
      });
    });
  };

  // Which lib of `seq` failed, and at which step, from the trace events.
  function attribute(events, seq, err) {
    function indexOf(ev) {
      for (var i = 0; i < seq.length; i++) {
        if (ev.fp !== undefined && ev.fp === seq[i].fp) return i;
        if (ev.key !== undefined && ev.key === seq[i].exportsKey) return i;
      }
      return -1;
    }
    var lastIdx = -1, lastKind = null, growErr, growBase = -1, grew = false;
    events.forEach(function (ev) {
      if (ev.t === 'grow-fail') {
        grew = true;
        growErr = ev.err;
        growBase = lastIdx;
        return;
      }
      var i = indexOf(ev);
      if (i < 0) return;
      lastIdx = i;
      lastKind = ev.t;
    });
    if (grew && err === growErr) {
      return { lib: seq[Math.min(growBase + 1, seq.length - 1)], stage: 'table-grow', sync: false };
    }
    if (lastIdx < 0) return { lib: seq[seq.length - 1], stage: 'load', sync: false };
    var lib = seq[lastIdx];
    if (lastKind === 'inst-fail' || lastKind === 'inst-call') return { lib: lib, stage: 'instantiate', sync: false };
    if (lastKind === 'compile') {
      var compileError = typeof WebAssembly.CompileError === 'function' && err instanceof WebAssembly.CompileError;
      return { lib: lib, stage: compileError ? 'compile' : 'instantiate', sync: true };
    }
    return { lib: lib, stage: 'post-instantiate', sync: false };
  }

  function deferred() {
    var d = {};
    d.promise = new Promise(function (resolve) {
      d.resolve = resolve;
    });
    return d;
  }

  // Godot 4's Config.getModuleConfig() instantiateWasm (platform/web/js/engine/
  // config.js), with a rejection handler added so the harness sees the error
  // that Godot leaves unhandled.
  function godotInstantiateWasm(r, onFailure) {
    return function (imports, onSuccess) {
      function done(result) {
        onSuccess(result['instance'], result['module']);
      }
      if (typeof (WebAssembly.instantiateStreaming) !== 'undefined') {
        WebAssembly.instantiateStreaming(Promise.resolve(r), imports).then(done, onFailure);
      } else {
        r.arrayBuffer().then(function (buffer) {
          WebAssembly.instantiate(buffer, imports).then(done, onFailure);
        });
      }
      r = null;
      return {};
    };
  }

  // ---------------------------------------------------------------- one case
  function runCase(c, env, fixtures, loader, state) {
    var events = [];
    var result = {
      loader: loader, ok: false, error: null, module: null, stage: null, sync_instance: false,
      call_error: null, call_result: null, reported: null,
    };
    var preloadCount = c.preload || 0;
    var preloadPaths = c.sides.slice(0, preloadCount);
    var extPaths = c.sides.slice(preloadCount);
    var fail = deferred();
    var M, mainBytes, glueText = null, mainLib;

    function failWith(err, lib, stage, sync, reported) {
      result.ok = false;
      result.error = fmt(err);
      result.module = lib;
      result.stage = stage;
      result.sync_instance = !!sync;
      if (reported !== undefined && reported !== null && reported !== result.error) result.reported = reported;
      return result;
    }
    function attributeLoad(seq, err) {
      if (loader === 'reimpl') {
        var f = M && M['failure'];
        var lib = null;
        if (f && f.lib) {
          for (var i = 0; i < seq.length; i++) if (seq[i].name === f.lib) lib = seq[i].path;
        }
        return { path: lib || (seq.length ? seq[seq.length - 1].path : null), stage: f ? f.stage : null, sync: f ? f.sync : false };
      }
      var a = attribute(events, seq, err);
      return { path: a.lib ? a.lib.path : null, stage: a.stage, sync: a.sync };
    }

    trace = events;
    state.onUnhandled = function (reason) {
      fail.resolve({ kind: 'unhandled', err: reason });
    };

    return fixtures.env.readBytes(c.main).then(function (bytes) {
      mainBytes = bytes;
      mainLib = { fp: WDWasmInfo.fingerprint(bytes) };
      return c.glue ? env.readText(c.glue) : null;
    }).then(function (text) {
      glueText = text;
      return c.path === 'godot' ? env.mainResponse(c.main, mainBytes) : null;
    }).then(function (response) {
      var onMainFail = function (e) {
        fail.resolve({ kind: 'main', err: e });
      };
      var instantiateWasm = c.path === 'godot' ? godotInstantiateWasm(response, onMainFail) : undefined;
      var preloadNames = preloadPaths.map(basename);
      if (loader === 'glue') {
        return env.loadGlue(c.glue).then(function (factory) {
          var config = {
            noInitialRun: true,
            print: function () {},
            printErr: function () {},
            quit: function (status, toThrow) {
              throw toThrow;
            },
            dynamicLibraries: preloadNames,
          };
          if (instantiateWasm) config.instantiateWasm = instantiateWasm;
          else config.wasmBinary = mainBytes;
          if (env.beforeFactory) env.beforeFactory();
          try {
            // wrapped: returning the promise itself would make this chain wait for it
            return { ready: factory(config) };
          } finally {
            if (env.afterFactory) env.afterFactory();
          }
        });
      }
      M = WDReimpl.create({
        mainBytes: mainBytes,
        glueText: glueText,
        dynamicLibraries: preloadNames,
        instantiateWasm: instantiateWasm,
        readAsync: env.readAsync,
      });
      return { ready: M['ready'] };
    }).then(function (started) {
      var timer = deferred();
      var timerId = env.setTimeout(function () {
        timer.resolve({ kind: 'timeout' });
      }, CASE_TIMEOUT_MS);
      return Promise.race([
        Promise.resolve(started.ready).then(function (mod) {
          return { kind: 'ready', M: mod };
        }, function (e) {
          return { kind: 'ready-rejected', err: e };
        }),
        fail.promise,
        timer.promise,
      ]).then(function (o) {
        env.clearTimeout(timerId);
        return o;
      });
    }).then(function (outcome) {
      if (outcome.kind !== 'ready') {
        // The main module, or a preloaded side module, failed.
        if (outcome.kind === 'main') return failWith(outcome.err, c.main, 'main-instantiate', false);
        var mainFail = null;
        events.forEach(function (ev) {
          if (ev.t === 'inst-fail' && (ev.fp === mainLib.fp || ev.fp === 'streaming') && !mainFail) mainFail = ev.err;
        });
        if (outcome.kind === 'ready-rejected' && mainFail) {
          return failWith(mainFail, c.main, 'main-instantiate', false, fmt(outcome.err));
        }
        if (outcome.kind === 'timeout') {
          return failWith('timeout: the runtime did not become ready in ' + CASE_TIMEOUT_MS + ' ms', null, 'timeout', false);
        }
        // a preload (Module.dynamicLibraries) failure: an unhandled rejection
        var loaded = {};
        return preloadPaths.reduce(function (chain, p) {
          return chain.then(function (seq) {
            return fixtures.loadOrder(p, loaded, seq);
          });
        }, Promise.resolve([])).then(function (seq) {
          var a = attributeLoad(seq, outcome.err);
          return failWith(outcome.err, a.path, a.stage, a.sync);
        });
      }
      M = outcome.M;
      var loadedNames = {};
      preloadPaths.forEach(function (p) {
        loadedNames[basename(p)] = true;
      });
      return loadSides(M, loadedNames).then(function (loadOutcome) {
        if (loadOutcome) return loadOutcome;
        return firstCall();
      });
    }).then(function () {
      trace = null;
      state.onUnhandled = null;
      return result;
    }, function (e) {
      trace = null;
      state.onUnhandled = null;
      result.ok = false;
      result.error = 'harness error: ' + fmt(e);
      result.stage = 'harness';
      return result;
    });

    // Load the non-preloaded sides: Godot's loadDynamicLibrary(lib,
    // {loadAsync: true}) for each gdextensionLibs entry (all at once, then
    // Promise.all), or C dlopen(path, RTLD_NOW) one after the other.
    function loadSides(M, loadedNames) {
      // the load order of each side, NEEDED libraries first
      var orders = [];
      return extPaths.reduce(function (chain, p) {
        return chain.then(function () {
          return fixtures.loadOrder(p, loadedNames, []).then(function (seq) {
            orders.push(seq);
          });
        });
      }, Promise.resolve()).then(function () {
        if (c.path === 'godot') {
          // Godot's engine.js start() (4.3+, godotengine/godot#82790): a glue
          // without the loader (a template built without dlink_enabled)
          // cannot load GDExtensions, and start() rejects before any loads.
          if (extPaths.length > 0 && !M['loadDynamicLibrary']) {
            return failWith(new Error('GDExtension libraries are not supported by this engine version. '
              + 'Enable "Extensions Support" for your export preset and/or build your custom template with "dlink_enabled=yes".'),
            extPaths[0], 'load', false);
          }
          var firstFailure = null;
          var promises = extPaths.map(function (p, i) {
            return Promise.resolve(M['loadDynamicLibrary'](basename(p), { loadAsync: true })).then(null, function (e) {
              if (!firstFailure) firstFailure = { index: i, err: e };
              throw e;
            });
          });
          var timer = deferred();
          var timerId = env.setTimeout(function () {
            timer.resolve({ kind: 'timeout' });
          }, CASE_TIMEOUT_MS);
          return Promise.race([
            Promise.all(promises).then(function () {
              return { kind: 'ok' };
            }, function (e) {
              return { kind: 'err', err: e };
            }),
            timer.promise,
          ]).then(function (o) {
            env.clearTimeout(timerId);
            if (o.kind === 'ok') return null;
            if (o.kind === 'timeout') return failWith('timeout: loadDynamicLibrary did not settle in ' + CASE_TIMEOUT_MS + ' ms', null, 'timeout', false);
            var seq = orders[firstFailure ? firstFailure.index : 0];
            var a = attributeLoad(seq, o.err);
            return failWith(o.err, a.path, a.stage, a.sync);
          });
        }
        // dlopen: put the sides and what they NEED into MEMFS, then dlopen()
        var all = [];
        orders.forEach(function (seq) {
          seq.forEach(function (lib) {
            all.push(lib);
          });
        });
        all.forEach(function (lib) {
          M['FS'].writeFile('/' + lib.name, lib.bytes);
        });
        state.handles = [];
        for (var i = 0; i < extPaths.length; i++) {
          var path = '/' + basename(extPaths[i]);
          var handle, text = null;
          try {
            if (loader === 'glue') {
              handle = M['_wd_dlopen'](newUTF8(M, path), RTLD_NOW);
              if (!handle) text = M['UTF8ToString'](M['_wd_dlerror']());
            } else {
              handle = M['dlopen'](path, RTLD_NOW);
              if (!handle) text = M['dlerror']();
            }
          } catch (e) {
            // a glue without dynamic linking: dlopen() aborts (throws)
            failWith(e, extPaths[i], 'load', true);
            return result;
          }
          if (!handle) {
            // "Could not load dynamic lib: /x.wasm\n" + String(error)
            var errText = text.indexOf('\n') >= 0 ? text.slice(text.indexOf('\n') + 1) : text;
            var a = attributeLoad(orders[i], null);
            failWith(errText, a.path, a.stage, a.sync, text);
            return result;
          }
          state.handles.push(handle);
        }
        return null;
      });
    }

    // Call wd_entry(21) in the last side module: through C dlopen() (which
    // finds the already loaded library, as Godot's OS_Web does) and dlsym().
    function firstCall() {
      var last = c.sides[c.sides.length - 1];
      try {
        var r;
        if (loader === 'glue') {
          var h = c.path === 'dlopen' ? state.handles[state.handles.length - 1]
            : M['_wd_dlopen'](newUTF8(M, basename(last)), RTLD_NOW);
          if (!h) throw new Error('harness: dlopen of a loaded library failed: ' + M['UTF8ToString'](M['_wd_dlerror']()));
          r = M['_wd_call'](h, newUTF8(M, CALL_SYMBOL), CALL_ARG);
          if (r === -1000) throw new Error('harness: dlsym failed: ' + M['UTF8ToString'](M['_wd_dlerror']()));
        } else {
          var h2 = c.path === 'dlopen' ? state.handles[state.handles.length - 1] : M['dlopen'](basename(last), RTLD_NOW);
          if (!h2) throw new Error('harness: dlopen of a loaded library failed: ' + M['dlerror']());
          r = M['call'](h2, CALL_SYMBOL, CALL_ARG);
          if (r === -1000) throw new Error('harness: dlsym failed');
        }
        result.ok = true;
        result.call_result = r;
      } catch (e) {
        var text = fmt(e);
        if (text.indexOf('harness: ') === 0) throw e;
        result.ok = false;
        result.error = text;
        result.call_error = text;
        result.module = last;
        result.stage = 'first-call';
      }
      return result;
    }
  }

  var COMPARED = ['ok', 'error', 'module', 'stage', 'sync_instance', 'call_error', 'call_result', 'reported'];

  function pause(env) {
    return new Promise(function (resolve) {
      env.setTimeout(resolve, 0);
    }).then(function () {
      return new Promise(function (resolve) {
        env.setTimeout(resolve, 0);
      });
    });
  }

  // opts: {compare: bool, trace: bool, only: [names], log: fn}
  function runAll(cases, env, opts) {
    opts = opts || {};
    // opts.trace === false: no instrumentation at all (to check that it does
    // not change any message); module/stage are then not attributed.
    if (opts.trace !== false) install();
    var state = { onUnhandled: null };
    env.onUnhandledRejection(function (reason) {
      if (state.onUnhandled) state.onUnhandled(reason);
    });
    var fixtures = new Fixtures(env);
    var out = {};
    var list = cases.filter(function (c) {
      return !opts.only || opts.only.indexOf(c.name) >= 0;
    });
    return list.reduce(function (chain, c) {
      return chain.then(function () {
        var loader = c.glue ? 'glue' : 'reimpl';
        return runCase(c, env, fixtures, loader, state).then(function (r) {
          out[c.name] = r;
          return pause(env);
        }).then(function () {
          if (!opts.compare || loader !== 'glue') {
            out[c.name].reimpl_match = null;
            return;
          }
          return runCase(c, env, fixtures, 'reimpl', state).then(function (r2) {
            var same = COMPARED.every(function (k) {
              return out[c.name][k] === r2[k];
            });
            out[c.name].reimpl_match = same;
            if (!same) {
              var diff = {};
              COMPARED.forEach(function (k) {
                if (out[c.name][k] !== r2[k]) diff[k] = r2[k];
              });
              out[c.name].reimpl = diff;
            }
            return pause(env);
          });
        }).then(function () {
          if (opts.log) opts.log(c.name + ': ' + (out[c.name].ok ? 'ok' : out[c.name].error));
        });
      });
    }, Promise.resolve()).then(function () {
      return out;
    });
  }

  var api = { runAll: runAll, fmt: fmt, godotInstantiateWasm: godotInstantiateWasm, COMPARED: COMPARED };
  root.WDRunner = api;
  if (typeof module === 'object' && module.exports) module.exports = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
