/*
 * Engine message tables: how each engine words a link failure, and in which
 * order it checks a module's imports.
 *
 * One table per engine version, each checked byte for byte against that
 * engine running for real by the oracle suite (tests/oracle, tests/link):
 *
 *   chrome   V8 in Debian's Chromium 156.0.8078 (v8/src/wasm/module-instantiate.cc)
 *   node20   V8 11.3.244.8 in Node 20.20.2 (the same file, an older wording)
 *   firefox  SpiderMonkey in Firefox ESR 153.7.0 (js/src/wasm/WasmJS.cpp,
 *            WasmModule.cpp; js/src/js.msg)
 *   safari   JavaScriptCore of WebKitGTK 2.50.6, the `jsc` shell
 *            (Source/JavaScriptCore/wasm/js/WebAssemblyModuleRecord.cpp)
 *
 * Templates: the text is built from a template with {placeholders}:
 *   {api}     V8's "WebAssembly.instantiate(): " / "WebAssembly.Instance(): "
 *   {imp}     the engine's import label, e.g. V8's `Import #31 "env" "memory": `
 *   {index} {module} {name}   import index and names
 *   {dmin} {dmax} {dshared}   what the importing module declares
 *   {gcur} {gmax} {gshared}   what it was given (current size, maximum, shared)
 *   {amount}  entries a table grow asked for     {symbol}  a symbol name
 *   {typeof}  JS typeof of a resolved symbol
 * Engine texts are never translated.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "webdoctor/link.h"

typedef struct msg {
  wd_link_fault fault;
  const char *tmpl;
} msg;

typedef struct engine_table {
  wd_engine_info info;
  const char *import_label; /* expands {imp} */
  const char *module_label; /* {imp} for faults about the module object */
  bool has_api_prefix;
  const char *instance_suffix; /* appended to errors of new WebAssembly.Instance() */
  const msg *msgs;
  /* check phase of a fault: the engine reports the lowest (phase, import) */
  int (*phase)(wd_link_fault f);
} engine_table;

/* ---- V8 ------------------------------------------------------------------ */

static const msg v8_chrome_msgs[] = {
  {WD_FAULT_MODULE_NOT_OBJECT, "TypeError: {api}{modimp}module is not an object or function"},
  {WD_FAULT_FUNC_NOT_CALLABLE, "LinkError: {api}{imp}function import requires a callable"},
  {WD_FAULT_FUNC_SIGNATURE, "LinkError: {api}{imp}imported function does not match the expected type"},
  {WD_FAULT_TABLE_NOT_TABLE, "LinkError: {api}{imp}table import requires a WebAssembly.Table"},
  {WD_FAULT_TABLE_ELEM_TYPE, "LinkError: {api}{imp}imported table does not match the expected type"},
  {WD_FAULT_TABLE_TOO_SMALL, "LinkError: {api}table import {index} is smaller than initial {dmin}, got {gcur}"},
  {WD_FAULT_TABLE_NO_MAX, "LinkError: {api}table import {index} has no maximum length; required: {dmax}"},
  {WD_FAULT_TABLE_MAX_TOO_LARGE, "LinkError: {api}table import {index} has a larger maximum size {gmax} than the module's declared maximum {dmax}"},
  {WD_FAULT_MEMORY_NOT_MEMORY, "LinkError: {api}{imp}memory import must be a WebAssembly.Memory object"},
  {WD_FAULT_MEMORY_TOO_SMALL, "LinkError: {api}{imp}memory import has {gcur} pages which is smaller than the declared initial of {dmin}"},
  {WD_FAULT_MEMORY_NO_MAX, "LinkError: {api}{imp}memory import has no maximum limit, expected at most 4294967295"},
  {WD_FAULT_MEMORY_MAX_TOO_LARGE, "LinkError: {api}{imp}memory import has a larger maximum size {gmax} than the module's declared maximum {dmax}"},
  {WD_FAULT_MEMORY_SHARED, "LinkError: {api}{imp}mismatch in shared state of memory, declared = {dshared}, imported = {gshared}"},
  {WD_FAULT_GLOBAL_NOT_VALUE, "LinkError: {api}{imp}global import must be a number, valid Wasm reference, or WebAssembly.Global object"},
  {WD_FAULT_GLOBAL_NEEDS_OBJECT, "LinkError: {api}{imp}imported mutable global must be a WebAssembly.Global object"},
  {WD_FAULT_GLOBAL_MUTABILITY, "LinkError: {api}{imp}imported global does not match the expected mutability"},
  {WD_FAULT_GLOBAL_TYPE, "LinkError: {api}{imp}imported global does not match the expected type"},
  {WD_FAULT_TAG_NOT_TAG, "LinkError: {api}{imp}tag import requires a WebAssembly.Tag"},
  {WD_FAULT_TAG_TYPE, "LinkError: {api}{imp}imported tag does not match the expected type"},
  {WD_FAULT_TABLE_GROW, "RangeError: WebAssembly.Table.grow(): failed to grow table by {amount}"},
  {WD_FAULT_LAZY_STUB, "TypeError: Cannot read properties of undefined (reading 'apply')"},
  {WD_FAULT_NONE, NULL},
};

