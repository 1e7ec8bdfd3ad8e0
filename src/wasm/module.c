/*
 * Questions about a parsed module: its role in dynamic linking, its memory,
 * lookups by name, and wasm-objdump-style type formatting.
 */
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "webdoctor/wasm.h"

/* Exports that only Emscripten's MAIN_MODULE runtime provides (stack
 * management and the program entry); side modules built with -sSIDE_MODULE
 * export their own symbols and __wasm_call_ctors, never these. */
static const char *const main_module_exports[] = {
  "stackSave", "stackRestore", "stackAlloc",
  "emscripten_stack_init", "emscripten_stack_get_end",
  "_emscripten_stack_restore", "_emscripten_stack_alloc",
  "__main_argc_argv", "main", "_start",
};

wd_module_role wd_module_role_of(const wd_module *m) {
  if (!m->dylink.present) return WD_ROLE_STANDALONE;
  for (size_t i = 0; i < sizeof main_module_exports / sizeof *main_module_exports; i++) {
    const char *n = main_module_exports[i];
    if (wd_module_find_export(m, n, (uint32_t)strlen(n))) return WD_ROLE_EMSCRIPTEN_MAIN;
  }
  return WD_ROLE_SIDE;
}

const char *wd_module_role_name(wd_module_role r) {
  switch (r) {
  case WD_ROLE_STANDALONE: return _("module without dynamic linking");
  case WD_ROLE_EMSCRIPTEN_MAIN: return _("Emscripten main module (MAIN_MODULE)");
  case WD_ROLE_SIDE: return _("side module (SIDE_MODULE, loaded with dlopen)");
  }
  return "?";
}

const wd_limits *wd_module_memory0(const wd_module *m, const wd_import **import_out) {
  if (import_out) *import_out = NULL;
  if (m->nmemories == 0) return NULL;
  if (m->nimported_memories > 0) {
    for (uint32_t i = 0; i < m->nimports; i++) {
      if (m->imports[i].kind == WD_EXTERN_MEMORY && m->imports[i].kind_index == 0) {
        if (import_out) *import_out = &m->imports[i];
        break;
      }
    }
  }
  return &m->memories[0];
}

const wd_export *wd_module_find_export(const wd_module *m, const char *name, uint32_t len) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const wd_export *e = &m->exports[i];
    if (e->name.len == len && memcmp(e->name.ptr, name, len) == 0) return e;
  }
  return NULL;
}

const wd_type *wd_module_func_type(const wd_module *m, uint32_t func) {
  if (func >= m->nfuncs) return NULL;
  uint32_t t = m->func_types[func];
  return t < m->ntypes ? &m->types[t] : NULL;
}

static const char *heap_name(int64_t h) {
  switch (h) {
  case -0x10: return "func";
  case -0x11: return "extern";
  case -0x12: return "any";
  case -0x13: return "eq";
  case -0x14: return "i31";
  case -0x15: return "struct";
  case -0x16: return "array";
  case -0x17: return "exn";
  case -0x0d: return "nofunc";
  case -0x0e: return "noextern";
  case -0x0f: return "none";
  case -0x0c: return "noexn";
  }
  return NULL;
}

void wd_valtype_str(wd_valtype t, char *buf, unsigned size) {
  const char *s = NULL;
  switch (t.code) {
  case WD_VT_I32: s = "i32"; break;
  case WD_VT_I64: s = "i64"; break;
  case WD_VT_F32: s = "f32"; break;
  case WD_VT_F64: s = "f64"; break;
  case WD_VT_V128: s = "v128"; break;
  case WD_VT_I8: s = "i8"; break;
  case WD_VT_I16: s = "i16"; break;
  case WD_VT_FUNCREF: s = "funcref"; break;
  case WD_VT_EXTERNREF: s = "externref"; break;
  case WD_VT_ANYREF: s = "anyref"; break;
  case WD_VT_EQREF: s = "eqref"; break;
  case WD_VT_I31REF: s = "i31ref"; break;
  case WD_VT_STRUCTREF: s = "structref"; break;
  case WD_VT_ARRAYREF: s = "arrayref"; break;
  case WD_VT_EXNREF: s = "exnref"; break;
  case WD_VT_NULLREF: s = "nullref"; break;
  case WD_VT_NULLFUNCREF: s = "nullfuncref"; break;
  case WD_VT_NULLEXTERNREF: s = "nullexternref"; break;
  case WD_VT_NULLEXNREF: s = "nullexnref"; break;
  case WD_VT_REF:
  case WD_VT_REF_NULL: {
    const char *null = t.code == WD_VT_REF_NULL ? "null " : "";
    const char *hn = heap_name(t.heap);
    if (hn) snprintf(buf, size, "(ref %s%s)", null, hn);
    else snprintf(buf, size, "(ref %s%lld)", null, (long long)t.heap);
    return;
  }
  }
  if (s) snprintf(buf, size, "%s", s);
  else snprintf(buf, size, "<0x%02x>", t.code);
}

void wd_functype_str(const wd_type *t, char *buf, unsigned size) {
  size_t n = 0;
  char one[48];
#define PUT(str)                                                        \
  do {                                                                  \
    int k_ = snprintf(buf + n, n < size ? size - n : 0, "%s", str);     \
    if (k_ > 0) n += (size_t)k_;                                        \
    if (n >= size) n = size ? size - 1 : 0;                             \
  } while (0)
  if (size == 0) return;
  buf[0] = '\0';
  if (t->kind != WD_COMP_FUNC) {
    PUT(t->kind == WD_COMP_STRUCT ? "struct" : "array");
    return;
  }
  PUT("(");
  for (uint32_t i = 0; i < t->nparams; i++) {
    if (i) PUT(", ");
    wd_valtype_str(t->params[i], one, sizeof one);
    PUT(one);
  }
  PUT(") -> ");
  if (t->nresults == 0) PUT("nil");
  else if (t->nresults > 1) PUT("(");
  for (uint32_t i = 0; i < t->nresults; i++) {
    if (i) PUT(", ");
    wd_valtype_str(t->results[i], one, sizeof one);
    PUT(one);
  }
  if (t->nresults > 1) PUT(")");
#undef PUT
}

wd_str wd_module_func_name(const wd_module *m, uint32_t func) {
  wd_str none = {"", 0};
  uint32_t lo = 0, hi = m->names.nfunctions;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    uint32_t idx = m->names.functions[mid].index;
    if (idx == func) return m->names.functions[mid].name;
    if (idx < func) lo = mid + 1;
    else hi = mid;
  }
  return none;
}
