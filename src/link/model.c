/*
 * The dynamic-linking model: what Emscripten's loader hands to each import
 * of each module, and what the WebAssembly JS API then checks.
 *
 * Modelled on Emscripten's src/library_dylink.js and the main module glue
 * (createWasm / receiveInstance / preloadDylibs) as Debian's emscripten
 * 3.1.6 generates them; the loader of the 3.1.6x releases Godot 4.3/4.4
 * builds with behaves the same for everything modelled here except weak
 * symbols (docs/link-model.md says what is modelled and what is not):
 *
 *   main module   imports come from the glue's import object (asmLibraryArg
 *                 or wasmImports); GOT.mem / GOT.func give mutable i32
 *                 WebAssembly.Global objects. After instantiation its
 *                 exports, relocated (globals become plain numbers; memory,
 *                 table and tag objects become undefined), join the import
 *                 object unless a name is already there.
 *   side module   the binary must start with the dylink.0 (or dylink)
 *                 section; NEEDED libraries load first; the main table grows
 *                 by the side's table size; env.* and wasi_snapshot_preview1.*
 *                 resolve as __memory_base/__table_base (numbers), else the
 *                 import object's entry, else a lazy JS stub that looks the
 *                 symbol up at its first call; GOT.* as for the main module.
 *                 Preloaded libraries (Module.dynamicLibraries) are global
 *                 and may leave symbols undefined until all are loaded;
 *                 libraries loaded later (Godot's GDExtensions) are local
 *                 and their undefined GOT entries throw right after
 *                 instantiation.
 */
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/i18n.h"
#include "link/symtab.h"
#include "webdoctor/link.h"

typedef struct link_state {
  const wd_link_input *in;
  wd_link_result *res;
  wd_arena *arena;
  wd_error *err;
  wdi_symtab lib;      /* the import object (asmLibraryArg): name -> value */
  wdi_symtab got;      /* GOT entries */
  wdi_symtab exported; /* names exported by instantiated modules (updateGOT) */
  uint32_t pcap, mcap;
  /* the table side modules grow (wasmTable) */
  bool have_table;
  wd_limits table_limits;
  uint64_t table_len;
  /* load state of each input side */
  uint8_t *side_state; /* 0 not loaded, 1 loading, 2 done */
  /* lazy stubs to resolve at the end: problem indexes */
  uint32_t *stubs;
  uint32_t nstubs, stubcap;
  const wd_loader_rules *rules; /* the loader modelled */
  bool guessed;                 /* ...without evidence of the version */
  uint32_t ncap;                /* notes */
} link_state;

enum { SIDE_NEW = 0, SIDE_LOADING = 1, SIDE_DONE = 2 };

static const char *const internal_syms[] = {
  "__cpp_exception", "__c_longjmp", "__wasm_apply_data_relocs", "__dso_handle",
  "__tls_size", "__tls_align", "__set_stack_limits", "emscripten_tls_init",
  "__wasm_init_tls", "__wasm_call_ctors",
};

static bool is_internal_sym(wd_str s) {
  for (size_t i = 0; i < sizeof internal_syms / sizeof *internal_syms; i++)
    if (wd_str_eq(s, internal_syms[i])) return true;
  return false;
}

