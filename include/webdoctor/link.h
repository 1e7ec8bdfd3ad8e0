/*
 * webdoctor: the instantiation and dynamic-linking model.
 *
 * Given an Emscripten main module, what its JS glue provides, and side
 * modules in load order, wd_link_run() walks every import the way
 * Emscripten's loader (library_dylink.js) builds the import object and the
 * way the WebAssembly JS API checks it, and records every problem:
 *
 *   - loader problems before instantiation (no dylink section first, the
 *     table cannot grow by the side's table size, a NEEDED library missing);
 *   - import problems the engine throws as LinkError/TypeError (kind,
 *     memory shared flag and limits, table limits and element type, global
 *     type and mutability, function signature, tag type);
 *   - loader problems after instantiation (a data symbol nobody defines);
 *   - run-time problems: a function nobody provides gets a lazy JS stub, so
 *     the module loads and fails at the first call.
 *
 * Which problem an engine reports first, and in which words, is the job of
 * the engine message tables (wd_link_engine_*), one per engine version,
 * each tested against that engine running for real.
 */
#ifndef WEBDOCTOR_LINK_H
#define WEBDOCTOR_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/error.h"
#include "webdoctor/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the JS glue ------------------------------------------------------ */

/* What Emscripten's JS glue (index.js) says about the main module. */
typedef struct wd_glue {
  bool found_imports;     /* the import object literal was found */
  uint32_t nnames;
  char **names;           /* names of the main module's imports it provides, sorted */
  bool threads;           /* the glue was built with pthreads */
  char emscripten_version[32]; /* when the glue names it, else "" */
  /* the loader version its text shows (wd_loader_version), or -1; and
   * which text told (a short phrase of the glue, verbatim) */
  int loader;
  char loader_evidence[64];
  bool has_loader;        /* it carries Emscripten's dynamic loader (loadWebAssemblyModule) */
  bool js_eh;             /* its loader catches JS exceptions of side modules (not DISABLE_EXCEPTION_CATCHING) */
  bool invoke_wrappers;   /* its loader makes invoke_* wrappers for side modules on demand
                             (!DISABLE_EXCEPTION_CATCHING || SUPPORT_LONGJMP == 'emscripten') */
  bool abort_hint;        /* built without ASSERTIONS: abort() says "Build with -sASSERTIONS for more info." */
  void *internal;
} wd_glue;

/* Parse a glue file's text. Fails only on I/O or memory errors; a glue
 * without a recognisable import object gives found_imports = false. */
wd_status wd_glue_parse(const char *text, size_t len, wd_glue **out, wd_error *err);
wd_status wd_glue_open(const char *path, wd_glue **out, wd_error *err);
bool wd_glue_provides(const wd_glue *g, const char *name, size_t len);
void wd_glue_free(wd_glue *g);

/* ---- the loader: which Emscripten wrote it ----------------------------- */

/* The loaders modelled, each read from Emscripten's source at that tag
 * (src/library_dylink.js, from 4.0 src/lib/libdylink.js; src/preamble.js;
 * src/library.js or src/lib/libcore.js; tools/link.py). Other releases are
 * modelled as the nearest of these (wd_loader_nearest). */
typedef enum wd_loader_version {
  WD_LOADER_3_1_6 = 0,   /* Debian 12's emscripten */
  WD_LOADER_3_1_64,      /* Godot 4.3 and 4.4 templates, most GDExtensions */
  WD_LOADER_4_0_10,      /* Godot 4.5 */
  WD_LOADER_4_0_20,      /* Godot 4.6 and 4.7 */
  WD_LOADER_COUNT
} wd_loader_version;

typedef struct wd_loader_rules {
  wd_loader_version id;
  const char *version;        /* "3.1.64" */
  bool legacy_dylink;         /* getDylinkMetadata accepts the old "dylink" section */
  bool weak_optional;         /* reportUndefinedSymbols skips undefined weak GOT entries */
  bool stack_globals;         /* the import object holds __stack_high, __stack_low, __global_base */
  bool keeps_objects;         /* relocateExports keeps Memory, Table and Global objects */
  bool main_static;           /* MAIN_MODULE is not relocatable: the main defines and exports
                                 memory (unless threads), table and __stack_pointer */
  bool stub_spread;           /* lazy stubs call resolved(...args), not resolved.apply() */
  char bad_export_quote;      /* quote around the symbol in "bad export type for ..." */
  bool bad_export_value;      /* ... followed by " (value)" */
} wd_loader_rules;

const wd_loader_rules *wd_loader_get(wd_loader_version v);
/* The modelled loader nearest to Emscripten release "X.Y.Z"; false when
 * the text is not a version. */