static const msg v8_node20_msgs[] = {
  {WD_FAULT_MODULE_NOT_OBJECT, "TypeError: {api}{modimp}module is not an object or function"},
  {WD_FAULT_FUNC_NOT_CALLABLE, "LinkError: {api}{imp}function import requires a callable"},
  {WD_FAULT_FUNC_SIGNATURE, "LinkError: {api}{imp}imported function does not match the expected type"},
  {WD_FAULT_TABLE_NOT_TABLE, "LinkError: {api}{imp}table import requires a WebAssembly.Table"},
  {WD_FAULT_TABLE_ELEM_TYPE, "LinkError: {api}{imp}imported table does not match the expected type"},
  {WD_FAULT_TABLE_TOO_SMALL, "LinkError: {api}table import {index} is smaller than initial {dmin}, got {gcur}"},
  {WD_FAULT_TABLE_NO_MAX, "LinkError: {api}table import {index} has no maximum length, expected {dmax}"},
  {WD_FAULT_TABLE_MAX_TOO_LARGE, "LinkError: {api}table import {index} has a larger maximum size {gmax} than the module's declared maximum {dmax}"},
  {WD_FAULT_MEMORY_NOT_MEMORY, "LinkError: {api}{imp}memory import must be a WebAssembly.Memory object"},
  {WD_FAULT_MEMORY_TOO_SMALL, "LinkError: {api}memory import {index} is smaller than initial {dmin}, got {gcur}"},
  {WD_FAULT_MEMORY_NO_MAX, "LinkError: {api}memory import {index} has no maximum limit, expected at most 4294967295"},
  {WD_FAULT_MEMORY_MAX_TOO_LARGE, "LinkError: {api}memory import {index} has a larger maximum size {gmax} than the module's declared maximum {dmax}"},
  {WD_FAULT_MEMORY_SHARED, "LinkError: {api}mismatch in shared state of memory, declared = {dshared}, imported = {gshared}"},
  {WD_FAULT_GLOBAL_NOT_VALUE, "LinkError: {api}{imp}global import must be a number, valid Wasm reference, or WebAssembly.Global object"},
  {WD_FAULT_GLOBAL_NEEDS_OBJECT, "LinkError: {api}{imp}imported mutable global must be a WebAssembly.Global object"},
  {WD_FAULT_GLOBAL_MUTABILITY, "LinkError: {api}{imp}imported global does not match the expected mutability"},
  {WD_FAULT_GLOBAL_TYPE, "LinkError: {api}{imp}imported global does not match the expected type"},
  {WD_FAULT_TAG_NOT_TAG, "LinkError: {api}{imp}tag import requires a WebAssembly.Tag"},
  {WD_FAULT_TAG_TYPE, "LinkError: {api}{imp}imported tag does not match the expected type"},
  {WD_FAULT_TABLE_GROW, "RangeError: WebAssembly.Table.grow(): failed to grow table by {amount}"},
  {WD_FAULT_LAZY_STUB, "TypeError: Cannot read properties of undefined (reading 'apply')"},
  {WD_FAULT_NONE, NULL},
};