static wd_status oom(link_state *st) {
  return wd_error_set(st->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
}

/* ---- results ------------------------------------------------------------ */

static wd_link_problem *add_problem(link_state *st, wd_link_fault f, wd_link_stage stage,
                                    uint32_t module, const wd_module *m, const wd_import *im) {
  wd_link_result *r = st->res;
  if (r->nproblems == st->pcap) {
    uint32_t cap = st->pcap ? st->pcap * 2 : 16;
    wd_link_problem *n = wd_arena_array(st->arena, cap, sizeof *n);
    if (!n) return NULL;
    if (r->nproblems) memcpy(n, r->problems, r->nproblems * sizeof *n);
    r->problems = n;
    st->pcap = cap;
  }
  wd_link_problem *p = &r->problems[r->nproblems++];
  memset(p, 0, sizeof *p);
  p->fault = f;
  p->stage = (uint8_t)stage;
  p->module = module;
  p->import = im;
  p->import_index = im ? (int64_t)(im - m->imports) : -1;
  return p;
}

/* A note (what the model cannot tell); one per kind and module, counting names. */
static wd_status add_note(link_state *st, wd_link_note_kind kind, uint32_t module, wd_str symbol) {
  wd_link_result *r = st->res;
  for (uint32_t i = 0; i < r->nnotes; i++)
    if (r->notes[i].kind == kind && r->notes[i].module == module) {
      if (!wd_str_eqs(r->notes[i].symbol, symbol)) r->notes[i].count++;
      return WD_OK;
    }
  if (r->nnotes == st->ncap) {
    uint32_t cap = st->ncap ? st->ncap * 2 : 8;
    wd_link_note *n = wd_arena_array(st->arena, cap, sizeof *n);
    if (!n) return oom(st);
    if (r->nnotes) memcpy(n, r->notes, r->nnotes * sizeof *n);
    r->notes = n;
    st->ncap = cap;
  }
  wd_link_note *n = &r->notes[r->nnotes++];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  n->module = module;
  n->symbol = symbol;
  n->count = 1;
  return WD_OK;
}

static uint32_t add_module(link_state *st, const wd_module *m, const char *name, bool is_main) {
  wd_link_result *r = st->res;
  if (r->nmodules == st->mcap) {
    uint32_t cap = st->mcap ? st->mcap * 2 : 8;
    wd_link_loaded *n = wd_arena_array(st->arena, cap, sizeof *n);
    if (!n) return UINT32_MAX;
    if (r->nmodules) memcpy(n, r->modules, r->nmodules * sizeof *n);
    r->modules = n;
    st->mcap = cap;
  }
  wd_link_loaded *l = &r->modules[r->nmodules];
  memset(l, 0, sizeof *l);
  l->module = m;
  l->name = name;
  l->is_main = is_main;
  l->loads = true;
  return r->nmodules++;
}

/* ---- type equality ------------------------------------------------------ */

static bool valtype_eq(wd_valtype a, wd_valtype b) {
  if (a.code != b.code) return false;
  if (a.code == WD_VT_REF || a.code == WD_VT_REF_NULL)
    return a.heap == b.heap || (a.heap >= 0 && b.heap >= 0); /* concrete types: not compared across modules */
  return true;
}

static bool functype_eq(const wd_type *a, const wd_type *b) {
  if (!a || !b) return false;
  if (a->kind != WD_COMP_FUNC || b->kind != WD_COMP_FUNC) return false;
  if (a->nparams != b->nparams || a->nresults != b->nresults) return false;
  for (uint32_t i = 0; i < a->nparams; i++)
    if (!valtype_eq(a->params[i], b->params[i])) return false;
  for (uint32_t i = 0; i < a->nresults; i++)
    if (!valtype_eq(a->results[i], b->results[i])) return false;
  return true;
}

static bool is_ref_code(uint8_t c) {
  return !(c == WD_VT_I32 || c == WD_VT_I64 || c == WD_VT_F32 || c == WD_VT_F64 || c == WD_VT_V128);
}

/* ---- the JS API checks of one import ----------------------------------- */

/* Check `im` (declared by module `m`) against `g`. Returns WD_FAULT_NONE or
 * the fault, in the order the checks are made (V8's ProcessImports; every
 * engine checks the same properties). */
static wd_link_fault check_import(const wd_module *m, const wd_import *im, const wd_given *g) {
  switch (im->kind) {
  case WD_EXTERN_FUNC:
    if (g->kind == WD_GIVEN_JS_FUNCTION) return WD_FAULT_NONE;
    if (g->kind != WD_GIVEN_WASM_FUNCTION) return WD_FAULT_FUNC_NOT_CALLABLE;
    return functype_eq(&m->types[im->u.func_type], g->functype) ? WD_FAULT_NONE
                                                                : WD_FAULT_FUNC_SIGNATURE;
  case WD_EXTERN_TABLE: {
    const wd_limits *d = &im->u.table.limits;
    if (g->kind != WD_GIVEN_TABLE) return WD_FAULT_TABLE_NOT_TABLE;
    if (g->current < d->min) return WD_FAULT_TABLE_TOO_SMALL;
    if (d->has_max) {
      if (!g->limits.has_max) return WD_FAULT_TABLE_NO_MAX;
      if (g->limits.max > d->max) return WD_FAULT_TABLE_MAX_TOO_LARGE;
    }
    if (!valtype_eq(g->elem, im->u.table.elem)) return WD_FAULT_TABLE_ELEM_TYPE;
    return WD_FAULT_NONE;
  }
  case WD_EXTERN_MEMORY: {
    const wd_limits *d = &im->u.memory;
    if (g->kind != WD_GIVEN_MEMORY) return WD_FAULT_MEMORY_NOT_MEMORY;
    if (g->limits.is64 != d->is64) return WD_FAULT_MEMORY_INDEX_TYPE;
    if (g->current < d->min) return WD_FAULT_MEMORY_TOO_SMALL;
    if (d->has_max) {
      if (!g->limits.has_max) return WD_FAULT_MEMORY_NO_MAX;
      if (g->limits.max > d->max) return WD_FAULT_MEMORY_MAX_TOO_LARGE;
    }
    if (g->limits.shared != d->shared) return WD_FAULT_MEMORY_SHARED;
    return WD_FAULT_NONE;
  }
  case WD_EXTERN_GLOBAL: {
    const wd_globaltype *d = &im->u.global;
    if (g->kind == WD_GIVEN_GLOBAL) {
      if (g->global.is_mutable != d->is_mutable) return WD_FAULT_GLOBAL_MUTABILITY;
      if (!valtype_eq(g->global.type, d->type)) return WD_FAULT_GLOBAL_TYPE;
      return WD_FAULT_NONE;
    }
    if (d->is_mutable) return WD_FAULT_GLOBAL_NEEDS_OBJECT;
    if (g->kind == WD_GIVEN_NUMBER) {
      uint8_t c = d->type.code;
      if (c == WD_VT_I32 || c == WD_VT_F32 || c == WD_VT_F64) return WD_FAULT_NONE;
      return WD_FAULT_GLOBAL_NOT_VALUE; /* i64 needs a BigInt; refs and v128 a Global */
    }
    if (g->kind == WD_GIVEN_WASM_FUNCTION && is_ref_code(d->type.code) &&
        (d->type.code == WD_VT_FUNCREF || d->type.code == WD_VT_REF_NULL || d->type.code == WD_VT_REF))
      return WD_FAULT_NONE;
    return WD_FAULT_GLOBAL_NOT_VALUE;
  }
  case WD_EXTERN_TAG:
    if (g->kind != WD_GIVEN_TAG) return WD_FAULT_TAG_NOT_TAG;
    return functype_eq(&m->types[im->u.tag.type], g->functype) ? WD_FAULT_NONE : WD_FAULT_TAG_TYPE;
  }
  return WD_FAULT_NONE;
}

/* What a declaration looks like when the glue provides exactly it. */
static wd_given given_as_declared(const wd_module *m, const wd_import *im) {
  wd_given g;
  memset(&g, 0, sizeof g);
  g.provider = WD_PROVIDER_GLUE;
  switch (im->kind) {
  case WD_EXTERN_FUNC: g.kind = WD_GIVEN_JS_FUNCTION; break;
  case WD_EXTERN_TABLE:
    g.kind = WD_GIVEN_TABLE;
    g.elem = im->u.table.elem;
    g.limits = im->u.table.limits;
    g.current = im->u.table.limits.min;
    break;
  case WD_EXTERN_MEMORY:
    g.kind = WD_GIVEN_MEMORY;
    g.limits = im->u.memory;
    g.current = im->u.memory.min;
    break;
  case WD_EXTERN_GLOBAL:
    g.kind = WD_GIVEN_GLOBAL;
    g.global = im->u.global;
    break;
  case WD_EXTERN_TAG:
    g.kind = WD_GIVEN_TAG;
    g.functype = &m->types[im->u.tag.type];
    break;
  }
  return g;
}

static wd_given got_global(void) {
  wd_given g;
  memset(&g, 0, sizeof g);
  g.kind = WD_GIVEN_GLOBAL;
  g.provider = WD_PROVIDER_LOADER;
  g.global.type.code = WD_VT_I32;
  g.global.is_mutable = true;
  return g;
}

static bool is_env_module(wd_str mod) {
  return wd_str_eq(mod, "env") || wd_str_eq(mod, "wasi_snapshot_preview1");
}

static bool is_got_module(wd_str mod) {
  return wd_str_eq(mod, "GOT.mem") || wd_str_eq(mod, "GOT.func");
}

/* Record a GOT entry created by module `owner`'s import. */
static wd_status touch_got(link_state *st, wd_str name, uint32_t owner, bool weak) {
  bool ins;
  wdi_sym *s = wdi_symtab_put(&st->got, name, &ins);
  if (!s) return oom(st);
  if (ins) {
    s->owner = owner;
    s->weak = weak;
  } else if (!weak) {
    s->weak = false;
  }
  return WD_OK;
}

static bool dylink_import_weak(const wd_module *m, const wd_import *im) {
  for (uint32_t i = 0; i < m->dylink.nimport_info; i++) {
    const wd_dylink_symbol *s = &m->dylink.import_info[i];
    /* by name only, as getDylinkMetadata collects weakImports: wasm-ld
     * records a weak data symbol reached through GOT.mem under "env" */
    if (wd_str_eqs(s->name, im->name) && (s->flags & WD_SYM_BINDING_WEAK)) return true;
  }
  return false;
}

/* ---- exports ------------------------------------------------------------ */

/* A module's exports as the loader's relocateExports leaves them: up to
 * 4.0.16 globals become numbers and Memory/Table/Tag objects undefined;
 * from 4.0.17 (and for a non-relocatable main module, whose exports are not
 * relocated at all) every object passes as it is. */
static wd_given relocated_export(const link_state *st, const wd_module *m, uint32_t module,
                                 const wd_export *e) {
  wd_given g;
  memset(&g, 0, sizeof g);
  g.provider = module;
  bool objects = st->rules->keeps_objects;
  switch (e->kind) {
  case WD_EXTERN_FUNC:
    g.kind = WD_GIVEN_WASM_FUNCTION;
    g.functype = wd_module_func_type(m, e->index);
    break;
  case WD_EXTERN_GLOBAL:
    g.kind = objects ? WD_GIVEN_GLOBAL : WD_GIVEN_NUMBER; /* value.value + memoryBase */
    g.global = m->global_types[e->index];
    if (objects && !g.global.is_mutable) g.global.type.code = WD_VT_I32; /* new Global({value: 'i32'}) */
    break;
  case WD_EXTERN_MEMORY:
    if (objects && e->index < m->nmemories) {
      g.kind = WD_GIVEN_MEMORY;
      g.limits = m->memories[e->index];
      g.current = g.limits.min;
    }
    break;
  case WD_EXTERN_TABLE:
    if (objects && e->index < m->ntables) {
      g.kind = WD_GIVEN_TABLE;
      g.limits = m->table_types[e->index].limits;
      g.elem = m->table_types[e->index].elem;
      g.current = g.limits.min;
    }
    break;
  case WD_EXTERN_TAG:
    if (objects && e->index < m->ntags && m->tags[e->index].type < m->ntypes) {
      g.kind = WD_GIVEN_TAG;
      g.functype = &m->types[m->tags[e->index].type];
    }
    break;
  default:
    break; /* undefined: Memory/Table/Tag objects have no .value */
  }
  return g;
}

/* updateGOT (always) and mergeLibSymbols (global libraries and the main). */
static wd_status publish_exports(link_state *st, const wd_module *m, uint32_t module, bool merge) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wd_export *e = &m->exports[i];
    bool ins;
    if (!is_internal_sym(e->name) &&
        (e->kind == WD_EXTERN_FUNC || e->kind == WD_EXTERN_GLOBAL)) {
      wdi_sym *s = wdi_symtab_put(&st->exported, e->name, &ins);
      if (!s) return oom(st);
      if (ins) s->owner = module;
      wdi_sym *gs = wdi_symtab_find(&st->got, e->name);
      if (gs) gs->defined = true;
    }
    if (merge) {
      wdi_sym *s = wdi_symtab_put(&st->lib, e->name, &ins);
      if (!s) return oom(st);
      if (ins) s->value = relocated_export(st, m, module, e);
    }
  }
  return WD_OK;
}