bool wd_loader_nearest(const char *version, wd_loader_version *out);
/* The Emscripten release a module's producers section names ("3.1.64"),
 * or "" (false) when it names none. */
bool wd_link_emscripten_version(const wd_module *m, char *buf, size_t size);

/* Which loader to model and why. */
typedef enum wd_loader_source {
  WD_LOADER_FROM_USER = 0,      /* given (--emscripten) */
  WD_LOADER_FROM_PRODUCERS,     /* a module's producers section names the release */
  WD_LOADER_FROM_GLUE,          /* the glue's text */
  WD_LOADER_FROM_SHAPE,         /* the main module's shape (a non-relocatable main module) */
  WD_LOADER_GUESSED             /* nothing told: the nearest known version, said in a note */
} wd_loader_source;

typedef struct wd_loader_choice {
  wd_loader_version version;
  wd_loader_source source;
  char evidence[96];            /* "producers of index.wasm: Emscripten 3.1.64", glue text, ... */
} wd_loader_choice;

/* ---- input ------------------------------------------------------------ */

typedef enum wd_link_call {
  WD_CALL_INSTANTIATE = 0, /* WebAssembly.instantiate(bytes): Godot's loadDynamicLibrary(lib, {loadAsync: true}) */
  WD_CALL_INSTANCE = 1     /* new WebAssembly.Instance(): C dlopen() */
} wd_link_call;

typedef enum wd_side_mode {
  WD_SIDE_EXTENSION = 0,   /* loadDynamicLibrary(lib, {loadAsync}): local symbols, undefined data symbols are errors (a GDExtension) */
  WD_SIDE_PRELOAD = 1      /* Module.dynamicLibraries: global symbols, undefined symbols allowed (Godot's index.side.wasm) */
} wd_side_mode;

typedef struct wd_link_side {
  const wd_module *module;
  const char *name;        /* the library name NEEDED entries refer to (basename) */
  wd_side_mode mode;
} wd_link_side;

typedef struct wd_link_input {
  const wd_module *main;
  const char *main_name;
  const wd_glue *glue;     /* NULL: assume the glue provides every main import */
  const wd_link_side *sides;
  uint32_t nsides;
  wd_link_call call;
  /* optional (zero: detect): the loader version to model */
  bool loader_given;
  wd_loader_version loader;
  /* a glue was given but its import object could not be read: its name */
  const char *glue_unread;
} wd_link_input;

/* ---- output ----------------------------------------------------------- */

typedef enum wd_link_fault {
  WD_FAULT_NONE = 0,
  /* the import object: what the JS API checks, import by import */
  WD_FAULT_MODULE_NOT_OBJECT,   /* imports[module] is not an object (TypeError) */
  WD_FAULT_FUNC_NOT_CALLABLE,
  WD_FAULT_FUNC_SIGNATURE,      /* a wasm function of another type */
  WD_FAULT_TABLE_NOT_TABLE,
  WD_FAULT_TABLE_ELEM_TYPE,
  WD_FAULT_TABLE_TOO_SMALL,
  WD_FAULT_TABLE_NO_MAX,
  WD_FAULT_TABLE_MAX_TOO_LARGE,
  WD_FAULT_MEMORY_NOT_MEMORY,
  WD_FAULT_MEMORY_INDEX_TYPE,
  WD_FAULT_MEMORY_TOO_SMALL,
  WD_FAULT_MEMORY_NO_MAX,
  WD_FAULT_MEMORY_MAX_TOO_LARGE,
  WD_FAULT_MEMORY_SHARED,
  WD_FAULT_GLOBAL_NOT_VALUE,    /* not a number/BigInt/Global (e.g. a function) */
  WD_FAULT_GLOBAL_NEEDS_OBJECT, /* a mutable global import given a plain number */
  WD_FAULT_GLOBAL_MUTABILITY,
  WD_FAULT_GLOBAL_TYPE,
  WD_FAULT_TAG_NOT_TAG,
  WD_FAULT_TAG_TYPE,
  /* Emscripten's loader, before instantiation */
  WD_FAULT_NO_DYLINK,           /* "need the dylink section to be first" */
  WD_FAULT_TABLE_GROW,          /* wasmTable.grow(tableSize) throws RangeError */
  WD_FAULT_NEEDED_MISSING,      /* a dylink.0 NEEDED library was not given */
  WD_FAULT_NO_LOADER,           /* the main module was not built for dynamic linking:
                                   its glue has no loader (no dylink.0, not MAIN_MODULE) */
  /* Emscripten's loader, after instantiation */
  WD_FAULT_UNDEFINED_SYMBOL,    /* a GOT entry nobody defines: Error "bad export type" */
  /* at run time */
  WD_FAULT_LAZY_STUB,           /* a function nobody provides: fails at its first call */
  WD_FAULT_JS_EH_ABORT,         /* JS exceptions (invoke_*) in an engine built without them:
                                   the first throw aborts */
  WD_FAULT_COUNT
} wd_link_fault;