/* V8 processes the import table in order and stops at the first failure. */
static int v8_phase(wd_link_fault f) {
  (void)f;
  return 0;
}

/* ---- SpiderMonkey -------------------------------------------------------- */

static const msg sm_msgs[] = {
  {WD_FAULT_MODULE_NOT_OBJECT, "TypeError: import object field '{module}' is not an Object"},
  {WD_FAULT_FUNC_NOT_CALLABLE, "LinkError: import object field '{name}' is not a Function"},
  {WD_FAULT_FUNC_SIGNATURE, "LinkError: imported function '{module}.{name}' signature mismatch"},
  {WD_FAULT_TABLE_NOT_TABLE, "LinkError: import object field '{name}' is not a Table"},
  {WD_FAULT_TABLE_ELEM_TYPE, "LinkError: imported table type mismatch"},
  {WD_FAULT_TABLE_TOO_SMALL, "LinkError: imported Table with incompatible size"},
  {WD_FAULT_TABLE_NO_MAX, "LinkError: imported Table with incompatible maximum size"},
  {WD_FAULT_TABLE_MAX_TOO_LARGE, "LinkError: imported Table with incompatible maximum size"},
  {WD_FAULT_MEMORY_NOT_MEMORY, "LinkError: import object field '{name}' is not a Memory"},
  {WD_FAULT_MEMORY_TOO_SMALL, "LinkError: imported Memory with incompatible size"},
  {WD_FAULT_MEMORY_NO_MAX, "LinkError: imported Memory with incompatible maximum size"},
  {WD_FAULT_MEMORY_MAX_TOO_LARGE, "LinkError: imported Memory with incompatible maximum size"},
  {WD_FAULT_MEMORY_SHARED, "LinkError: {smshared}"},
  {WD_FAULT_GLOBAL_NOT_VALUE, "LinkError: import object field '{name}' is not a {smnumber}"},
  {WD_FAULT_GLOBAL_NEEDS_OBJECT, "LinkError: imported global mutability mismatch"},
  {WD_FAULT_GLOBAL_MUTABILITY, "LinkError: imported global mutability mismatch"},
  {WD_FAULT_GLOBAL_TYPE, "LinkError: imported global type mismatch"},
  {WD_FAULT_TAG_NOT_TAG, "LinkError: import object field '{name}' is not a Tag"},
  {WD_FAULT_TAG_TYPE, "LinkError: imported tag '{module}.{name}' type mismatch"},
  {WD_FAULT_TABLE_GROW, "RangeError: failed to grow table"},
  {WD_FAULT_LAZY_STUB, "TypeError: can't access property \"apply\", resolved is undefined"},
  {WD_FAULT_NONE, NULL},
};

/* SpiderMonkey first reads every import from the import object, in order,
 * checking its JS type (GetImports; globals are checked completely there),
 * then instantiates functions (signatures), memories, tags and tables. */
static int sm_phase(wd_link_fault f) {
  switch (f) {
  case WD_FAULT_FUNC_SIGNATURE: return 1;
  case WD_FAULT_MEMORY_INDEX_TYPE:
  case WD_FAULT_MEMORY_TOO_SMALL:
  case WD_FAULT_MEMORY_NO_MAX:
  case WD_FAULT_MEMORY_MAX_TOO_LARGE:
  case WD_FAULT_MEMORY_SHARED: return 2;
  case WD_FAULT_TAG_TYPE: return 3;
  case WD_FAULT_TABLE_ELEM_TYPE:
  case WD_FAULT_TABLE_TOO_SMALL:
  case WD_FAULT_TABLE_NO_MAX:
  case WD_FAULT_TABLE_MAX_TOO_LARGE: return 4;
  default: return 0;
  }
}