/* ---- resolution ------------------------------------------------------- */

/* resolveGlobalSymbol: the import object, then the Module object (the same
 * names here), invoke_* and __cxa_find_matching_catch* helpers. */
static bool resolvable(const link_state *st, wd_str name, bool *is_object) {
  *is_object = false;
  const wdi_sym *s = wdi_symtab_find(&st->lib, name);
  if (s) {
    switch (s->value.kind) {
    case WD_GIVEN_JS_FUNCTION:
    case WD_GIVEN_WASM_FUNCTION:
    case WD_GIVEN_NUMBER:
      return true;
    case WD_GIVEN_GLOBAL:
      if (st->rules->keeps_objects) return true; /* typeof value.value == 'number' */
      *is_object = true;
      return false;
    case WD_GIVEN_UNDEFINED:
      break;
    default:
      *is_object = true; /* a Memory/Table/Global object: "bad export type ...: object" */
      return false;
    }
  }
  /* a glue that was read tells whether its loader makes invoke_* wrappers;
   * without one, assume it does (no guess turns into a failure) */
  if (wd_str_startswith(name, "invoke_")) {
    const wd_glue *g = st->in->glue;
    return !(g && g->has_loader) || g->invoke_wrappers || g->js_eh;
  }
  if (wd_str_startswith(name, "__cxa_find_matching_catch")) return true;
  return false;
}