typedef enum wd_link_stage {
  WD_STAGE_BEFORE = 0,          /* loader, before instantiation */
  WD_STAGE_IMPORT = 1,          /* the engine checking the import object */
  WD_STAGE_AFTER = 2,           /* loader, right after instantiation */
  WD_STAGE_RUNTIME = 3          /* later, at the first call */
} wd_link_stage;

/* What the loader handed to an import. */
typedef enum wd_given_kind {
  WD_GIVEN_UNDEFINED = 0,
  WD_GIVEN_JS_FUNCTION,         /* glue JS function or a lazy stub */
  WD_GIVEN_WASM_FUNCTION,       /* an exported wasm function (type-checked) */
  WD_GIVEN_NUMBER,              /* a plain JS number */
  WD_GIVEN_GLOBAL,              /* a WebAssembly.Global */
  WD_GIVEN_MEMORY,
  WD_GIVEN_TABLE,
  WD_GIVEN_TAG
} wd_given_kind;

#define WD_PROVIDER_GLUE UINT32_MAX        /* the JS glue */
#define WD_PROVIDER_LOADER (UINT32_MAX - 1) /* the loader itself (GOT, bases, stubs) */

typedef struct wd_given {
  uint8_t kind;                 /* wd_given_kind */
  uint32_t provider;            /* load index of the module that exports it, or WD_PROVIDER_* */
  const wd_type *functype;      /* WASM_FUNCTION, TAG: the provider's type */
  wd_globaltype global;         /* GLOBAL */
  wd_limits limits;             /* MEMORY/TABLE: the object's limits */
  uint64_t current;             /* MEMORY: current pages; TABLE: current length */
  wd_valtype elem;              /* TABLE element type */
  bool lazy_stub;               /* JS_FUNCTION made by the loader's proxy */
} wd_given;

typedef struct wd_link_problem {
  wd_link_fault fault;
  uint8_t stage;                /* wd_link_stage */
  uint32_t module;              /* load index: 0 = main, 1.. = sides in load order */
  int64_t import_index;         /* index in the module's import section, or -1 */
  const wd_import *import;      /* the declaring import, or NULL */
  wd_given given;
  wd_str symbol;                /* NEEDED name, undefined symbol... */
  uint64_t amount;              /* TABLE_GROW: entries requested */
} wd_link_problem;

typedef struct wd_link_loaded {
  const wd_module *module;
  const char *name;
  bool is_main;
  bool loads;                   /* no fatal problem in this module */
  bool needed_by_other;         /* loaded because a NEEDED entry named it */
  wd_side_mode mode;            /* how a side module is loaded (not for the main) */
  uint64_t table_base;          /* where its table slots start */
} wd_link_loaded;

/* What the model could not tell: said as a note, never as an error. */
typedef enum wd_link_note_kind {
  WD_NOTE_LOADER_GUESSED = 0,   /* no evidence of the Emscripten version: nearest known modelled */
  WD_NOTE_GLUE_UNREAD,          /* the glue's import object could not be read: assumed complete */
  WD_NOTE_IMPORT_MODULE_ASSUMED,/* the main imports from a module the loader does not name
                                   (minified "a"): assumed the glue provides it */
  WD_NOTE_GOT_UNKNOWN,          /* a GOT entry of the main module no module defines: the glue
                                   may define it (a JS library symbol) */
  WD_NOTE_WEAK_VERSION,         /* an undefined weak symbol: fatal only with the 3.1.6 loader */
  WD_NOTE_COUNT
} wd_link_note_kind;

typedef struct wd_link_note {
  wd_link_note_kind kind;
  uint32_t module;              /* load index */
  wd_str symbol;                /* the name concerned (an import, a module name), or empty */
  uint32_t count;               /* how many names of this kind (the first is `symbol`) */
} wd_link_note;

typedef struct wd_link_result {
  bool loads;                   /* every module instantiates */
  wd_loader_choice loader;      /* the loader modelled, and from what evidence */
  uint32_t nnotes;
  wd_link_note *notes;
  uint32_t nmodules;
  wd_link_loaded *modules;      /* load order: main first */
  uint32_t nproblems;
  wd_link_problem *problems;    /* per module in load order, then import order */
  bool assumed_glue;            /* no glue given: assumed it provides every main import */
  bool abort_hint;              /* the glue's abort() adds "Build with -sASSERTIONS for more info." */
  void *internal;
} wd_link_result;

wd_status wd_link_run(const wd_link_input *in, wd_link_result **out, wd_error *err);
void wd_link_result_free(wd_link_result *r);