/* ---- JavaScriptCore ------------------------------------------------------- */

static const msg jsc_msgs[] = {
  {WD_FAULT_MODULE_NOT_OBJECT, "TypeError: import {module}:{name} must be an object"},
  {WD_FAULT_FUNC_NOT_CALLABLE, "LinkError: import function {module}:{name} must be callable"},
  {WD_FAULT_FUNC_SIGNATURE, "LinkError: imported function {module}:{name} signature doesn't match the provided WebAssembly function's signature"},
  {WD_FAULT_TABLE_NOT_TABLE, "LinkError: Table import {module}:{name} is not an instance of WebAssembly.Table"},
  {WD_FAULT_TABLE_ELEM_TYPE, "LinkError: Table import {module}:{name} provided a 'type' that is wrong"},
  {WD_FAULT_TABLE_TOO_SMALL, "LinkError: Table import {module}:{name} provided an 'initial' that is too small"},
  {WD_FAULT_TABLE_NO_MAX, "LinkError: Table import {module}:{name} does not have a 'maximum' but the module requires that it does"},
  {WD_FAULT_TABLE_MAX_TOO_LARGE, "LinkError: Imported Table {module}:{name} 'maximum' is larger than the module's expected 'maximum'"},
  {WD_FAULT_MEMORY_NOT_MEMORY, "LinkError: Memory import {module}:{name} is not an instance of WebAssembly.Memory"},
  {WD_FAULT_MEMORY_TOO_SMALL, "LinkError: Memory import {module}:{name} provided a 'size' that is smaller than the module's declared 'initial' import memory size"},
  {WD_FAULT_MEMORY_NO_MAX, "LinkError: Memory import {module}:{name} did not have a 'maximum' but the module requires that it does"},
  {WD_FAULT_MEMORY_MAX_TOO_LARGE, "LinkError: Memory import {module}:{name} provided a 'maximum' that is larger than the module's declared 'maximum' import memory size"},
  {WD_FAULT_MEMORY_SHARED, "LinkError: Memory import {module}:{name} provided a 'shared' that is different from the module's declared 'shared' import memory attribute"},
  {WD_FAULT_GLOBAL_NOT_VALUE, "LinkError: imported global {module}:{name} must be a {jscnumber}"},
  {WD_FAULT_GLOBAL_NEEDS_OBJECT, "LinkError: imported global {module}:{name} must be a WebAssembly.Global object since it is mutable"},
  {WD_FAULT_GLOBAL_MUTABILITY, "LinkError: imported global {module}:{name} must be a same mutability"},
  {WD_FAULT_GLOBAL_TYPE, "LinkError: imported global {module}:{name} must be a same type"},
  {WD_FAULT_TAG_NOT_TAG, "LinkError: Tag import {module}:{name} is not an instance of WebAssembly.Tag"},
  {WD_FAULT_TAG_TYPE, "LinkError: imported Tag {module}:{name} signature doesn't match the imported WebAssembly Tag's signature"},
  {WD_FAULT_TABLE_GROW, "RangeError: WebAssembly.Table.prototype.grow could not grow the table"},
  {WD_FAULT_LAZY_STUB, "TypeError: undefined is not an object (evaluating 'resolved.apply')"},
  {WD_FAULT_NONE, NULL},
};

static int jsc_phase(wd_link_fault f) {
  (void)f;
  return 0;
}