/* reportUndefinedSymbols: every GOT entry still zero must resolve now. */
static wd_status report_undefined(link_state *st, uint32_t reporter) {
  for (uint32_t i = 0; i < st->got.cap; i++) {
    wdi_sym *s = &st->got.slots[i];
    if (!s->used || s->defined) continue;
    bool is_object;
    if (resolvable(st, s->name, &is_object)) {
      s->defined = true;
      continue;
    }
    /* weak references only: optional from 3.1.15; with the version unknown,
     * a note rather than a guess */
    if (s->weak && !is_object && (st->rules->weak_optional || st->guessed)) {
      s->defined = true;
      if (!st->rules->weak_optional) {
        wd_status ns = add_note(st, WD_NOTE_WEAK_VERSION, s->owner, s->name);
        if (ns) return ns;
      }
      continue;
    }
    /* without the glue a JS library symbol (MAIN_MODULE=1 glues carry the
     * whole JS library; tools/emscripten.py sends every GOT import of the
     * main module) cannot be told from a missing one: a note */
    if (!is_object && (!st->in->glue || !st->in->glue->found_imports)) {
      s->defined = true;
      wd_status ns = add_note(st, WD_NOTE_GOT_UNKNOWN, s->owner, s->name);
      if (ns) return ns;
      continue;
    }
    const wd_link_loaded *owner = &st->res->modules[s->owner];
    const wd_import *im = NULL;
    for (uint32_t k = 0; k < owner->module->nimports; k++) {
      const wd_import *c = &owner->module->imports[k];
      if (is_got_module(c->module) && wd_str_eqs(c->name, s->name)) {
        im = c;
        break;
      }
    }
    wd_link_problem *p = add_problem(st, WD_FAULT_UNDEFINED_SYMBOL, WD_STAGE_AFTER, reporter,
                                     st->res->modules[reporter].module, NULL);
    if (!p) return oom(st);
    p->symbol = s->name;
    p->import = im;
    p->given.provider = s->owner;
    p->given.kind = WD_GIVEN_UNDEFINED;
    if (is_object) {
      const wdi_sym *ls = wdi_symtab_find(&st->lib, s->name);
      p->given.kind = ls ? ls->value.kind : WD_GIVEN_GLOBAL;
    }
    p->import_index = -1;
    st->res->modules[reporter].loads = false;
    s->defined = true; /* report each symbol once */
  }
  return WD_OK;
}