/* The loader to model for these modules and glue: the release a producers
 * section names, else what the glue's text shows, else the main module's
 * shape, else 3.1.64 (WD_LOADER_GUESSED). */
void wd_link_detect_loader(const wd_link_input *in, wd_loader_choice *out);

/* ---- versions ----------------------------------------------------------- */

/* The Emscripten release of Godot's official web templates for "4.x[.y]"
 * (a leading "Godot " is skipped)
 * (src/link/versions.c has the sources), or NULL for versions not known. */
const char *wd_godot_emscripten(const char *godot_version);

typedef enum wd_emscripten_risk {
  WD_MIX_NONE = 0,          /* the same release */
  WD_MIX_UNKNOWN,           /* different releases; nothing known to break (a note) */
  WD_MIX_THREADS_TABLE      /* threads + dynamic linking with 3.1.40-3.1.61:
                               RangeError: WebAssembly.Table.get(): invalid index
                               (godotengine/godot#82865) */
} wd_emscripten_risk;

/* What is known about an engine built by Emscripten `engine` loading an
 * extension built by `extension` ("X.Y.Z" each). */
wd_emscripten_risk wd_emscripten_mix_risk(const char *engine, const char *extension, bool threads);

/* ---- opening the files of a link ------------------------------------- */

/* A main module or a side module: a side module has a dylink.0 (or dylink)
 * section and no memory or table of its own that it exports; a main module
 * is everything else (with dylink.0: MAIN_MODULE; without: a static build). */
bool wd_link_is_side_module(const wd_module *m);

typedef struct wd_link_file {
  const char *path;
  bool preload;            /* Module.dynamicLibraries (global symbols) */
} wd_link_file;

/* The modules of a link, opened from files: the main module found among
 * them (it need not come first), the side modules in load order, and the
 * dylink.0 NEEDED libraries not given, found next to the library that
 * needs them (as the loader requests them by name). */
typedef struct wd_link_set {
  const wd_module *main;
  const char *main_path;
  wd_link_side *sides;
  const char **side_paths;
  uint32_t nsides;
  /* the first file was a side module and main_path was given later:
   * the file named first (for the message) */
  const char *moved_first;
  bool two_mains;          /* more than one file looks like a main module */
  void *internal;
} wd_link_set;

/* Open `files` (command-line order). A file named *.side.wasm and files with
 * `preload` load like Module.dynamicLibraries; the others as Godot loads
 * GDExtensions. Fails on unreadable or malformed files (naming them), or
 * when no file is a main module. */
wd_status wd_link_set_open(const wd_link_file *files, uint32_t n, wd_link_set **out, wd_error *err);
void wd_link_set_free(wd_link_set *s);

/* A problem that stops the load (everything before WD_STAGE_RUNTIME). */
bool wd_link_fault_is_fatal(wd_link_fault f);

/* Whether `im` is one of the helpers Emscripten's JavaScript exceptions
 * make a side module import (env.invoke_<sig>, env.__cxa_find_matching_catch_<n>):
 * a module built with -fexceptions without -fwasm-exceptions. */
bool wd_link_is_js_eh_import(const wd_import *im);
/* Stable key for JSON ("memory-shared", ...). */
const char *wd_link_fault_key(wd_link_fault f);

/* ---- engines ----------------------------------------------------------- */

typedef enum wd_engine {
  WD_ENGINE_CHROME = 0,         /* V8 as in current Chromium */
  WD_ENGINE_NODE20,             /* V8 11.3 as in Node 20 */
  WD_ENGINE_FIREFOX,            /* SpiderMonkey as in Firefox ESR */
  WD_ENGINE_SAFARI,             /* JavaScriptCore */
  WD_ENGINE_COUNT
} wd_engine;

typedef struct wd_engine_info {
  wd_engine id;
  const char *key;              /* "chrome", "node20", "firefox", "safari" */
  const char *name;             /* "Chrome 156 (V8)" */
  const char *tested_with;      /* the exact engine build the table was checked against */
} wd_engine_info;

const wd_engine_info *wd_engine_get(wd_engine e);
/* Parse "v8", "chrome", "node", "firefox", "safari", "jsc"...; false if unknown. */
bool wd_engine_parse(const char *s, wd_engine *out);

/* The problem engine `e` reports first for load index `module` (its check
 * order may differ from import order), or NULL when the module loads. */
const wd_link_problem *wd_link_first_problem(const wd_link_result *r, uint32_t module, wd_engine e);

/* The exact text `e` prints for a problem: e.constructor.name + ": " +
 * e.message, as the console shows after "Uncaught (in promise) ".
 * Returns the length (truncated to size-1). */
size_t wd_link_engine_message(const wd_link_result *r, const wd_link_problem *p, wd_engine e,
                              wd_link_call call, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
