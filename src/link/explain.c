/*
 * Plain-language explanations of link problems: which module declares what,
 * what it was given, the likely cause, and the fixes ranked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "webdoctor/explain.h"

static void setf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void setf(char *buf, size_t size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, size, fmt, ap);
  va_end(ap);
}

static void setm(wd_msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void setm(wd_msg *m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_msg_free(m);
  (void)wd_msg_vinit(m, fmt, ap); /* out of memory: no text */
  va_end(ap);
}

void wd_link_explanation_free(wd_link_explanation *e) {
  wd_msg_free(&e->summary);
  wd_msg_free(&e->why);
  for (unsigned i = 0; i < e->nfixes; i++) {
    wd_msg_free(&e->fixes[i].text);
    wd_msg_free(&e->fixes[i].tradeoff);
  }
  e->nfixes = 0;
}

static wd_link_fix *add_fix(wd_link_explanation *e, wd_fix_kind kind) {
  if (e->nfixes >= WD_LINK_MAX_FIXES) return NULL;
  wd_link_fix *f = &e->fixes[e->nfixes++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  return f;
}

static const char *mod_name(const wd_link_result *r, uint32_t i) {
  return i < r->nmodules ? r->modules[i].name : "?";
}

static const char *provider_name(const wd_link_result *r, uint32_t p) {
  if (p == WD_PROVIDER_GLUE) return W_("the JS glue");
  if (p == WD_PROVIDER_LOADER) return W_("Emscripten's loader");
  return mod_name(r, p);
}

/* "(i64) -> nil" style, or "?" */
static void type_str(const wd_type *t, char *buf, size_t size) {
  if (t) wd_functype_str(t, buf, (unsigned)size);
  else snprintf(buf, size, "?");
}

/* Count i64 in a type's params/results. */
static unsigned count_code(const wd_type *t, uint8_t code) {
  unsigned n = 0;
  if (!t) return 0;
  for (uint32_t i = 0; i < t->nparams; i++) n += t->params[i].code == code;
  for (uint32_t i = 0; i < t->nresults; i++) n += t->results[i].code == code;
  return n;
}

static void explain_memory_shared(const wd_link_result *r, const wd_link_problem *p,
                                  wd_link_explanation *e, const wd_link_facts *facts) {
  const char *side = mod_name(r, p->module);
  const char *main = provider_name(r, p->given.provider == WD_PROVIDER_GLUE ? 0 : p->given.provider);
  bool declared_shared = p->import->u.memory.shared;
  if (declared_shared) {
    setm(&e->summary, N_("%s was built with threads, but the engine (%s) was built without them"), side, main);
    setm(&e->why, N_("Import #%lld of %s, %.*s.%.*s, declares shared memory (\"declared = 1\"): it was built "
           "with threads (-pthread; godot-cpp threads=yes). It was given the memory of %s, which is "
           "not shared (\"imported = 0\"): a build without threads, like Godot's web_dlink_nothreads "
           "templates (Thread Support off, the default since Godot 4.3)."),
         (long long)p->import_index, side, (int)p->import->module.len, p->import->module.ptr,
         (int)p->import->name.len, p->import->name.ptr, main);
    wd_link_fix *f = add_fix(e, WD_FIX_NOTHREADS);
    if (f && facts && facts->alt_build) {
      setm(&f->text, N_("Use the builds without threads that are already there: in the .gdextension set %s "
             "(`webdoctor fix --strategy nothreads` does it)."),
           facts->alt_build);
      setm(&f->tradeoff, N_("deploys on any host, no special headers; the game runs without threads"));
    } else if (f) {
      setm(&f->text, N_("Use a build of %s without threads: godot-cpp `scons platform=web threads=no` makes "
             "lib<name>.web.<target>.wasm32.nothreads.wasm; in the .gdextension point "
             "web.debug.wasm32 / web.release.wasm32 at the .nothreads.wasm files and "
             "web.debug.threads.wasm32 / web.release.threads.wasm32 at the threaded ones "
             "(LimboAI ships these from 1.5.0, godot-sqlite from 4.5)."),
           side);
      setm(&f->tradeoff, N_("deploys on any host, no special headers; the game runs without threads"));
    }
    f = add_fix(e, WD_FIX_THREADS);
    if (f) {
      setm(&f->text, N_("Turn threads on: in the Web export preset enable Variant > Thread Support (the "
             "threaded web_dlink templates), and serve the page cross-origin isolated: "
             "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp "
             "(on itch.io tick \"SharedArrayBuffer support\"; hosts that cannot set headers need a "
             "service worker such as Godot's PWA option)."));
      setm(&f->tradeoff, N_("keeps threads; needs control of the server's headers, and isolation blocks "
             "cross-origin ads and embeds"));
    }
    if (facts && facts->threads_needed && e->nfixes == 2) {
      wd_link_fix t = e->fixes[0];
      e->fixes[0] = e->fixes[1];
      e->fixes[1] = t;
    }
  } else {
    setm(&e->summary, N_("%s was built without threads, but the engine (%s) was built with them"), side, main);
    setm(&e->why, N_("Import #%lld of %s, %.*s.%.*s, declares unshared memory (\"declared = 0\"): it was built "
           "without threads. It was given the memory of %s, which is shared (\"imported = 1\"): a "
           "threaded build, like Godot's web_dlink templates with Thread Support on."),
         (long long)p->import_index, side, (int)p->import->module.len, p->import->module.ptr,
         (int)p->import->name.len, p->import->name.ptr, main);
    wd_link_fix *f = add_fix(e, WD_FIX_THREADS);
    if (f && facts && facts->alt_build) {
      setm(&f->text, N_("Use the builds with threads that are already there: in the .gdextension set %s "
             "(`webdoctor fix --strategy threads` does it), and keep serving the page with "
             "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp."),
           facts->alt_build);
      setm(&f->tradeoff, N_("keeps threads; the page still needs the isolation headers"));
    } else if (f) {
      setm(&f->text, N_("Use a build of %s with threads (godot-cpp threads=yes, the default) under the "
             "web.*.threads.wasm32 keys of the .gdextension, and keep serving the page with "
             "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp."),
           side);
      setm(&f->tradeoff, N_("keeps threads; the page still needs the isolation headers"));
    }
    f = add_fix(e, WD_FIX_NOTHREADS);
    if (f) {
      setm(&f->text, N_("Turn threads off: disable Variant > Thread Support in the Web export preset (the "
             "web_dlink_nothreads templates) so the engine matches this extension; every other "
             "extension then needs its .nothreads build too."));
      setm(&f->tradeoff, N_("deploys on any host without special headers; the game runs without threads"));
    }
    if (facts && facts->prefer_nothreads && e->nfixes == 2) {
      wd_link_fix t = e->fixes[0];
      e->fixes[0] = e->fixes[1];
      e->fixes[1] = t;
    }
  }
}

static void explain_signature(const wd_link_result *r, const wd_link_problem *p,
                              wd_link_explanation *e) {
  const char *side = mod_name(r, p->module);
  const wd_module *m = r->modules[p->module].module;
  const wd_type *want = &m->types[p->import->u.func_type];
  char a[256], b[256];
  type_str(want, a, sizeof a);
  type_str(p->given.functype, b, sizeof b);
  setm(&e->summary, N_("%s imports %.*s with a different signature than %s exports"),
       side, (int)p->import->name.len, p->import->name.ptr, provider_name(r, p->given.provider));
  unsigned w64 = count_code(want, WD_VT_I64), g64 = count_code(p->given.functype, WD_VT_I64);
  if (w64 != g64) {
    setm(&e->why, N_("%s declares %.*s as %s, but %s exports it as %s. The i64 values differ: one of them was "
           "linked with -sWASM_BIGINT (i64 passed as BigInt) and the other without it (i64 split into "
           "two i32 values). Godot 4.3+ templates use WASM_BIGINT; godot-cpp added it in 4.3 "
           "(commit 78498da7)."),
         side, (int)p->import->name.len, p->import->name.ptr, a, provider_name(r, p->given.provider), b);
    wd_link_fix *f = add_fix(e, WD_FIX_REBUILD);
    if (f) {
      setm(&f->text, N_("Rebuild %s with -sWASM_BIGINT (godot-cpp from the 4.3 branch or later does this) and "
             "with the Emscripten version the engine templates use (3.1.62+ for Godot 4.3/4.4)."),
           side);
      setm(&f->tradeoff, N_("none: the extension must match the engine's ABI"));
    }
  } else {
    setm(&e->why, N_("%s declares %.*s as %s, but %s exports it as %s: the two were built from different "
           "headers or with different Emscripten versions or flags (Emscripten's dynamic-linking ABI "
           "is not stable across versions)."),
         side, (int)p->import->name.len, p->import->name.ptr, a, provider_name(r, p->given.provider), b);
    wd_link_fix *f = add_fix(e, WD_FIX_REBUILD);
    if (f) {
      setm(&f->text, N_("Rebuild %s against the same engine version, with the same Emscripten version and "
             "flags as the engine's templates."),
           side);
      setm(&f->tradeoff, N_("none: the extension must match the engine's ABI"));
    }
  }
}

static void explain_import_name(const wd_link_problem *p, char *buf, size_t size) {
  if (p->import)
    setf(buf, size, "%.*s.%.*s", (int)p->import->module.len, p->import->module.ptr,
         (int)p->import->name.len, p->import->name.ptr);
  else
    setf(buf, size, "%.*s", (int)p->symbol.len, p->symbol.ptr);
}

/* An extension built with Emscripten's JavaScript exceptions (-fexceptions
 * without -fwasm-exceptions) in an engine built without them: its calls that
 * may throw go through env.invoke_<signature> helpers (and catches through
 * __cxa_find_matching_catch_<n>). Two outcomes, by the engine's loader: one
 * that makes invoke_* wrappers (exception catching or SUPPORT_LONGJMP=
 * 'emscripten' in the engine, the 3.1.6x templates) runs until the first
 * throw, which the engine's libc++abi cannot catch; one that makes none
 * (Godot 4.5+: SUPPORT_LONGJMP='wasm') leaves lazy stubs, and the first
 * call through one fails. Not the wasm exception ABI (a __cpp_exception tag
 * import, a LinkError at instantiation: WD105). */
static void explain_js_eh(const wd_link_result *r, const wd_link_problem *p, wd_link_explanation *e,
                          const char *who, const char *imp) {
  wd_link_fix *f;
  if (p->fault == WD_FAULT_JS_EH_ABORT) {
    setm(&e->summary, N_("%s was built with JavaScript exceptions (%s), the engine without: it loads, then aborts at its "
           "first exception"),
         who, imp);
    setm(&e->why, N_("-fexceptions without -fwasm-exceptions makes Emscripten's JavaScript exception handling: calls "
           "that may throw go through invoke_* helpers. This engine's loader makes those helpers, but the "
           "engine was linked without exception catching (DISABLE_EXCEPTION_CATCHING), so the first "
           "exception the extension throws aborts the game. Not the wasm exception ABI (-fwasm-exceptions, a "
           "__cpp_exception tag import, WD105)."));
  } else {
    setm(&e->summary, N_("%s was built with JavaScript exceptions (%s), which the engine's loader does not provide: it "
           "loads, then fails at its first call that may throw"),
         who, imp);
    setm(&e->why, N_("-fexceptions without -fwasm-exceptions makes Emscripten's JavaScript exception handling: calls "
           "that may throw go through invoke_* helpers the engine's loader must make. This engine was linked "
           "without JavaScript exceptions and without SUPPORT_LONGJMP=emscripten (Godot 4.5+ templates use "
           "wasm longjmp), so its loader makes none: the first such call fails (\"undefined symbol "
           "'invoke_...'. perhaps a side module was not linked in?\" in builds with ASSERTIONS). Not the "
           "wasm exception ABI (-fwasm-exceptions, a __cpp_exception tag import, WD105)."));
  }
  (void)r;
  if ((f = add_fix(e, WD_FIX_REBUILD))) {
    setm(&f->text, N_("Rebuild %s without exceptions, as Godot's own templates are: godot-cpp `scons platform=web "
           "disable_exceptions=yes`, or -fno-exceptions in your own build flags."),
         who);
    setm(&f->tradeoff, N_("code that catches C++ exceptions must report errors another way"));
  }
  if ((f = add_fix(e, WD_FIX_REBUILD))) {
    setm(&f->text, N_("Keep exceptions with one model on both sides: the extension with -fwasm-exceptions (godot-cpp's "
           "web default when disable_exceptions=no) and an engine template built with -fwasm-exceptions "
           "too, so the engine provides the __cpp_exception tag."));
    setm(&f->tradeoff, N_("a custom engine template; Safari 15.2 or later for wasm exceptions"));
  }
  if ((f = add_fix(e, WD_FIX_REBUILD))) {
    setm(&f->text, N_("Or build a custom engine template with JavaScript exception catching "
           "(-sDISABLE_EXCEPTION_CATCHING=0), whose loader makes the invoke_* helpers %s needs."),
         who);
    setm(&f->tradeoff, N_("a custom engine template; slower calls wherever exceptions may pass"));
  }
}

void wd_link_explain(const wd_link_result *r, const wd_link_problem *p, const wd_link_facts *facts,
                     wd_link_explanation *e) {
  memset(e, 0, sizeof *e);
  const char *who = mod_name(r, p->module);
  char imp[256];
  explain_import_name(p, imp, sizeof imp);
  wd_link_fix *f;
  switch (p->fault) {
  case WD_FAULT_MEMORY_SHARED:
    explain_memory_shared(r, p, e, facts);
    return;
  case WD_FAULT_FUNC_SIGNATURE:
    explain_signature(r, p, e);
    return;
  case WD_FAULT_FUNC_NOT_CALLABLE:
  case WD_FAULT_MEMORY_NOT_MEMORY:
  case WD_FAULT_TABLE_NOT_TABLE:
  case WD_FAULT_GLOBAL_NOT_VALUE:
  case WD_FAULT_TAG_NOT_TAG:
    if (r->modules[p->module].is_main) {
      setm(&e->summary, N_("the JS glue does not provide %s, which %s imports"), imp, who);
      setm(&e->why, N_("%s imports %s, but the import object of the JS glue has no such entry: the glue "
             "(index.js) and the wasm come from different builds, for example a custom template "
             "built with another Emscripten version (godotengine/godot#105369)."),
           who, imp);
      if ((f = add_fix(e, WD_FIX_REEXPORT))) {
        setm(&f->text, N_("Use the .js and .wasm of the same template build (re-export into an empty folder; "
               "build custom templates with the Emscripten version that Godot version supports)."));
        setm(&f->tradeoff, N_("none"));
      }
    } else if (p->fault == WD_FAULT_TAG_NOT_TAG) {
      setm(&e->summary, N_("%s was built with WebAssembly exceptions, but the engine does not provide their tag"), who);
      setm(&e->why, N_("%s imports the exception tag %s (built with -fwasm-exceptions, or Rust's "
             "emscripten-wasm-eh), but the engine exports no such tag: Godot's templates are built "
             "without wasm exceptions, so the loader hands it a plain function. (JavaScript exceptions, "
             "-fexceptions alone, show as invoke_* imports instead: WD122.)"),
           who, imp);
      if ((f = add_fix(e, WD_FIX_REBUILD))) {
        setm(&f->text, N_("Rebuild %s without wasm exceptions (godot-cpp: disable_exceptions=yes, which drops "
               "-fwasm-exceptions; other C++: no -fwasm-exceptions; Rust: "
               "RUSTFLAGS=\"-Z emscripten-wasm-eh=false\"), or use engine templates built with "
               "-fwasm-exceptions too."),
             who);
        setm(&f->tradeoff, N_("C++ exceptions in the extension stop working"));
      }
    } else {
      const char *what = p->given.lazy_stub ? W_("a lazy function stub, since nobody exports that name")
                                            : W_("a value of the wrong kind");
      setm(&e->summary, N_("%s imports %s, which nothing provides as that kind"), who, imp);
      setm(&e->why, N_("%s imports %s as a %s, but the loader gives it %s (from %s)."), who, imp,
           wd_extern_kind_name(p->import->kind), what, provider_name(r, p->given.provider));
      if ((f = add_fix(e, WD_FIX_REBUILD))) {
        setm(&f->text, N_("Build %s and the engine from matching sources, Emscripten version and flags."), who);
        setm(&f->tradeoff, N_("none"));
      }
    }
    return;
  case WD_FAULT_MODULE_NOT_OBJECT:
    setm(&e->summary, N_("%s imports from a module named \"%.*s\" that the loader does not provide"),
         who, (int)p->import->module.len, p->import->module.ptr);
    setm(&e->why, N_("Emscripten's loader provides only env, wasi_snapshot_preview1, GOT.mem and GOT.func; "
           "%s was not built as an Emscripten side module (or by a toolchain with another ABI)."),
         who);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Build %s with Emscripten as a side module (-sSIDE_MODULE=1)."), who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_MEMORY_TOO_SMALL:
  case WD_FAULT_MEMORY_NO_MAX:
  case WD_FAULT_MEMORY_MAX_TOO_LARGE:
  case WD_FAULT_MEMORY_INDEX_TYPE: {
    const wd_limits *d = &p->import->u.memory;
    setm(&e->summary, N_("%s and the engine disagree about the memory's size limits"), who);
    char dmax[32], gmax[32];
    if (d->has_max) setf(dmax, sizeof dmax, "%llu", (unsigned long long)d->max);
    else setf(dmax, sizeof dmax, "%s", W_("none"));
    if (p->given.limits.has_max) setf(gmax, sizeof gmax, "%llu", (unsigned long long)p->given.limits.max);
    else setf(gmax, sizeof gmax, "%s", W_("none"));
    setm(&e->why, N_("%s declares memory of at least %llu pages, maximum %s; the engine's memory has %llu pages, "
           "maximum %s (64 KiB pages). The builds used different INITIAL_MEMORY / MAXIMUM_MEMORY "
           "or memory growth settings."),
         who, (unsigned long long)d->min, dmax, (unsigned long long)p->given.current, gmax);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Rebuild %s with memory settings compatible with the engine's (a side module should "
             "declare no maximum, or one at least the engine's, and an initial size no larger)."),
           who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  }
  case WD_FAULT_TABLE_ELEM_TYPE:
  case WD_FAULT_TABLE_TOO_SMALL:
  case WD_FAULT_TABLE_NO_MAX:
  case WD_FAULT_TABLE_MAX_TOO_LARGE:
    setm(&e->summary, N_("%s and the engine disagree about the function table"), who);
    setm(&e->why, N_("%s declares its table import %s with limits or an element type the engine's table does "
           "not have (the engine's table has %llu entries now)."),
         who, imp, (unsigned long long)p->given.current);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Rebuild %s with the engine's Emscripten version and flags."), who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_GLOBAL_NEEDS_OBJECT:
  case WD_FAULT_GLOBAL_MUTABILITY:
  case WD_FAULT_GLOBAL_TYPE:
    setm(&e->summary, N_("%s expects the global %s to have another type or mutability"), who, imp);
    setm(&e->why, N_("%s declares %s as %s%s; %s gives it something else. The modules were built with "
           "different Emscripten versions or flags (for example wasm64 against wasm32)."),
         who, imp, p->import->u.global.is_mutable ? "mut " : "",
         p->import->u.global.type.code == WD_VT_I64 ? "i64" : p->import->u.global.type.code == WD_VT_I32 ? "i32" : "?",
         provider_name(r, p->given.provider));
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Rebuild %s with the engine's Emscripten version and flags."), who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_TAG_TYPE:
    setm(&e->summary, N_("%s expects the tag %s with another signature"), who, imp);
    setm(&e->why, N_("The exception tag's type differs between %s and %s."), who,
         provider_name(r, p->given.provider));
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Rebuild %s with the engine's Emscripten version and flags."), who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_NO_DYLINK:
    setm(&e->summary, N_("%s is not a side module"), who);
    setm(&e->why, N_("Emscripten's loader reads the dylink.0 section, which must be the first section of a side "
           "module; %s does not start with one, so it was not built with -sSIDE_MODULE (it may be a "
           "static library, a main module, or a file of another platform)."),
         who);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Point the .gdextension's web entries at the extension's web side-module build "
             "(a .wasm built with -sSIDE_MODULE=1, e.g. godot-cpp platform=web)."));
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_TABLE_GROW:
    setm(&e->summary, N_("the engine's function table cannot grow to make room for %s"), who);
    setm(&e->why, N_("Before instantiating %s the loader grows the engine's table by %llu entries (its dylink.0 "
           "table size), but the table has %llu entries and a maximum of %llu."),
         who, (unsigned long long)p->amount, (unsigned long long)p->given.current,
         (unsigned long long)p->given.limits.max);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Build the engine as a real Emscripten main module (-sMAIN_MODULE, which imports a "
             "growable table), or with -sALLOW_TABLE_GROWTH."));
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_NO_LOADER: {
    const char *engine = mod_name(r, 0);
    setm(&e->summary, N_("the engine (%s) was not built for dynamic linking, so it cannot load %s"), engine, who);
    setm(&e->why, N_("%s has no dylink.0 section: it was built without -sMAIN_MODULE, like Godot's standard web "
           "templates (Extensions Support off), and its JS glue has no loader for side modules. Godot "
           "refuses to start when the export lists GDExtensions; C dlopen() aborts."),
         engine);
    if ((f = add_fix(e, WD_FIX_REEXPORT))) {
      setm(&f->text, N_("Turn on Variant > Extensions Support in the Web export preset (the web_dlink templates, "
             "whose engine is a main module that shares its memory and table with GDExtensions) and "
             "export again; custom templates need dlink_enabled=yes."));
      setm(&f->tradeoff, N_("a larger engine download"));
    }
    return;
  }
  case WD_FAULT_NEEDED_MISSING:
    setm(&e->summary, N_("%s needs %.*s, which is not there"), who,
         (int)p->symbol.len, p->symbol.ptr);
    setm(&e->why, N_("The dylink.0 section of %s lists %.*s as NEEDED; the loader loads it first and the request "
           "fails, so %s is never instantiated."),
         who, (int)p->symbol.len, p->symbol.ptr, who);
    if ((f = add_fix(e, WD_FIX_ADD_FILE))) {
      setm(&f->text, N_("Ship %.*s next to %s (and list it where the export lists its libraries)."),
           (int)p->symbol.len, p->symbol.ptr, who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_UNDEFINED_SYMBOL:
    setm(&e->summary, N_("no module defines %.*s, which %s uses"),
         (int)p->symbol.len, p->symbol.ptr, provider_name(r, p->given.provider));
    setm(&e->why, N_("%s reaches %.*s through the GOT (a data symbol or a function address), and neither the "
           "engine nor any loaded library exports it. Right after instantiation the loader's "
           "reportUndefinedSymbols() throws."),
         provider_name(r, p->given.provider), (int)p->symbol.len, p->symbol.ptr);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Link what defines %.*s into the extension, or load the library that exports it first; "
             "if the engine should export it, the engine build must keep it (EXPORTED_FUNCTIONS, "
             "EMCC_FORCE_STDLIBS=1)."),
           (int)p->symbol.len, p->symbol.ptr);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_LAZY_STUB:
    if (wd_link_is_js_eh_import(p->import)) {
      explain_js_eh(r, p, e, who, imp);
      return;
    }
    setm(&e->summary, N_("%s calls %s, which no module provides: it loads, then fails at the first call"),
         who, imp);
    setm(&e->why, N_("Emscripten's loader gives every unknown function import a JS stub that looks the symbol up "
           "when first called, so there is no LinkError. Nothing exports %.*s, so the first call "
           "throws a TypeError (or, in builds with ASSERTIONS, aborts with \"undefined symbol\")."),
         (int)p->import->name.len, p->import->name.ptr);
    if ((f = add_fix(e, WD_FIX_REBUILD))) {
      setm(&f->text, N_("Make sure the engine exports %.*s (an engine built with the same Godot version and "
             "EMCC_FORCE_STDLIBS for system functions), or link it into %s."),
           (int)p->import->name.len, p->import->name.ptr, who);
      setm(&f->tradeoff, N_("none"));
    }
    return;
  case WD_FAULT_JS_EH_ABORT:
    explain_js_eh(r, p, e, who, imp);
    return;
  case WD_FAULT_NONE:
  case WD_FAULT_COUNT:
    break;
  }
}