/* The value the loader's proxy gives a side module's env.* import. */
static wd_given side_env_value(link_state *st, const wd_import *im) {
  wd_given g;
  memset(&g, 0, sizeof g);
  if (wd_str_eq(im->name, "__memory_base") || wd_str_eq(im->name, "__table_base")) {
    g.kind = WD_GIVEN_NUMBER;
    g.provider = WD_PROVIDER_LOADER;
    return g;
  }
  const wdi_sym *s = wdi_symtab_find(&st->lib, im->name);
  if (s) return s->value;
  g.kind = WD_GIVEN_JS_FUNCTION;
  g.provider = WD_PROVIDER_LOADER;
  g.lazy_stub = true;
  return g;
}

static wd_status check_module_imports(link_state *st, uint32_t module, bool is_main) {
  const wd_module *m = st->res->modules[module].module;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    wd_given g;
    memset(&g, 0, sizeof g);
    bool module_object = true;
    if (is_got_module(im->module)) {
      g = got_global();
      wd_status s = touch_got(st, im->name, module, dylink_import_weak(m, im));
      if (s) return s;
    } else if (is_env_module(im->module) || is_main) {
      if (is_main) {
        /* any module name: the glue's import object decides (minified
         * builds name it "a"); without a readable glue, assumed present */
        bool read = st->in->glue && st->in->glue->found_imports;
        bool provided = !read || wd_glue_provides(st->in->glue, im->name.ptr, im->name.len);
        if (!read && !is_env_module(im->module)) {
          wd_status ns = add_note(st, WD_NOTE_IMPORT_MODULE_ASSUMED, module, im->module);
          if (ns) return ns;
        }
        if (provided) {
          g = given_as_declared(m, im);
        } else {
          g.kind = WD_GIVEN_UNDEFINED;
          g.provider = WD_PROVIDER_GLUE;
        }
      } else {
        g = side_env_value(st, im);
      }
    } else {
      module_object = false;
    }
    wd_link_fault f = module_object ? check_import(m, im, &g) : WD_FAULT_MODULE_NOT_OBJECT;
    if (f != WD_FAULT_NONE) {
      wd_link_problem *p = add_problem(st, f, WD_STAGE_IMPORT, module, m, im);
      if (!p) return oom(st);
      p->given = g;
      st->res->modules[module].loads = false;
    } else if (g.lazy_stub && !dylink_import_weak(m, im)) {
      /* (a weak function import that nothing defines is the library's
       * choice: not reported) */
      /* loads; whether the stub can resolve is known only at the end */
      wd_link_problem *p = add_problem(st, WD_FAULT_LAZY_STUB, WD_STAGE_RUNTIME, module, m, im);
      if (!p) return oom(st);
      p->given = g;
      if (st->nstubs == st->stubcap) {
        uint32_t cap = st->stubcap ? st->stubcap * 2 : 16;
        uint32_t *n = realloc(st->stubs, cap * sizeof *n);
        if (!n) return oom(st);
        st->stubs = n;
        st->stubcap = cap;
      }
      st->stubs[st->nstubs++] = st->res->nproblems - 1;
    }
  }
  return WD_OK;
}

/* ---- loading ------------------------------------------------------------- */

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static int find_side(const link_state *st, wd_str name) {
  for (uint32_t i = 0; i < st->in->nsides; i++) {
    const char *b = base_name(st->in->sides[i].name);
    if (wd_str_eq(name, b)) return (int)i;
  }
  return -1;
}

/* getDylinkMetadata on the bytes: the dylink section must be the first;
 * the pre-2021 "dylink" section only up to the 3.1.x loaders (with the
 * version unknown it is accepted: a note, not a guess). */
static bool dylink_first(const link_state *st, const wd_module *m) {
  if (m->nsections == 0) return false;
  const wd_section *s = &m->sections[0];
  if (s->id != WD_SEC_CUSTOM) return false;
  if (wd_str_eq(s->name, "dylink.0")) return true;
  return wd_str_eq(s->name, "dylink") && (st->rules->legacy_dylink || st->guessed);
}

static wd_status load_side(link_state *st, uint32_t side, wd_side_mode mode, bool needed);