static const engine_table engines[WD_ENGINE_COUNT] = {
  {{WD_ENGINE_CHROME, "chrome", "Chrome 156 (V8)", "Chromium 156.0.8078.108 (Debian 12)"},
   "Import #{index} \"{module}\" \"{name}\": ", "Import #{index} \"{module}\": ", true, "",
   v8_chrome_msgs, v8_phase},
  {{WD_ENGINE_NODE20, "node20", "Node 20 (V8 11.3)", "Node v20.20.2, V8 11.3.244.8-node.38"},
   "Import #{index} module=\"{module}\" function=\"{name}\" error: ",
   "Import #{index} module=\"{module}\" error: ", true, "", v8_node20_msgs, v8_phase},
  {{WD_ENGINE_FIREFOX, "firefox", "Firefox 153 (SpiderMonkey)", "Firefox ESR 153.7.0esr (Debian 12)"},
   "", "", false, "", sm_msgs, sm_phase},
  {{WD_ENGINE_SAFARI, "safari", "Safari (JavaScriptCore)", "JavaScriptCore of WebKitGTK 2.50.6, jsc shell"},
   "", "", false, " (evaluating 'new WebAssembly.Instance(module,info)')", jsc_msgs, jsc_phase},
};

const wd_engine_info *wd_engine_get(wd_engine e) {
  return (unsigned)e < WD_ENGINE_COUNT ? &engines[e].info : NULL;
}

bool wd_engine_parse(const char *s, wd_engine *out) {
  static const struct { const char *name; wd_engine e; } names[] = {
    {"chrome", WD_ENGINE_CHROME}, {"chromium", WD_ENGINE_CHROME}, {"v8", WD_ENGINE_CHROME},
    {"edge", WD_ENGINE_CHROME},   {"node", WD_ENGINE_NODE20},     {"node20", WD_ENGINE_NODE20},
    {"firefox", WD_ENGINE_FIREFOX}, {"spidermonkey", WD_ENGINE_FIREFOX},
    {"safari", WD_ENGINE_SAFARI}, {"jsc", WD_ENGINE_SAFARI},     {"javascriptcore", WD_ENGINE_SAFARI},
  };
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (!strcmp(s, names[i].name)) {
      *out = names[i].e;
      return true;
    }
  return false;
}

const wd_link_problem *wd_link_first_problem(const wd_link_result *r, uint32_t module, wd_engine e) {
  const engine_table *t = &engines[e];
  const wd_link_problem *best = NULL;
  int best_phase = 0;
  for (uint32_t i = 0; i < r->nproblems; i++) {
    const wd_link_problem *p = &r->problems[i];
    if (p->module != module || !wd_link_fault_is_fatal(p->fault)) continue;
    /* loader problems come before the engine's, and after-instantiation ones after */
    int phase = p->stage == WD_STAGE_BEFORE ? -1
              : p->stage == WD_STAGE_AFTER ? 100 : t->phase(p->fault);
    if (!best || phase < best_phase ||
        (phase == best_phase && p->import_index < best->import_index)) {
      best = p;
      best_phase = phase;
    }
  }
  return best;
}

/* ---- rendering ---------------------------------------------------------- */

typedef struct out {
  char *buf;
  size_t size, n;
} out;

static void put(out *o, const char *s, size_t len) {
  for (size_t i = 0; i < len && o->n + 1 < o->size; i++) o->buf[o->n++] = s[i];
  if (o->size) o->buf[o->n < o->size ? o->n : o->size - 1] = '\0';
}
static void puts_(out *o, const char *s) { put(o, s, strlen(s)); }
static void putu(out *o, uint64_t v) {
  char b[24];
  snprintf(b, sizeof b, "%" PRIu64, v);
  puts_(o, b);
}

static void expand(out *o, const char *tmpl, const engine_table *t, const wd_link_result *r,
                   const wd_link_problem *p, wd_link_call call);

