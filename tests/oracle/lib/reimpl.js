// A JS re-implementation of Emscripten 3.1.6's dynamic loader
// (src/library_dylink.js) and of the parts of the MAIN_MODULE runtime it
// relies on (createWasm/receiveInstance, run/preloadDylibs, addFunction,
// getMemory, abort).  The oracle uses it where no Emscripten glue exists
// (hand-written main modules such as wasm/main_fixedtable.wasm) and, for
// every case that has glue, runs it next to the real glue to show that both
// give the same results in each engine.
//
// It follows the generated JS (-O2, whitespace-minified) function by function
// and keeps the glue's names.  The expressions at the places where an engine
// throws are written exactly as the minified glue spells them, because some
// engines quote the source text in their messages: JavaScriptCore appends
// " (evaluating 'new WebAssembly.Instance(module,info)')" and SpiderMonkey
// says "resolved is undefined".
//
// What it does not reimplement: the JS library functions of the main module
// (each becomes a stub that returns 0), the file system (a name -> bytes map
// stands in for MEMFS), threads (the main thread's TLS init is called, no
// workers exist) and C dlopen()'s dso struct (handles are small integers).
// Global-object side effects are limited to the returned Module object.
//
// Plain script: defines the global WDReimpl (and module.exports in Node).
(function (root) {
  var WDWasmInfo = root.WDWasmInfo || (typeof require === 'function' ? require('./wasm-info.js') : null);

  // Constants that emcc bakes into the glue.  Read from the glue text when
  // there is one, otherwise taken from the main module's own imports.
  function glueSettings(glueText, mainInfo) {
    var s = {
      asmLibraryArgKeys: null,
      tableInitial: null,
      tableMaximum: null,
      heapBase: null,
      globalBase: 1024,
      stackPointer: null,
      tableBase: 1,
      pthreads: false,
      // Built with -sMAIN_MODULE: the glue has the loader.  Without it
      // (Godot's standard templates) dlopen() aborts, Module.dynamicLibraries
      // is ignored and there is no loadDynamicLibrary for Godot to call.
      dynamicLinking: true,
    };
    var tableImport = null, memoryImport = null;
    mainInfo.imports.forEach(function (imp) {
      if (imp.module === 'env' && imp.kind === 'table') tableImport = imp;
      if (imp.module === 'env' && imp.kind === 'memory') memoryImport = imp;
    });
    s.memory = memoryImport ? { initial: memoryImport.initial, maximum: memoryImport.maximum, shared: memoryImport.shared } : null;
    if (glueText) {
      var m = /var asmLibraryArg=\{([^}]*)\};/.exec(glueText);
      if (!m) throw new Error('reimpl: no asmLibraryArg in the glue');
      s.asmLibraryArgKeys = [];
      var re = /"([^"]+)":/g, k;
      while ((k = re.exec(m[1]))) s.asmLibraryArgKeys.push(k[1]);
      if (glueText.indexOf('function loadDynamicLibrary(') < 0) {
        s.dynamicLinking = false;
        s.tableInitial = 1;
        return s;
      }
      var t = /var wasmTable=new WebAssembly\.Table\(\{"initial":(\d+),(?:"maximum":(\d+),)?"element":"anyfunc"\}\)/.exec(glueText);
      if (!t) throw new Error('reimpl: no wasmTable in the glue');
      s.tableInitial = Number(t[1]);
      s.tableMaximum = t[2] === undefined ? null : Number(t[2]);
      var hb = /var ___heap_base=(\d+);/.exec(glueText);
      if (hb) s.heapBase = Number(hb[1]);
      var gb = /relocateExports\(exports,(\d+)\)/.exec(glueText);
      if (gb) s.globalBase = Number(gb[1]);
      var sp = /var ___stack_pointer=new WebAssembly\.Global\(\{"value":"i32","mutable":true\},(\d+)\)/.exec(glueText);
      if (sp) s.stackPointer = Number(sp[1]);
      var tb = /var ___table_base=new WebAssembly\.Global\(\{"value":"i32","mutable":false\},(\d+)\)/.exec(glueText);
      if (tb) s.tableBase = Number(tb[1]);
      s.pthreads = glueText.indexOf('function registerTlsInit(') >= 0;
    } else {
      // No glue: offer exactly what the main module imports from env.
      s.asmLibraryArgKeys = [];
      mainInfo.imports.forEach(function (imp) {
        if ((imp.module === 'env' || imp.module === 'wasi_snapshot_preview1') && s.asmLibraryArgKeys.indexOf(imp.name) < 0) {
          s.asmLibraryArgKeys.push(imp.name);
        }
      });
      if (s.asmLibraryArgKeys.indexOf('__heap_base') < 0) s.asmLibraryArgKeys.push('__heap_base');
      if (tableImport) {
        s.tableInitial = tableImport.initial;
        s.tableMaximum = tableImport.maximum;
      } else {
        s.tableInitial = 1;
      }
      s.pthreads = !!(memoryImport && memoryImport.shared);
    }
    if (s.heapBase === null) s.heapBase = s.globalBase + 65536;
    if (s.stackPointer === null) s.stackPointer = s.heapBase;
    return s;
  }

  // Returns the Module object; Module.ready settles like the glue's factory().
  // cfg: {
  //   mainBytes: Uint8Array, glueText: string|null,
  //   dynamicLibraries: [names], instantiateWasm: function(info, receiveInstance)|undefined,
  //   readAsync: function(name, onload, onerror)  (the environment's readAsync)
  // }
  function create(cfg) {
    var mainInfo = WDWasmInfo.parse(cfg.mainBytes);
    var settings = glueSettings(cfg.glueText, mainInfo);
    var Module = {};
    var readyPromiseResolve, readyPromiseReject;
    Module['ready'] = new Promise(function (resolve, reject) {
      readyPromiseResolve = resolve;
      readyPromiseReject = reject;
    });
    // Where the loader is, for the oracle's module/stage columns.
    var failure = { lib: null, stage: null, sync: false };
    function note(lib, stage, sync) {
      failure.lib = lib;
      failure.stage = stage;
      failure.sync = !!sync;
    }
    Module['failure'] = failure;

    var STACK_ALIGN = 16;
    var err = function () {};
    var ABORT = false;
    var runtimeInitialized = false;
    var __ATINIT__ = [];
    var runDependencies = 0;
    var dylibsLoaded = false;
    var calledRun = false;
    var dynamicLibraries = cfg.dynamicLibraries || [];
    var readAsync = cfg.readAsync;
    var dlerrorText = null;

    function abort(what) {
      what = 'Aborted(' + what + ')';
      err(what);
      ABORT = true;
      what += '. Build with -s ASSERTIONS=1 for more info.';
      var e = new WebAssembly.RuntimeError(what);
      readyPromiseReject(e);
      throw e;
    }

    // runtime_init_memory.js / runtime_init_table.js
    var wasmMemory = null;
    if (settings.memory) {
      var memDesc = { 'initial': settings.memory.initial };
      if (settings.memory.maximum !== null) memDesc['maximum'] = settings.memory.maximum;
      if (settings.memory.shared) memDesc['shared'] = true;
      wasmMemory = new WebAssembly.Memory(memDesc);
    }
    var tableDesc = { 'initial': settings.tableInitial, 'element': 'anyfunc' };
    if (settings.tableMaximum !== null) tableDesc['maximum'] = settings.tableMaximum;
    var wasmTable = new WebAssembly.Table(tableDesc);

    var ___heap_base = settings.heapBase;
    var ___memory_base = new WebAssembly.Global({ 'value': 'i32', 'mutable': false }, settings.globalBase);
    var ___stack_pointer = new WebAssembly.Global({ 'value': 'i32', 'mutable': true }, settings.stackPointer);
    var ___table_base = new WebAssembly.Global({ 'value': 'i32', 'mutable': false }, settings.tableBase);

    // The main module's import object.  JS library functions are stubs.
    var asmLibraryArg = {};
    settings.asmLibraryArgKeys.forEach(function (key) {
      var value;
      if (key === 'memory') value = wasmMemory;
      else if (key === '__indirect_function_table') value = wasmTable;
      else if (key === '__heap_base') value = ___heap_base;
      else if (key === '__memory_base') value = ___memory_base;
      else if (key === '__stack_pointer') value = ___stack_pointer;
      else if (key === '__table_base') value = ___table_base;
      else {
        value = function () { return 0; };
      }
      asmLibraryArg[key] = value;
    });

    // ---- table helpers (runtime_functions.js)
    var wasmTableMirror = [];
    var freeTableIndexes = [];
    var functionsInTableMap;
    function getWasmTableEntry(funcPtr) {
      var func = wasmTableMirror[funcPtr];
      if (!func) {
        if (funcPtr >= wasmTableMirror.length) wasmTableMirror.length = funcPtr + 1;
        wasmTableMirror[funcPtr] = func = wasmTable.get(funcPtr);
      }
      return func;
    }
    function setWasmTableEntry(idx, func) {
      wasmTable.set(idx, func);
      wasmTableMirror[idx] = func;
    }
    function getEmptyTableSlot() {
      if (freeTableIndexes.length) return freeTableIndexes.pop();
      try {
        wasmTable.grow(1);
      } catch (err) {
        if (!(err instanceof RangeError)) throw err;
        throw 'Unable to grow wasm table. Set ALLOW_TABLE_GROWTH.';
      }
      return wasmTable.length - 1;
    }
    function updateTableMap(offset, count) {
      for (var i = offset; i < offset + count; i++) {
        var item = getWasmTableEntry(i);
        if (item) functionsInTableMap.set(item, i);
      }
    }
    function convertJsFunctionToWasm(func, sig) {
      if (typeof WebAssembly.Function == 'function') {
        var typeNames = { 'i': 'i32', 'j': 'i64', 'f': 'f32', 'd': 'f64' };
        var type = { parameters: [], results: sig[0] == 'v' ? [] : [typeNames[sig[0]]] };
        for (var i = 1; i < sig.length; ++i) type.parameters.push(typeNames[sig[i]]);
        return new WebAssembly.Function(type, func);
      }
      var typeSection = [1, 0, 1, 96];
      var sigRet = sig.slice(0, 1);
      var sigParam = sig.slice(1);
      var typeCodes = { 'i': 127, 'j': 126, 'f': 125, 'd': 124 };
      typeSection.push(sigParam.length);
      for (var j = 0; j < sigParam.length; ++j) typeSection.push(typeCodes[sigParam[j]]);
      if (sigRet == 'v') typeSection.push(0);
      else typeSection = typeSection.concat([1, typeCodes[sigRet]]);
      typeSection[1] = typeSection.length - 2;
      var bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0].concat(typeSection, [2, 7, 1, 1, 101, 1, 102, 0, 0, 7, 5, 1, 1, 102, 0, 0]));
      var module = new WebAssembly.Module(bytes);
      var instance = new WebAssembly.Instance(module, { 'e': { 'f': func } });
      return instance.exports['f'];
    }
    function addFunction(func, sig) {
      if (!functionsInTableMap) {
        functionsInTableMap = new WeakMap();
        updateTableMap(0, wasmTable.length);
      }
      if (functionsInTableMap.has(func)) return functionsInTableMap.get(func);
      var ret = getEmptyTableSlot();
      try {
        setWasmTableEntry(ret, func);
      } catch (err) {
        if (!(err instanceof TypeError)) throw err;
        var wrapped = convertJsFunctionToWasm(func, sig);
        setWasmTableEntry(ret, wrapped);
      }
      functionsInTableMap.set(func, ret);
      return ret;
    }

    // ---- library_dylink.js
    var GOT = {};
    var LDSO = { loadedLibsByName: {}, loadedLibsByHandle: {} };
    var GOTHandler = {
      get: function (obj, symName) {
        if (!GOT[symName]) GOT[symName] = new WebAssembly.Global({ 'value': 'i32', 'mutable': true });
        return GOT[symName];
      },
    };
    function asmjsMangle(x) {
      var unmangledSymbols = ['stackAlloc', 'stackSave', 'stackRestore'];
      return x.indexOf('dynCall_') == 0 || unmangledSymbols.includes(x) ? x : '_' + x;
    }
    function isInternalSym(symName) {
      return ['__cpp_exception', '__c_longjmp', '__wasm_apply_data_relocs', '__dso_handle', '__tls_size', '__tls_align',
        '__set_stack_limits', 'emscripten_tls_init', '__wasm_init_tls', '__wasm_call_ctors'].includes(symName);
    }
    function updateGOT(exports, replace) {
      for (var symName in exports) {
        if (isInternalSym(symName)) continue;
        var value = exports[symName];
        if (!GOT[symName]) GOT[symName] = new WebAssembly.Global({ 'value': 'i32', 'mutable': true });
        if (replace || GOT[symName].value == 0) {
          if (typeof value == 'function') GOT[symName].value = addFunction(value);
          else if (typeof value == 'number') GOT[symName].value = value;
          else if (typeof value == 'bigint') GOT[symName].value = Number(value);
          else err('unhandled export type for `' + symName + '`: ' + typeof value);
        }
      }
    }
    function relocateExports(exports, memoryBase, replace) {
      var relocated = {};
      for (var e in exports) {
        var value = exports[e];
        if (typeof value == 'object') value = value.value;
        if (typeof value == 'number') value += memoryBase;
        relocated[e] = value;
      }
      updateGOT(relocated, replace);
      return relocated;
    }
    function createInvokeFunction(sig) {
      return function () {
        throw new Error('reimpl: invoke_' + sig + ' is not reimplemented');
      };
    }
    function resolveGlobalSymbol(symName, direct) {
      var sym;
      if (!sym) sym = asmLibraryArg[symName];
      if (!sym) sym = Module[asmjsMangle(symName)];
      if (!sym && symName.startsWith('invoke_')) sym = createInvokeFunction(symName.split('_')[1]);
      return sym;
    }
    function reportUndefinedSymbols() {
      for (var symName in GOT) {
        if (GOT[symName].value == 0) {
          var value = resolveGlobalSymbol(symName, true);
          if (typeof value == 'function') {
            GOT[symName].value = addFunction(value, value.sig);
          } else if (typeof value == 'number') {
            GOT[symName].value = value;
          } else {
            throw new Error("bad export type for `"+symName+"`: "+typeof value);
          }
        }
      }
    }
    function getMemory(size) {
      if (runtimeInitialized && Module['_malloc']) return Module['_malloc'](size);
      var ret = ___heap_base;
      var end = (ret + size + 15) & -16;
      ___heap_base = end;
      GOT['__heap_base'].value = end;
      return ret;
    }
    function alignMemory(size, alignment) {
      return Math.ceil(size / alignment) * alignment;
    }
    function UTF8ArrayToString(heap, idx, len) {
      var s = '';
      for (var i = 0; i < len; i++) s += String.fromCharCode(heap[idx + i]);
      try {
        return decodeURIComponent(escape(s));
      } catch (e) {
        return s;
      }
    }
    function getDylinkMetadata(binary) {
      var offset = 0;
      var end = 0;
      function getU8() { return binary[offset++]; }
      function getLEB() {
        var ret = 0;
        var mul = 1;
        while (1) {
          var byte = binary[offset++];
          ret += (byte & 127) * mul;
          mul *= 128;
          if (!(byte & 128)) break;
        }
        return ret;
      }
      function getString() {
        var len = getLEB();
        offset += len;
        return UTF8ArrayToString(binary, offset - len, len);
      }
      function failIf(condition, message) {
        if (condition) throw new Error(message);
      }
      var name = 'dylink.0';
      if (binary instanceof WebAssembly.Module) {
        var dylinkSection = WebAssembly.Module.customSections(binary, name);
        if (dylinkSection.length === 0) {
          name = 'dylink';
          dylinkSection = WebAssembly.Module.customSections(binary, name);
        }
        failIf(dylinkSection.length === 0, 'need dylink section');
        binary = new Uint8Array(dylinkSection[0]);
        end = binary.length;
      } else {
        var int32View = new Uint32Array(new Uint8Array(binary.subarray(0, 24)).buffer);
        var magicNumberFound = int32View[0] == 1836278016;
        failIf(!magicNumberFound, 'need to see wasm magic number');
        failIf(binary[8] !== 0, 'need the dylink section to be first');
        offset = 9;
        var section_size = getLEB();
        end = offset + section_size;
        name = getString();
      }
      var customSection = { neededDynlibs: [], tlsExports: {} };
      if (name == 'dylink') {
        customSection.memorySize = getLEB();
        customSection.memoryAlign = getLEB();
        customSection.tableSize = getLEB();
        customSection.tableAlign = getLEB();
        var neededDynlibsCount = getLEB();
        for (var i = 0; i < neededDynlibsCount; ++i) customSection.neededDynlibs.push(getString());
      } else {
        failIf(name !== 'dylink.0');
        var WASM_DYLINK_MEM_INFO = 1, WASM_DYLINK_NEEDED = 2, WASM_DYLINK_EXPORT_INFO = 3, WASM_SYMBOL_TLS = 256;
        while (offset < end) {
          var subsectionType = getU8();
          var subsectionSize = getLEB();
          if (subsectionType === WASM_DYLINK_MEM_INFO) {
            customSection.memorySize = getLEB();
            customSection.memoryAlign = getLEB();
            customSection.tableSize = getLEB();
            customSection.tableAlign = getLEB();
          } else if (subsectionType === WASM_DYLINK_NEEDED) {
            var count = getLEB();
            for (var n = 0; n < count; ++n) customSection.neededDynlibs.push(getString());
          } else if (subsectionType === WASM_DYLINK_EXPORT_INFO) {
            var ecount = getLEB();
            while (ecount--) {
              var symname = getString();
              var flags = getLEB();
              if (flags & WASM_SYMBOL_TLS) customSection.tlsExports[symname] = 1;
            }
          } else {
            // unknown subsection (e.g. 4 = IMPORT_INFO, which 3.1.6 ignores)
            offset += subsectionSize;
          }
        }
      }
      return customSection;
    }
    function mergeLibSymbols(exports, libName) {
      for (var sym in exports) {
        if (!exports.hasOwnProperty(sym)) continue;
        if (!asmLibraryArg.hasOwnProperty(sym)) asmLibraryArg[sym] = exports[sym];
        var module_sym = asmjsMangle(sym);
        if (!Module.hasOwnProperty(module_sym)) Module[module_sym] = exports[sym];
      }
    }
    var tlsInitFunctions = [];
    function registerTlsInit(tlsInitFunc, moduleExports, metadata) {
      function tlsInitWrapper() {
        var __tls_base=tlsInitFunc();
        if (!__tls_base) return;
        for (var sym in metadata.tlsExports) metadata.tlsExports[sym] = moduleExports[sym];
        relocateExports(metadata.tlsExports, __tls_base, true);
      }
      tlsInitFunctions.push(tlsInitWrapper);
      if (runtimeInitialized) tlsInitWrapper();
    }

    function loadWebAssemblyModule(binary, flags, handle, libName) {
      note(libName, 'load');
      var metadata = getDylinkMetadata(binary);
      function loadModule() {
        note(libName, 'load');
        var needsAllocation = !handle || !handles[handle].memAllocated;
        if (needsAllocation) {
          var memAlign = Math.pow(2, metadata.memoryAlign);
          memAlign = Math.max(memAlign, STACK_ALIGN);
          var memoryBase = metadata.memorySize ? alignMemory(getMemory(metadata.memorySize + memAlign), memAlign) : 0;
          var tableBase = metadata.tableSize ? wasmTable.length : 0;
          if (handle) {
            handles[handle].memAllocated = true;
            handles[handle].memoryBase = memoryBase;
            handles[handle].tableBase = tableBase;
          }
        } else {
          memoryBase = handles[handle].memoryBase;
          tableBase = handles[handle].tableBase;
        }
        var tableGrowthNeeded = tableBase + metadata.tableSize - wasmTable.length;
        if (tableGrowthNeeded > 0) {
          note(libName, 'table-grow');
          // glue: wasmTable.grow(tableGrowthNeeded)
          wasmTable.grow(tableGrowthNeeded);
        }
        var moduleExports;
        function resolveSymbol(sym) {
          var resolved = resolveGlobalSymbol(sym, false);
          if (!resolved) resolved = moduleExports[sym];
          return resolved;
        }
        var proxyHandler = {
          'get': function (stubs, prop) {
            switch (prop) {
              case '__memory_base':
                return memoryBase;
              case '__table_base':
                return tableBase;
            }
            if (prop in asmLibraryArg) return asmLibraryArg[prop];
            if (!(prop in stubs)) {
              var resolved;
              stubs[prop] = function () {
                if (!resolved) resolved = resolveSymbol(prop);
                // the glue's text, quoted by JSC/SpiderMonkey when resolved is undefined:
                return resolved.apply(null,arguments);
              };
            }
            return stubs[prop];
          },
        };
        var proxy = new Proxy({}, proxyHandler);
        var info = { 'GOT.mem': new Proxy({}, GOTHandler), 'GOT.func': new Proxy({}, GOTHandler), 'env': proxy, wasi_snapshot_preview1: proxy };
        function postInstantiation(instance) {
          note(libName, 'post-instantiate');
          updateTableMap(tableBase, metadata.tableSize);
          moduleExports = relocateExports(instance.exports, memoryBase);
          if (!flags.allowUndefined) reportUndefinedSymbols();
          if (settings.pthreads) registerTlsInit(moduleExports['emscripten_tls_init'], instance.exports, metadata);
          var init = moduleExports['__wasm_call_ctors'];
          if (init) {
            if (runtimeInitialized) init();
            else __ATINIT__.push(init);
          }
          return moduleExports;
        }
        if (flags.loadAsync) {
          note(libName, 'instantiate');
          if (binary instanceof WebAssembly.Module) {
            note(libName, 'instantiate', true);
            var instance=new WebAssembly.Instance(binary,info);
            return Promise.resolve(postInstantiation(instance));
          }
          return WebAssembly.instantiate(binary,info).then(function (result) {
            return postInstantiation(result.instance);
          });
        }
        note(libName, 'compile', true);
        var module=binary instanceof WebAssembly.Module?binary:new WebAssembly.Module(binary);
        note(libName, 'instantiate', true);
        var instance=new WebAssembly.Instance(module,info);
        return postInstantiation(instance);
      }
      if (flags.loadAsync) {
        return metadata.neededDynlibs.reduce(function (chain, dynNeeded) {
          return chain.then(function () {
            return loadDynamicLibrary(dynNeeded, flags);
          });
        }, Promise.resolve()).then(function () {
          return loadModule();
        });
      }
      metadata.neededDynlibs.forEach(function (dynNeeded) {
        loadDynamicLibrary(dynNeeded, flags);
      });
      return loadModule();
    }

    function loadDynamicLibrary(lib, flags, handle) {
      if (lib == '__main__' && !LDSO.loadedLibsByName[lib]) {
        LDSO.loadedLibsByName[lib] = { refcount: Infinity, name: '__main__', module: Module['asm'], global: true };
      }
      flags = flags || { global: true, nodelete: true };
      var dso = LDSO.loadedLibsByName[lib];
      if (dso) {
        if (flags.global && !dso.global) {
          dso.global = true;
          if (dso.module !== 'loading') mergeLibSymbols(dso.module, lib);
        }
        if (flags.nodelete && dso.refcount !== Infinity) dso.refcount = Infinity;
        dso.refcount++;
        if (handle) LDSO.loadedLibsByHandle[handle] = dso;
        return flags.loadAsync ? Promise.resolve(true) : true;
      }
      dso = { refcount: flags.nodelete ? Infinity : 1, name: lib, module: 'loading', global: flags.global };
      LDSO.loadedLibsByName[lib] = dso;
      if (handle) LDSO.loadedLibsByHandle[handle] = dso;
      function loadLibData(libFile) {
        note(lib, 'load');
        if (flags.fs && flags.fs.findObject(libFile)) {
          var libData = flags.fs.readFile(libFile, { encoding: 'binary' });
          if (!(libData instanceof Uint8Array)) libData = new Uint8Array(libData);
          return flags.loadAsync ? Promise.resolve(libData) : libData;
        }
        if (flags.loadAsync) {
          return new Promise(function (resolve, reject) {
            readAsync(libFile, function (data) { resolve(new Uint8Array(data)); }, reject);
          });
        }
        throw new Error(libFile + ': file not found, and synchronous loading of external files is not available');
      }
      function getLibModule() {
        if (flags.loadAsync) {
          return loadLibData(lib).then(function (libData) {
            return loadWebAssemblyModule(libData, flags, handle, lib);
          });
        }
        return loadWebAssemblyModule(loadLibData(lib), flags, handle, lib);
      }
      function moduleLoaded(libModule) {
        if (dso.global) mergeLibSymbols(libModule, lib);
        dso.module = libModule;
      }
      if (flags.loadAsync) {
        return getLibModule().then(function (libModule) {
          moduleLoaded(libModule);
          return true;
        });
      }
      moduleLoaded(getLibModule());
      return true;
    }

    function preloadDylibs() {
      if (!dynamicLibraries.length) {
        reportUndefinedSymbols();
        return;
      }
      runDependencies++;
      dynamicLibraries.reduce(function (chain, lib) {
        return chain.then(function () {
          return loadDynamicLibrary(lib, { loadAsync: true, global: true, nodelete: true, allowUndefined: true });
        });
      }, Promise.resolve()).then(function () {
        reportUndefinedSymbols();
        runDependencies--;
        if (runDependencies == 0) run();
      });
    }

    // ---- the main module (preamble.js createWasm, postamble.js run)
    function run() {
      if (runDependencies > 0) return;
      if (!dylibsLoaded && settings.dynamicLinking) {
        preloadDylibs();
        dylibsLoaded = true;
        if (runDependencies > 0) return;
      }
      if (calledRun) return;
      calledRun = true;
      if (ABORT) return;
      runtimeInitialized = true;
      while (__ATINIT__.length > 0) __ATINIT__.shift()(Module);
      readyPromiseResolve(Module);
    }

    function createWasm() {
      var info = { 'env': asmLibraryArg, 'wasi_snapshot_preview1': asmLibraryArg,
        'GOT.mem': new Proxy(asmLibraryArg, GOTHandler), 'GOT.func': new Proxy(asmLibraryArg, GOTHandler) };
      function receiveInstance(instance, module) {
        var exports = instance.exports;
        if (!settings.dynamicLinking) {
          // preamble.js without MAIN_MODULE: the exports as they are
          Module['asm'] = exports;
          __ATINIT__.unshift(exports['__wasm_call_ctors']);
          runDependencies--;
          if (runDependencies == 0) run();
          return;
        }
        exports = relocateExports(exports, settings.globalBase);
        Module['asm'] = exports;
        var metadata = getDylinkMetadata(module);
        if (metadata.neededDynlibs) dynamicLibraries = metadata.neededDynlibs.concat(dynamicLibraries);
        mergeLibSymbols(exports, 'main');
        if (settings.pthreads) registerTlsInit(Module['asm']['emscripten_tls_init'], instance.exports, metadata);
        __ATINIT__.unshift(Module['asm']['__wasm_call_ctors']);
        runDependencies--;
        if (runDependencies == 0) run();
      }
      runDependencies++;
      note('__main__', 'main-instantiate');
      if (cfg.instantiateWasm) {
        try {
          return cfg.instantiateWasm(info, receiveInstance);
        } catch (e) {
          err('Module.instantiateWasm callback failed with error: ' + e);
          return false;
        }
      }
      var binary = cfg.mainBytes;
      return Promise.resolve().then(function () {
        return WebAssembly.instantiate(binary,info);
      }).then(function (instance) {
        return instance;
      }).then(function (result) {
        receiveInstance(result['instance'], result['module']);
      }, function (reason) {
        err('failed to asynchronously prepare wasm: ' + reason);
        abort(reason);
      });
    }

    // ---- C dlopen()/dlsym()/dlerror() (dlopen.c + library_dylink.js)
    var files = {};
    var handles = [null];
    function normalize(path) {
      return path.charAt(0) === '/' ? path : '/' + path;
    }
    var FS = {
      writeFile: function (path, bytes) { files[normalize(path)] = bytes; },
      findObject: function (path) { return files[normalize(path)] ? { isFolder: false, isDevice: false } : null; },
      readFile: function (path) { return files[normalize(path)]; },
    };
    Module['FS'] = FS;
    Module['dlopen'] = function (filename, flags) {
      // library_dylink.js without MAIN_MODULE: _dlopen_js aborts
      if (!settings.dynamicLinking) abort("To use dlopen, you need to use Emscripten's linking support, see https://github.com/emscripten-core/emscripten/wiki/Linking");
      var handle = handles.length;
      handles.push({ memAllocated: false });
      var combinedFlags = { global: Boolean(flags & 256), nodelete: Boolean(flags & 4096), loadAsync: false, fs: FS };
      try {
        loadDynamicLibrary(filename, combinedFlags, handle);
        return handle;
      } catch (e) {
        dlerrorText = 'Could not load dynamic lib: ' + filename + '\n' + e;
        return 0;
      }
    };
    Module['dlerror'] = function () {
      var t = dlerrorText;
      dlerrorText = null;
      return t;
    };
    // dlsym(handle, sym) and call it, like main.c's wd_call()
    Module['call'] = function (handle, symbol, arg) {
      var lib = LDSO.loadedLibsByHandle[handle];
      if (!lib.module.hasOwnProperty(symbol)) return -1000;
      return lib.module[symbol](arg);
    };
    if (settings.dynamicLinking) Module['loadDynamicLibrary'] = loadDynamicLibrary;

    createWasm();
    return Module;
  }

  var api = { create: create, glueSettings: glueSettings };
  root.WDReimpl = api;
  if (typeof module === 'object' && module.exports) module.exports = api;
})(typeof globalThis !== 'undefined' ? globalThis : this);