static wd_status load_side(link_state *st, uint32_t side, wd_side_mode mode, bool needed) {
  if (st->side_state[side] != SIDE_NEW) return WD_OK; /* loaded (or loading: a cycle) */
  st->side_state[side] = SIDE_LOADING;
  const wd_link_side *sd = &st->in->sides[side];
  const wd_module *m = sd->module;
  wd_status s;

  /* A main module built without -sMAIN_MODULE (no dylink.0 section) comes
     with a glue that has no loader at all: Godot's engine.js refuses to
     start when GDExtensions are listed, dlopen() aborts, and
     Module.dynamicLibraries is ignored. Nothing further is checked. */
  if (!st->in->main->dylink.present) {
    uint32_t idx = add_module(st, m, sd->name, false);
    if (idx == UINT32_MAX) return oom(st);
    st->res->modules[idx].needed_by_other = needed;
    st->res->modules[idx].mode = mode;
    st->side_state[side] = SIDE_DONE;
    wd_link_problem *p = add_problem(st, WD_FAULT_NO_LOADER, WD_STAGE_BEFORE, idx, m, NULL);
    if (!p) return oom(st);
    st->res->modules[idx].loads = false;
    return WD_OK;
  }

  /* NEEDED libraries first, with the same flags */
  if (dylink_first(st, m)) {
    for (uint32_t i = 0; i < m->dylink.nneeded; i++) {
      int j = find_side(st, m->dylink.needed[i]);
      if (j < 0) {
        uint32_t idx = add_module(st, m, sd->name, false);
        if (idx == UINT32_MAX) return oom(st);
        st->res->modules[idx].needed_by_other = needed;
        st->res->modules[idx].mode = mode;
        wd_link_problem *p = add_problem(st, WD_FAULT_NEEDED_MISSING, WD_STAGE_BEFORE, idx, m, NULL);
        if (!p) return oom(st);
        p->symbol = m->dylink.needed[i];
        st->res->modules[idx].loads = false;
        st->side_state[side] = SIDE_DONE;
        return WD_OK;
      }
      if ((s = load_side(st, (uint32_t)j, mode, true))) return s;
    }
  }
  uint32_t idx = add_module(st, m, sd->name, false);
  if (idx == UINT32_MAX) return oom(st);
  st->res->modules[idx].needed_by_other = needed;
  st->res->modules[idx].mode = mode;
  st->side_state[side] = SIDE_DONE;

  if (!dylink_first(st, m)) {
    wd_link_problem *p = add_problem(st, WD_FAULT_NO_DYLINK, WD_STAGE_BEFORE, idx, m, NULL);
    if (!p) return oom(st);
    st->res->modules[idx].loads = false;
    return WD_OK;
  }
  /* the loader grows the main table by the side's table size */
  if (m->dylink.table_size) {
    st->res->modules[idx].table_base = st->table_len;
    if (st->have_table && st->table_limits.has_max &&
        st->table_len + m->dylink.table_size > st->table_limits.max) {
      wd_link_problem *p = add_problem(st, WD_FAULT_TABLE_GROW, WD_STAGE_BEFORE, idx, m, NULL);
      if (!p) return oom(st);
      p->amount = m->dylink.table_size;
      p->given.kind = WD_GIVEN_TABLE;
      p->given.limits = st->table_limits;
      p->given.current = st->table_len;
      st->res->modules[idx].loads = false;
      return WD_OK;
    }
    st->table_len += m->dylink.table_size;
    /* the table object the next modules see */
    wdi_sym *ts = wdi_symtab_find(&st->lib, (wd_str){"__indirect_function_table", 25});
    if (ts && ts->value.kind == WD_GIVEN_TABLE) ts->value.current = st->table_len;
  }
  if ((s = check_module_imports(st, idx, false))) return s;
  if (!st->res->modules[idx].loads) return WD_OK;
  /* JS exceptions (invoke_* wrappers, -fexceptions) in an engine whose glue
   * has no exception catching: the loader makes the invoke_* wrappers, but
   * the engine's libc++abi aborts at the first throw (told by the glue only);
   * a loader that makes no wrappers leaves lazy stubs (resolvable above) */
  if (st->in->glue && st->in->glue->found_imports && !st->in->glue->js_eh && st->in->glue->invoke_wrappers) {
    for (uint32_t i = 0; i < m->nimports; i++) {
      const wd_import *im = &m->imports[i];
      if (!wd_str_eq(im->module, "env") || im->kind != WD_EXTERN_FUNC ||
          !(wd_str_startswith(im->name, "invoke_") || wd_str_startswith(im->name, "__cxa_find_matching_catch")))
        continue;
      wd_link_problem *p = add_problem(st, WD_FAULT_JS_EH_ABORT, WD_STAGE_RUNTIME, idx, m, im);
      if (!p) return oom(st);
      p->given.kind = WD_GIVEN_JS_FUNCTION;
      p->given.provider = WD_PROVIDER_LOADER;
      break;
    }
  }
  if ((s = publish_exports(st, m, idx, mode == WD_SIDE_PRELOAD))) return s;
  if (mode == WD_SIDE_EXTENSION && (s = report_undefined(st, idx))) return s;
  return WD_OK;
}

/* Lazy stubs: resolveSymbol at the first call looks in the import object
 * (as it is by then), the Module object and the module's own exports. */
static void resolve_stubs(link_state *st) {
  for (uint32_t i = 0; i < st->nstubs; i++) {
    wd_link_problem *p = &st->res->problems[st->stubs[i]];
    const wd_module *m = st->res->modules[p->module].module;
    if (!st->res->modules[p->module].loads) {
      p->fault = WD_FAULT_NONE; /* never instantiated: no call will happen */
      continue;
    }
    bool is_object;
    bool ok = resolvable(st, p->import->name, &is_object) ||
              wd_module_find_export(m, p->import->name.ptr, p->import->name.len) != NULL;
    if (ok) p->fault = WD_FAULT_NONE; /* dropped below */
  }
  /* compact away resolved stubs */
  uint32_t k = 0;
  for (uint32_t i = 0; i < st->res->nproblems; i++)
    if (st->res->problems[i].fault != WD_FAULT_NONE) st->res->problems[k++] = st->res->problems[i];
  st->res->nproblems = k;
}