static void expand_key(out *o, const char *key, size_t klen, const engine_table *t,
                       const wd_link_result *r, const wd_link_problem *p, wd_link_call call) {
  const wd_import *im = p->import;
#define KEY(k) (klen == sizeof(k) - 1 && memcmp(key, k, klen) == 0)
  if (KEY("api")) {
    if (t->has_api_prefix)
      puts_(o, call == WD_CALL_INSTANCE ? "WebAssembly.Instance(): " : "WebAssembly.instantiate(): ");
  } else if (KEY("imp")) {
    expand(o, t->import_label, t, r, p, call);
  } else if (KEY("modimp")) {
    expand(o, t->module_label, t, r, p, call);
  } else if (KEY("index")) {
    putu(o, p->import_index < 0 ? 0 : (uint64_t)p->import_index);
  } else if (KEY("module")) {
    if (im) put(o, im->module.ptr, im->module.len);
  } else if (KEY("name")) {
    if (im) put(o, im->name.ptr, im->name.len);
  } else if (KEY("dmin")) {
    if (im) putu(o, im->kind == WD_EXTERN_TABLE ? im->u.table.limits.min : im->u.memory.min);
  } else if (KEY("dmax")) {
    if (im) putu(o, im->kind == WD_EXTERN_TABLE ? im->u.table.limits.max : im->u.memory.max);
  } else if (KEY("dshared")) {
    putu(o, im && im->kind == WD_EXTERN_MEMORY && im->u.memory.shared);
  } else if (KEY("gcur")) {
    putu(o, p->given.current);
  } else if (KEY("gmax")) {
    putu(o, p->given.limits.max);
  } else if (KEY("gshared")) {
    putu(o, p->given.limits.shared);
  } else if (KEY("amount")) {
    putu(o, p->amount);
  } else if (KEY("symbol")) {
    put(o, p->symbol.ptr, p->symbol.len);
  } else if (KEY("typeof")) {
    puts_(o, p->given.kind == WD_GIVEN_UNDEFINED ? "undefined" : "object");
  } else if (KEY("value")) {
    puts_(o, p->given.kind == WD_GIVEN_MEMORY  ? "[object WebAssembly.Memory]"
             : p->given.kind == WD_GIVEN_TABLE ? "[object WebAssembly.Table]"
             : p->given.kind == WD_GIVEN_TAG   ? "[object WebAssembly.Tag]"
             : p->given.kind == WD_GIVEN_GLOBAL ? "[object WebAssembly.Global]"
                                                : "undefined");
  } else if (KEY("smshared")) {
    puts_(o, im && im->u.memory.shared ? "imported unshared memory but shared required"
                                       : "imported shared memory but unshared required");
  } else if (KEY("smnumber") || KEY("jscnumber")) {
    bool i64 = im && im->kind == WD_EXTERN_GLOBAL && im->u.global.type.code == WD_VT_I64;
    puts_(o, i64 ? "BigInt" : (KEY("smnumber") ? "Number" : "number"));
  }
#undef KEY
  (void)r;
}

static void expand(out *o, const char *tmpl, const engine_table *t, const wd_link_result *r,
                   const wd_link_problem *p, wd_link_call call) {
  for (const char *s = tmpl; *s;) {
    if (*s == '{') {
      const char *e = strchr(s, '}');
      if (e) {
        expand_key(o, s + 1, (size_t)(e - s - 1), t, r, p, call);
        s = e + 1;
        continue;
      }
    }
    put(o, s, 1);
    s++;
  }
}