/* What the glue's import object holds under the names Emscripten's runtime
 * defines itself (the rest are JS library functions). */
static wd_given runtime_value(wd_str name, const wd_module *m) {
  wd_given g;
  memset(&g, 0, sizeof g);
  g.provider = WD_PROVIDER_GLUE;
  g.kind = WD_GIVEN_JS_FUNCTION;
  /* memory, table and the base globals are created to match the main
   * module's declaration of them */
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    if (is_env_module(im->module) && wd_str_eqs(im->name, name) && im->kind != WD_EXTERN_FUNC)
      return given_as_declared(m, im);
  }
  if (wd_str_eq(name, "memory")) g.kind = WD_GIVEN_UNDEFINED;
  else if (wd_str_eq(name, "__heap_base") || wd_str_eq(name, "__stack_high") ||
           wd_str_eq(name, "__stack_low") || wd_str_eq(name, "__global_base"))
    g.kind = WD_GIVEN_NUMBER; /* var ___heap_base = N */
  return g;
}

static wd_status setup_main(link_state *st) {
  const wd_link_input *in = st->in;
  const wd_module *m = in->main;
  uint32_t idx = add_module(st, m, in->main_name, true);
  if (idx == UINT32_MAX) return oom(st);
  /* The import object: what the glue provides. Without a glue, assume it
   * provides every env/wasi import exactly as the main module declares. */
  bool read = in->glue && in->glue->found_imports;
  if (wdi_symtab_reserve(&st->lib, m->nimports + m->nexports + (read ? in->glue->nnames : 4))) return oom(st);
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    if (is_got_module(im->module)) continue;
    if (read && !wd_glue_provides(in->glue, im->name.ptr, im->name.len)) continue;
    bool ins;
    wdi_sym *s = wdi_symtab_put(&st->lib, im->name, &ins);
    if (!s) return oom(st);
    if (ins) s->value = given_as_declared(m, im);
  }
  if (read) {
    for (uint32_t i = 0; i < in->glue->nnames; i++) {
      wd_str n = {in->glue->names[i], (uint32_t)strlen(in->glue->names[i])};
      bool ins;
      wdi_sym *s = wdi_symtab_put(&st->lib, n, &ins);
      if (!s) return oom(st);
      if (ins) s->value = runtime_value(n, m);
    }
  } else {
    /* a MAIN_MODULE glue always defines ___heap_base; from 3.1.25 also
     * __stack_high, __stack_low and __global_base (src/library.js) */
    static const char *const layout[] = {"__heap_base", "__stack_high", "__stack_low", "__global_base"};
    for (size_t k = 0; k < (st->rules->stack_globals ? 4u : 1u); k++) {
      bool ins;
      wd_str hb = {layout[k], (uint32_t)strlen(layout[k])};
      wdi_sym *s = wdi_symtab_put(&st->lib, hb, &ins);
      if (!s) return oom(st);
      if (ins) s->value = runtime_value(hb, m);
    }
  }
  /* wasmTable: imported from the glue, or the main module's own */
  const wdi_sym *ts = wdi_symtab_find(&st->lib, (wd_str){"__indirect_function_table", 25});
  if (ts && ts->value.kind == WD_GIVEN_TABLE) {
    st->have_table = true;
    st->table_limits = ts->value.limits;
    st->table_len = ts->value.current;
  } else if (m->ntables > m->nimported_tables) {
    st->have_table = true;
    st->table_limits = m->table_types[m->nimported_tables].limits;
    st->table_len = st->table_limits.min;
  }
  wd_status s = check_module_imports(st, idx, true);
  if (s) return s;
  return publish_exports(st, m, idx, true);
}