size_t wd_link_engine_message(const wd_link_result *r, const wd_link_problem *p, wd_engine e,
                              wd_link_call call, char *buf, size_t size) {
  out o = {buf, size, 0};
  if (size) buf[0] = '\0';
  const engine_table *t = &engines[e];
  /* the glue instantiates the main module with WebAssembly.instantiate
   * (or instantiateStreaming, which V8 words the same for link errors) */
  if (p->module < r->nmodules && r->modules[p->module].is_main) call = WD_CALL_INSTANTIATE;
  /* loader messages are JS Errors of Emscripten's own, the same in every engine */
  switch (p->fault) {
  case WD_FAULT_NO_DYLINK: {
    const wd_module *m = r->modules[p->module].module;
    bool custom_first = m->nsections && m->sections[0].id == WD_SEC_CUSTOM;
    puts_(&o, custom_first ? "Error: " : "Error: need the dylink section to be first");
    return o.n;
  }
  case WD_FAULT_UNDEFINED_SYMBOL: {
    /* reportUndefinedSymbols, worded by each loader (src/link/loader.c) */
    const wd_loader_rules *lr = wd_loader_get(r->loader.version);
    /* 4.0.20 tests typeof value.value before its throw, so a symbol nothing
     * defines (value undefined) ends in the engine's own TypeError, not in
     * "bad export type" (seen in Node with a 4.0.20 MAIN_MODULE=2 and a side
     * module needing undefined data).  V8 words it without the glue's
     * variable name; SpiderMonkey and JavaScriptCore name the variable, which
     * a minified glue renames: no fixed text for them. */
    if (lr->bad_export_value && p->given.kind == WD_GIVEN_UNDEFINED) {
      if (e == WD_ENGINE_CHROME || e == WD_ENGINE_NODE20)
        puts_(&o, "TypeError: Cannot read properties of undefined (reading 'value')");
      return o.n;
    }
    char q[2] = {lr->bad_export_quote, 0};
    puts_(&o, "Error: bad export type for ");
    puts_(&o, q);
    expand(&o, "{symbol}", t, r, p, call);
    puts_(&o, q);
    expand(&o, ": {typeof}", t, r, p, call);
    if (lr->bad_export_value) expand(&o, " ({value})", t, r, p, call);
    return o.n;
  }
  case WD_FAULT_JS_EH_ABORT:
    /* Emscripten's abort() (src/preamble.js), the same in every engine; with
     * ASSERTIONS the text names the cause instead: no fixed text then */
    if (r->abort_hint) puts_(&o, "RuntimeError: Aborted(). Build with -sASSERTIONS for more info.");
    return o.n;
  case WD_FAULT_LAZY_STUB:
    /* from 3.1.55 the stub calls resolved(...args) (library_dylink.js) */
    if (wd_loader_get(r->loader.version)->stub_spread) {
      puts_(&o, e == WD_ENGINE_SAFARI
                    ? "TypeError: resolved is not a function. (In 'resolved(...args)', 'resolved' is undefined)"
                    : "TypeError: resolved is not a function");
      return o.n;
    }
    break;
  case WD_FAULT_NEEDED_MISSING:
    return o.n; /* depends on how the host answers the request: no fixed text */
  case WD_FAULT_NO_LOADER:
    /* Not an engine's text: Godot's engine.js (4.3+, godotengine/godot#82790)
       rejects start() when gdextensionLibs is not empty and the glue has no
       loadDynamicLibrary; C dlopen() in a glue without dynamic linking is
       Emscripten's abort (the 3.1.6 wording, library_dylink.js); preloaded
       libraries (Module.dynamicLibraries) are ignored without a word. */
    if (r->modules[p->module].mode == WD_SIDE_PRELOAD) return o.n;
    if (call == WD_CALL_INSTANCE)
      puts_(&o, "RuntimeError: Aborted(To use dlopen, you need to use Emscripten's linking support, see "
                "https://github.com/emscripten-core/emscripten/wiki/Linking). Build with -s ASSERTIONS=1 for more "
                "info.");
    else
      puts_(&o, "Error: GDExtension libraries are not supported by this engine version. Enable \"Extensions "
                "Support\" for your export preset and/or build your custom template with \"dlink_enabled=yes\".");
    return o.n;
  default:
    break;
  }
  for (const msg *mm = t->msgs; mm->tmpl; mm++) {
    if (mm->fault == p->fault) {
      expand(&o, mm->tmpl, t, r, p, call);
      /* JSC quotes the source of the call that threw; Emscripten's minified
       * loader calls `new WebAssembly.Instance(module,info)` */
      if (call == WD_CALL_INSTANCE && p->stage == WD_STAGE_IMPORT) puts_(&o, t->instance_suffix);
      return o.n;
    }
  }
  return o.n;
}