wd_status wd_link_run(const wd_link_input *in, wd_link_result **out, wd_error *err) {
  *out = NULL;
  wd_arena *arena = calloc(1, sizeof *arena);
  if (!arena) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wd_link_result *r = wd_arena_alloc(arena, sizeof *r);
  link_state st;
  memset(&st, 0, sizeof st);
  st.in = in;
  st.res = r;
  st.arena = arena;
  st.err = err;
  wd_status s = WD_OK;
  if (!r) {
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    goto done;
  }
  r->internal = arena;
  r->assumed_glue = in->glue == NULL || !in->glue->found_imports;
  r->abort_hint = in->glue && in->glue->abort_hint;
  wd_link_detect_loader(in, &r->loader);
  st.rules = wd_loader_get(r->loader.version);
  st.guessed = r->loader.source == WD_LOADER_GUESSED;
  st.side_state = wd_arena_array(arena, in->nsides ? in->nsides : 1, 1);
  if (!st.side_state) {
    s = oom(&st);
    goto done;
  }
  if ((s = setup_main(&st))) goto done;
  if (in->glue_unread && (s = add_note(&st, WD_NOTE_GLUE_UNREAD, 0, (wd_str){in->glue_unread, (uint32_t)strlen(in->glue_unread)})))
    goto done;
  if (st.guessed && in->nsides && in->main->dylink.present &&
      (s = add_note(&st, WD_NOTE_LOADER_GUESSED, 0, (wd_str){NULL, 0})))
    goto done;
  /* The main module's NEEDED libraries are preloaded first, then
   * Module.dynamicLibraries (the preload-mode sides), then one
   * reportUndefinedSymbols, then the libraries loaded later. */
  for (uint32_t i = 0; i < in->main->dylink.nneeded; i++) {
    int j = find_side(&st, in->main->dylink.needed[i]);
    if (j >= 0 && (s = load_side(&st, (uint32_t)j, WD_SIDE_PRELOAD, true))) goto done;
  }
  bool any_preload = false;
  for (uint32_t i = 0; i < in->nsides; i++) {
    if (in->sides[i].mode != WD_SIDE_PRELOAD) continue;
    any_preload = true;
    if ((s = load_side(&st, i, WD_SIDE_PRELOAD, false))) goto done;
  }
  (void)any_preload;
  if ((s = report_undefined(&st, r->nmodules - 1))) goto done;
  for (uint32_t i = 0; i < in->nsides; i++) {
    if (in->sides[i].mode == WD_SIDE_PRELOAD) continue;
    if ((s = load_side(&st, i, WD_SIDE_EXTENSION, false))) goto done;
  }
  resolve_stubs(&st);
  r->loads = true;
  for (uint32_t i = 0; i < r->nmodules; i++)
    if (!r->modules[i].loads) r->loads = false;
done:
  free(st.stubs);
  wdi_symtab_free(&st.lib);
  wdi_symtab_free(&st.got);
  wdi_symtab_free(&st.exported);
  if (s) {
    wd_arena_release(arena);
    free(arena);
    return s;
  }
  *out = r;
  return WD_OK;
}

void wd_link_result_free(wd_link_result *r) {
  if (!r) return;
  wd_arena *a = r->internal;
  wd_arena_release(a);
  free(a);
}

bool wd_link_is_js_eh_import(const wd_import *im) {
  return im && im->kind == WD_EXTERN_FUNC && wd_str_eq(im->module, "env") &&
         (wd_str_startswith(im->name, "invoke_") || wd_str_startswith(im->name, "__cxa_find_matching_catch"));
}

bool wd_link_fault_is_fatal(wd_link_fault f) {
  return f != WD_FAULT_NONE && f != WD_FAULT_LAZY_STUB && f != WD_FAULT_JS_EH_ABORT;
}

const char *wd_link_fault_key(wd_link_fault f) {
  static const char *const keys[WD_FAULT_COUNT] = {
    [WD_FAULT_NONE] = "none",
    [WD_FAULT_MODULE_NOT_OBJECT] = "module-not-object",
    [WD_FAULT_FUNC_NOT_CALLABLE] = "function-not-callable",
    [WD_FAULT_FUNC_SIGNATURE] = "function-signature",
    [WD_FAULT_TABLE_NOT_TABLE] = "table-not-table",
    [WD_FAULT_TABLE_ELEM_TYPE] = "table-element-type",
    [WD_FAULT_TABLE_TOO_SMALL] = "table-too-small",
    [WD_FAULT_TABLE_NO_MAX] = "table-no-maximum",
    [WD_FAULT_TABLE_MAX_TOO_LARGE] = "table-maximum-too-large",
    [WD_FAULT_MEMORY_NOT_MEMORY] = "memory-not-memory",
    [WD_FAULT_MEMORY_INDEX_TYPE] = "memory-index-type",
    [WD_FAULT_MEMORY_TOO_SMALL] = "memory-too-small",
    [WD_FAULT_MEMORY_NO_MAX] = "memory-no-maximum",
    [WD_FAULT_MEMORY_MAX_TOO_LARGE] = "memory-maximum-too-large",
    [WD_FAULT_MEMORY_SHARED] = "memory-shared",
    [WD_FAULT_GLOBAL_NOT_VALUE] = "global-not-value",
    [WD_FAULT_GLOBAL_NEEDS_OBJECT] = "global-needs-object",
    [WD_FAULT_GLOBAL_MUTABILITY] = "global-mutability",
    [WD_FAULT_GLOBAL_TYPE] = "global-type",
    [WD_FAULT_TAG_NOT_TAG] = "tag-not-tag",
    [WD_FAULT_TAG_TYPE] = "tag-type",
    [WD_FAULT_NO_DYLINK] = "no-dylink-section",
    [WD_FAULT_TABLE_GROW] = "table-grow",
    [WD_FAULT_NEEDED_MISSING] = "needed-missing",
    [WD_FAULT_NO_LOADER] = "no-dynamic-loader",
    [WD_FAULT_UNDEFINED_SYMBOL] = "undefined-symbol",
    [WD_FAULT_LAZY_STUB] = "unresolved-function",
    [WD_FAULT_JS_EH_ABORT] = "js-exceptions-abort",
  };
  return (unsigned)f < WD_FAULT_COUNT && keys[f] ? keys[f] : "unknown";
}
