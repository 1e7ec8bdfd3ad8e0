/*
 * The WebAssembly binary reader: module header, section framing and order,
 * and the known sections. Custom sections are in custom.c, the instruction
 * decoder in code.c, questions about a parsed module in module.c.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bigmem.h"
#include "common/i18n.h"
#include "webdoctor/msg.h"
#include "wasm/code.h"
#include "wasm/reader_int.h"

/* Order rank of each non-custom section id (Tag sits between Memory and
 * Global, DataCount between Element and Code). */
static int section_rank(uint8_t id) {
  static const int rank[] = {
    [WD_SEC_TYPE] = 1,    [WD_SEC_IMPORT] = 2, [WD_SEC_FUNCTION] = 3,
    [WD_SEC_TABLE] = 4,   [WD_SEC_MEMORY] = 5, [WD_SEC_TAG] = 6,
    [WD_SEC_GLOBAL] = 7,  [WD_SEC_EXPORT] = 8, [WD_SEC_START] = 9,
    [WD_SEC_ELEMENT] = 10, [WD_SEC_DATACOUNT] = 11, [WD_SEC_CODE] = 12,
    [WD_SEC_DATA] = 13,
  };
  return id < sizeof rank / sizeof rank[0] ? rank[id] : 0;
}

const char *wd_section_name(uint8_t id) {
  switch (id) {
  case WD_SEC_CUSTOM: return "custom";
  case WD_SEC_TYPE: return "type";
  case WD_SEC_IMPORT: return "import";
  case WD_SEC_FUNCTION: return "function";
  case WD_SEC_TABLE: return "table";
  case WD_SEC_MEMORY: return "memory";
  case WD_SEC_GLOBAL: return "global";
  case WD_SEC_EXPORT: return "export";
  case WD_SEC_START: return "start";
  case WD_SEC_ELEMENT: return "element";
  case WD_SEC_CODE: return "code";
  case WD_SEC_DATA: return "data";
  case WD_SEC_DATACOUNT: return "datacount";
  case WD_SEC_TAG: return "tag";
  }
  return "unknown";
}

const char *wd_extern_kind_name(uint8_t kind) {
  switch (kind) {
  case WD_EXTERN_FUNC: return "func";
  case WD_EXTERN_TABLE: return "table";
  case WD_EXTERN_MEMORY: return "memory";
  case WD_EXTERN_GLOBAL: return "global";
  case WD_EXTERN_TAG: return "tag";
  }
  return "unknown";
}

/* ---- helpers ---------------------------------------------------------- */

typedef struct defined_parts {
  uint32_t nfuncs;
  uint32_t *func_types;
  bool func_types_in_space; /* func_types[-nimported_funcs] starts the index space */
  uint32_t ntables;
  wd_table *tables;
  uint32_t nmemories;
  wd_limits *memories;
  uint32_t nglobals;
  wd_global *globals;
  uint32_t ntags;
  wd_tagtype *tags;
  bool have_function_section;
  bool have_code_section;
} defined_parts;

typedef struct section_reader {
  wdi_reader *r;
  defined_parts def;
} section_reader;

/* The next warning's slot, or NULL when there are enough or no memory. */
static wd_module_warning *new_warning(wdi_reader *r, uint64_t offset, const char *where) {
  wd_module *m = r->m;
  wdi_module_internal *in = m->internal;
  if (m->nwarnings >= r->max_warnings) return NULL;
  if (m->nwarnings == in->warn_cap) {
    uint32_t cap = in->warn_cap ? in->warn_cap * 2 : 8;
    wd_module_warning *n = wd_arena_array(r->arena, cap, sizeof *n);
    if (!n) return NULL;
    if (m->nwarnings) memcpy(n, m->warnings, m->nwarnings * sizeof *n);
    m->warnings = n;
    in->warn_cap = cap;
  }
  wd_module_warning *w = &m->warnings[m->nwarnings];
  memset(w, 0, sizeof *w);
  w->offset = offset;
  snprintf(w->where, sizeof w->where, "%s", where);
  return w;
}

void wdi_warn(wdi_reader *r, uint64_t offset, const char *where, const char *fmt, ...) {
  wd_module_warning *w = new_warning(r, offset, where);
  if (!w) return;
  va_list ap;
  va_start(ap, fmt);
  int rc = wd_msg_vinit(&w->msg, fmt, ap);
  va_end(ap);
  if (rc == 0) r->m->nwarnings++;
}

void wdi_warn_error(wdi_reader *r, uint64_t offset, const char *where, const wd_error *e) {
  wd_module_warning *w = new_warning(r, offset, where);
  if (!w) return;
  if (wd_msg_init(&w->msg, "%s", "") == 0 && wd_msg_set_arg_text2(&w->msg, 0, e->msg_en, e->msg) == 0)
    r->m->nwarnings++;
  else
    wd_msg_free(&w->msg);
}

static wd_status nomem(wdi_reader *r) {
  return wd_error_set(r->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
}

/* Allocate `count` items of `size` from the arena, or fail with NOMEM. */
#define ALLOC_ARRAY(r, ptr, count)                                          \
  (((ptr) = wd_arena_array((r)->arena, (count) ? (count) : 1, sizeof *(ptr))) ? WD_OK : nomem(r))

static bool has_i64(const wd_type *t) {
  for (uint32_t i = 0; i < t->nparams; i++)
    if (t->params[i].code == WD_VT_I64) return true;
  for (uint32_t i = 0; i < t->nresults; i++)
    if (t->results[i].code == WD_VT_I64) return true;
  return false;
}

/* ---- value types, limits -------------------------------------------- */

static void note_valtype_features(wd_featureset *fs, const wd_valtype *t) {
#define SET(f) (*fs |= 1u << (f))
  switch (t->code) {
  case WD_VT_V128: SET(WD_FEAT_SIMD); break;
  case WD_VT_EXTERNREF: SET(WD_FEAT_REFERENCE_TYPES); break;
  case WD_VT_EXNREF:
  case WD_VT_NULLEXNREF: SET(WD_FEAT_EXCEPTIONS); break;
  case WD_VT_ANYREF: case WD_VT_EQREF: case WD_VT_I31REF: case WD_VT_STRUCTREF:
  case WD_VT_ARRAYREF: case WD_VT_NULLREF: case WD_VT_NULLFUNCREF:
  case WD_VT_NULLEXTERNREF: case WD_VT_I8: case WD_VT_I16:
    SET(WD_FEAT_GC);
    break;
  case WD_VT_REF:
  case WD_VT_REF_NULL:
    SET(WD_FEAT_FUNCTION_REFERENCES);
    /* abstract heap types of GC, or a concrete type index of a non-func type */
    if (t->heap < 0 && t->heap != -0x10 && t->heap != -0x11 && t->heap != -0x17 &&
        t->heap != -0x0c)
      SET(WD_FEAT_GC);
    break;
  default: break;
  }
}
#undef SET

static bool is_heap_abstract(int64_t h) {
  /* func extern any eq i31 struct array exn nofunc noextern none noexn */
  switch (h) {
  case -0x10: case -0x11: case -0x12: case -0x13: case -0x14: case -0x15:
  case -0x16: case -0x17: case -0x0d: case -0x0e: case -0x0f: case -0x0c:
    return true;
  }
  return false;
}

static wd_status read_valtype_code(wd_featureset *feats, wd_cursor *c, wd_valtype *out,
                                   bool packed_ok, const char *desc) {
  uint64_t at = c->pos;
  uint8_t b;
  wd_status s = wd_cur_u8(c, &b, desc);
  if (s) return s;
  out->code = b;
  out->heap = 0;
  switch (b) {
  case WD_VT_I32: case WD_VT_I64: case WD_VT_F32: case WD_VT_F64: case WD_VT_V128:
  case WD_VT_FUNCREF: case WD_VT_EXTERNREF: case WD_VT_ANYREF: case WD_VT_EQREF:
  case WD_VT_I31REF: case WD_VT_STRUCTREF: case WD_VT_ARRAYREF: case WD_VT_EXNREF:
  case WD_VT_NULLREF: case WD_VT_NULLFUNCREF: case WD_VT_NULLEXTERNREF:
  case WD_VT_NULLEXNREF:
    break;
  case WD_VT_I8: case WD_VT_I16:
    if (!packed_ok) goto bad;
    break;
  case WD_VT_REF: case WD_VT_REF_NULL: {
    int64_t h;
    uint64_t hat = c->pos;
    s = wd_cur_s33(c, &h, desc);
    if (s) return s;
    if (h < 0 && !is_heap_abstract(h))
      return wd_cur_fail_at(c, hat, N_("%s: invalid heap type 0x%02x"), WD_WORD(desc),
                            (unsigned)(h & 0x7f));
    out->heap = h;
    break;
  }
  default:
  bad:
    return wd_cur_fail_at(c, at, N_("%s: invalid value type 0x%02x"), WD_WORD(desc), b);
  }
  note_valtype_features(feats, out);
  return WD_OK;
}

wd_status wdi_read_valtype(wdi_reader *r, wd_cursor *c, wd_valtype *out, const char *desc) {
  return read_valtype_code(&r->m->features, c, out, false, desc);
}

wd_status wdi_read_reftype(wdi_reader *r, wd_cursor *c, wd_valtype *out, const char *desc) {
  uint64_t at = c->pos;
  wd_status s = read_valtype_code(&r->m->features, c, out, false, desc);
  if (s) return s;
  switch (out->code) {
  case WD_VT_I32: case WD_VT_I64: case WD_VT_F32: case WD_VT_F64: case WD_VT_V128:
    return wd_cur_fail_at(c, at, N_("%s: expected a reference type, found 0x%02x"), WD_WORD(desc),
                          out->code);
  }
  return WD_OK;
}

wd_status wdi_read_limits(wdi_reader *r, wd_cursor *c, wd_limits *out, bool memory,
                          const char *desc) {
  uint64_t at = c->pos;
  uint8_t flags;
  wd_status s = wd_cur_u8(c, &flags, desc);
  if (s) return s;
  unsigned allowed = memory ? 0x0f : 0x05;
  if (flags & ~allowed)
    return wd_cur_fail_at(c, at, N_("%s: malformed limits flags 0x%02x"), WD_WORD(desc), flags);
  memset(out, 0, sizeof *out);
  out->flags = flags;
  out->has_max = flags & 1;
  out->shared = (flags & 2) != 0;
  out->is64 = (flags & 4) != 0;
  out->page_size_log2 = 16;
  if (out->is64) {
    if ((s = wd_cur_u64(c, &out->min, N_("limits initial")))) return s;
    if (out->has_max && (s = wd_cur_u64(c, &out->max, N_("limits maximum")))) return s;
  } else {
    uint32_t v;
    if ((s = wd_cur_u32(c, &v, N_("limits initial")))) return s;
    out->min = v;
    if (out->has_max) {
      if ((s = wd_cur_u32(c, &v, N_("limits maximum")))) return s;
      out->max = v;
    }
  }
  if (flags & 8) {
    uint32_t log2;
    uint64_t pat = c->pos;
    if ((s = wd_cur_u32(c, &log2, N_("page size")))) return s;
    if (log2 != 0 && log2 != 16)
      return wd_cur_fail_at(c, pat, N_("%s: invalid custom page size 2^%u"), WD_WORD(desc), log2);
    out->page_size_log2 = log2;
  }
  if (out->shared && !out->has_max)
    return wd_cur_fail_at(c, at, N_("%s: shared memory must have a maximum"), WD_WORD(desc));
  if (out->has_max && out->max < out->min)
    return wd_cur_fail_at(c, at, N_("%s: maximum %llu is less than initial %llu"), WD_WORD(desc),
                          (unsigned long long)out->max, (unsigned long long)out->min);
  if (memory) {
    if (out->shared) WDI_FEATURE(r->m, WD_FEAT_THREADS);
    if (out->is64) WDI_FEATURE(r->m, WD_FEAT_MEMORY64);
  } else if (out->is64) {
    WDI_FEATURE(r->m, WD_FEAT_MEMORY64);
  }
  return WD_OK;
}

/* ---- constant expressions -------------------------------------------- */

wd_status wdi_read_constexpr(wdi_reader *r, wd_cursor *c, wd_constexpr *out, const char *desc) {
  uint64_t start = c->pos, end;
  wd_status s = wdi_decode_expr(&r->code, c->base, start, c->end, WDI_EXPR_CONST, &end,
                                r->err);
  if (s) {
    (void)desc;
    return s;
  }
  memset(out, 0, sizeof *out);
  out->offset = start;
  out->size = (uint32_t)(end - start);
  out->kind = WD_CONST_OTHER;
  /* Recognise the single-instruction forms to record their value. */
  const uint8_t *p = c->base + start, *e = c->base + end - 1; /* e: the end opcode */
  int n;
  switch (p[0]) {
  case 0x41: {
    int32_t v;
    n = wd_leb_s32(p + 1, e, &v);
    if (n > 0 && p + 1 + n == e) { out->kind = WD_CONST_I32; out->value = v; }
    break;
  }
  case 0x42: {
    int64_t v;
    n = wd_leb_s64(p + 1, e, &v);
    if (n > 0 && p + 1 + n == e) { out->kind = WD_CONST_I64; out->value = v; }
    break;
  }
  case 0x43:
    if (e - p == 5) {
      uint32_t bits = (uint32_t)p[1] | (uint32_t)p[2] << 8 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 24;
      out->kind = WD_CONST_F32;
      out->value = bits;
    }
    break;
  case 0x44:
    if (e - p == 9) {
      uint64_t bits = 0;
      for (int i = 8; i >= 1; i--) bits = bits << 8 | p[i];
      out->kind = WD_CONST_F64;
      out->value = (int64_t)bits;
    }
    break;
  case 0x23:
  case 0xd2: {
    uint32_t v;
    n = wd_leb_u32(p + 1, e, &v);
    if (n > 0 && p + 1 + n == e) {
      out->kind = p[0] == 0x23 ? WD_CONST_GLOBAL_GET : WD_CONST_REF_FUNC;
      out->index = v;
    }
    break;
  }
  case 0xd0: {
    int64_t h;
    n = wd_leb_s33(p + 1, e, &h);
    if (n > 0 && p + 1 + n == e) { out->kind = WD_CONST_REF_NULL; out->value = h; }
    break;
  }
  case 0xfd:
    if (e - p == 18 && p[1] == 0x0c) out->kind = WD_CONST_V128;
    break;
  }
  c->pos = end;
  return WD_OK;
}

/* ---- bytes still arriving --------------------------------------------- */

/* Whether the bytes before `upto` are in (wd_file_have). False when the read
 * ended before them: the caller stops parsing, and wd_module_open goes by
 * how the read ended. */
static bool arrived(wdi_reader *r, uint64_t upto) {
  return wd_file_have(r->arriving, &r->arrived, upto, r->cur.size);
}

/* ---- sections ---------------------------------------------------------- */

static wd_status read_type_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 1, N_("type count"));
  if (s) return s;
  /* A rec group can hold several types: grow as needed. */
  uint32_t cap = count, n = 0;
  if ((s = ALLOC_ARRAY(r, m->types, cap))) return s;
  for (uint32_t g = 0; g < count; g++) {
    uint64_t at = c->pos;
    uint8_t form;
    if ((s = wd_cur_u8(c, &form, N_("type form")))) return s;
    uint32_t nsub = 1;
    bool rec = false;
    if (form == 0x4e) {
      rec = true;
      WDI_FEATURE(m, WD_FEAT_GC);
      if ((s = wd_cur_count(c, &nsub, 1, N_("rec group size")))) return s;
    } else {
      c->pos = at;
    }
    if (n + (uint64_t)nsub > UINT32_MAX) return wd_cur_fail_at(c, at, N_("too many types"));
    if (n + nsub > cap) {
      uint32_t ncap = cap * 2 > n + nsub ? cap * 2 : n + nsub;
      wd_type *nt;
      if ((s = ALLOC_ARRAY(r, nt, ncap))) return s;
      if (n) memcpy(nt, m->types, n * sizeof *nt);
      m->types = nt;
      cap = ncap;
    }
    for (uint32_t k = 0; k < nsub; k++) {
      wd_type *t = &m->types[n];
      t->offset = c->pos;
      t->rec_group = g;
      t->is_final = true;
      uint64_t fat = c->pos;
      if ((s = wd_cur_u8(c, &form, N_("type form")))) return s;
      if (form == 0x50 || form == 0x4f) {
        WDI_FEATURE(m, WD_FEAT_GC);
        t->is_final = form == 0x4f;
        if ((s = wd_cur_count(c, &t->nsupertypes, 1, N_("supertype count")))) return s;
        for (uint32_t i = 0; i < t->nsupertypes; i++) {
          uint32_t idx;
          if ((s = wd_cur_u32(c, &idx, N_("supertype index")))) return s;
        }
        fat = c->pos;
        if ((s = wd_cur_u8(c, &form, N_("type form")))) return s;
      }
      t->kind = form;
      if (form == WD_COMP_FUNC) {
        if ((s = wd_cur_count(c, &t->nparams, 1, N_("parameter count")))) return s;
        if ((s = ALLOC_ARRAY(r, t->params, t->nparams))) return s;
        for (uint32_t i = 0; i < t->nparams; i++)
          if ((s = wdi_read_valtype(r, c, &t->params[i], N_("parameter type")))) return s;
        if ((s = wd_cur_count(c, &t->nresults, 1, N_("result count")))) return s;
        if ((s = ALLOC_ARRAY(r, t->results, t->nresults))) return s;
        for (uint32_t i = 0; i < t->nresults; i++)
          if ((s = wdi_read_valtype(r, c, &t->results[i], N_("result type")))) return s;
        if (t->nresults > 1) WDI_FEATURE(m, WD_FEAT_MULTI_VALUE);
      } else if (form == WD_COMP_STRUCT || form == WD_COMP_ARRAY) {
        WDI_FEATURE(m, WD_FEAT_GC);
        uint32_t nfields = 1;
        if (form == WD_COMP_STRUCT &&
            (s = wd_cur_count(c, &nfields, 2, N_("field count"))))
          return s;
        t->nparams = nfields;
        if ((s = ALLOC_ARRAY(r, t->params, nfields))) return s;
        for (uint32_t i = 0; i < nfields; i++) {
          if ((s = read_valtype_code(&m->features, c, &t->params[i], true, N_("field type")))) return s;
          uint64_t mat = c->pos;
          uint8_t mut;
          if ((s = wd_cur_u8(c, &mut, N_("field mutability")))) return s;
          if (mut > 1)
            return wd_cur_fail_at(c, mat, N_("malformed mutability 0x%02x"), mut);
        }
      } else {
        return wd_cur_fail_at(c, fat, N_("type %u: unknown type form 0x%02x"), n, form);
      }
      if (!rec) t->rec_group = n;
      n++;
    }
  }
  m->ntypes = n;
  sr->r->code.ntypes = n;
  return WD_OK;
}

static wd_status check_type_index(section_reader *sr, wd_cursor *c, uint64_t at, uint32_t idx,
                                  bool must_be_func) {
  wd_module *m = sr->r->m;
  if (idx >= m->ntypes)
    return wd_cur_fail_at(c, at, N_("type index %u out of range (%u types)"), idx, m->ntypes);
  if (must_be_func && m->types[idx].kind != WD_COMP_FUNC)
    return wd_cur_fail_at(c, at, N_("type index %u is not a function type"), idx);
  return WD_OK;
}

static wd_status read_import_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 4, N_("import count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, m->imports, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_import *im = &m->imports[i];
    im->offset = c->pos;
    if ((s = wd_cur_name(c, &im->module, N_("import module name")))) return s;
    if ((s = wd_cur_name(c, &im->name, N_("import field name")))) return s;
    uint64_t kat = c->pos;
    if ((s = wd_cur_u8(c, &im->kind, N_("import kind")))) return s;
    switch (im->kind) {
    case WD_EXTERN_FUNC: {
      uint64_t at = c->pos;
      if ((s = wd_cur_u32(c, &im->u.func_type, N_("import type index")))) return s;
      if ((s = check_type_index(sr, c, at, im->u.func_type, true))) return s;
      if (has_i64(&m->types[im->u.func_type])) WDI_FEATURE(m, WD_FEAT_BIGINT);
      im->kind_index = m->nimported_funcs++;
      break;
    }
    case WD_EXTERN_TABLE:
      if ((s = wdi_read_reftype(r, c, &im->u.table.elem, N_("import table element type")))) return s;
      if ((s = wdi_read_limits(r, c, &im->u.table.limits, false, N_("import table limits")))) return s;
      im->kind_index = m->nimported_tables++;
      break;
    case WD_EXTERN_MEMORY:
      if ((s = wdi_read_limits(r, c, &im->u.memory, true, N_("import memory limits")))) return s;
      im->kind_index = m->nimported_memories++;
      break;
    case WD_EXTERN_GLOBAL: {
      if ((s = wdi_read_valtype(r, c, &im->u.global.type, N_("import global type")))) return s;
      uint64_t at = c->pos;
      uint8_t mut;
      if ((s = wd_cur_u8(c, &mut, N_("import global mutability")))) return s;
      if (mut > 1) return wd_cur_fail_at(c, at, N_("malformed mutability 0x%02x"), mut);
      im->u.global.is_mutable = mut;
      if (mut) WDI_FEATURE(m, WD_FEAT_MUTABLE_GLOBALS);
      if (im->u.global.type.code == WD_VT_I64) WDI_FEATURE(m, WD_FEAT_BIGINT);
      im->kind_index = m->nimported_globals++;
      break;
    }
    case WD_EXTERN_TAG: {
      uint64_t at = c->pos;
      if ((s = wd_cur_u8(c, &im->u.tag.attribute, N_("tag attribute")))) return s;
      if (im->u.tag.attribute != 0)
        return wd_cur_fail_at(c, at, N_("malformed tag attribute 0x%02x"), im->u.tag.attribute);
      at = c->pos;
      if ((s = wd_cur_u32(c, &im->u.tag.type, N_("tag type index")))) return s;
      if ((s = check_type_index(sr, c, at, im->u.tag.type, true))) return s;
      WDI_FEATURE(m, WD_FEAT_EXCEPTIONS_LEGACY);
      im->kind_index = m->nimported_tags++;
      break;
    }
    default:
      return wd_cur_fail_at(c, kat, N_("import %u: malformed import kind 0x%02x"), i, im->kind);
    }
  }
  m->nimports = count;
  if (m->nimported_memories > 1) WDI_FEATURE(m, WD_FEAT_MULTI_MEMORY);
  if (m->nimported_tables > 1) WDI_FEATURE(m, WD_FEAT_REFERENCE_TYPES);
  return WD_OK;
}

static wd_status read_function_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 1, N_("function count"));
  if (s) return s;
  /* The whole function index space at once: the imports are all read by
   * now, and finish_index_spaces puts their types in front instead of
   * copying these into an array of its own. */
  uint32_t *all;
  if ((s = ALLOC_ARRAY(r, all, (uint64_t)m->nimported_funcs + count))) return s;
  uint32_t *types = all + m->nimported_funcs;
  sr->def.func_types = types;
  sr->def.func_types_in_space = true;
  /* Type indices below 128 take one byte: those are checked here, the
   * rest as wd_cur_u32 reads them (on the 37.7 MB Godot engine, 69,746
   * entries: 0.2 ms in place of 1.2-1.5 ms with a call per entry). */
  const uint8_t *p = c->base;
  uint64_t pos = c->pos, end = c->end;
  for (uint32_t i = 0; i < count; i++) {
    if (pos < end && p[pos] < 0x80 && p[pos] < m->ntypes && m->types[p[pos]].kind == WD_COMP_FUNC) {
      types[i] = p[pos++];
      continue;
    }
    c->pos = pos;
    uint64_t at = c->pos;
    if ((s = wd_cur_u32(c, &types[i], N_("function type index")))) return s;
    if ((s = check_type_index(sr, c, at, types[i], true))) return s;
    pos = c->pos;
  }
  c->pos = pos;
  sr->def.nfuncs = count;
  sr->def.have_function_section = true;
  return WD_OK;
}

static wd_status read_table_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 2, N_("table count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, sr->def.tables, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_table *t = &sr->def.tables[i];
    if (wd_cur_left(c) >= 2 && c->base[c->pos] == 0x40) {
      uint64_t at = c->pos;
      c->pos++;
      uint8_t zero;
      if ((s = wd_cur_u8(c, &zero, N_("table form")))) return s;
      if (zero != 0) return wd_cur_fail_at(c, at, N_("malformed table form 0x40 0x%02x"), zero);
      t->has_init = true;
      WDI_FEATURE(r->m, WD_FEAT_FUNCTION_REFERENCES);
    }
    if ((s = wdi_read_reftype(r, c, &t->type.elem, N_("table element type")))) return s;
    if ((s = wdi_read_limits(r, c, &t->type.limits, false, N_("table limits")))) return s;
    if (t->has_init && (s = wdi_read_constexpr(r, c, &t->init, N_("table initializer"))))
      return s;
  }
  sr->def.ntables = count;
  if (r->m->nimported_tables + count > 1) WDI_FEATURE(r->m, WD_FEAT_REFERENCE_TYPES);
  return WD_OK;
}

static wd_status read_memory_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 2, N_("memory count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, sr->def.memories, count))) return s;
  for (uint32_t i = 0; i < count; i++)
    if ((s = wdi_read_limits(r, c, &sr->def.memories[i], true, N_("memory limits")))) return s;
  sr->def.nmemories = count;
  if (r->m->nimported_memories + count > 1) WDI_FEATURE(r->m, WD_FEAT_MULTI_MEMORY);
  return WD_OK;
}

static wd_status read_tag_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 2, N_("tag count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, sr->def.tags, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_tagtype *t = &sr->def.tags[i];
    uint64_t at = c->pos;
    if ((s = wd_cur_u8(c, &t->attribute, N_("tag attribute")))) return s;
    if (t->attribute != 0)
      return wd_cur_fail_at(c, at, N_("malformed tag attribute 0x%02x"), t->attribute);
    at = c->pos;
    if ((s = wd_cur_u32(c, &t->type, N_("tag type index")))) return s;
    if ((s = check_type_index(sr, c, at, t->type, true))) return s;
  }
  sr->def.ntags = count;
  if (count) WDI_FEATURE(r->m, WD_FEAT_EXCEPTIONS_LEGACY);
  return WD_OK;
}

static wd_status read_global_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 3, N_("global count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, sr->def.globals, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_global *g = &sr->def.globals[i];
    if ((s = wdi_read_valtype(r, c, &g->type.type, N_("global type")))) return s;
    uint64_t at = c->pos;
    uint8_t mut;
    if ((s = wd_cur_u8(c, &mut, N_("global mutability")))) return s;
    if (mut > 1) return wd_cur_fail_at(c, at, N_("malformed mutability 0x%02x"), mut);
    g->type.is_mutable = mut;
    if ((s = wdi_read_constexpr(r, c, &g->init, N_("global initializer")))) return s;
  }
  sr->def.nglobals = count;
  return WD_OK;
}

static uint32_t space_size(const section_reader *sr, uint8_t kind) {
  const wd_module *m = sr->r->m;
  switch (kind) {
  case WD_EXTERN_FUNC: return m->nimported_funcs + sr->def.nfuncs;
  case WD_EXTERN_TABLE: return m->nimported_tables + sr->def.ntables;
  case WD_EXTERN_MEMORY: return m->nimported_memories + sr->def.nmemories;
  case WD_EXTERN_GLOBAL: return m->nimported_globals + sr->def.nglobals;
  case WD_EXTERN_TAG: return m->nimported_tags + sr->def.ntags;
  }
  return 0;
}

static wd_status read_export_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 3, N_("export count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, m->exports, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_export *e = &m->exports[i];
    e->offset = c->pos;
    if ((s = wd_cur_name(c, &e->name, N_("export name")))) return s;
    uint64_t kat = c->pos;
    if ((s = wd_cur_u8(c, &e->kind, N_("export kind")))) return s;
    if (e->kind > WD_EXTERN_TAG)
      return wd_cur_fail_at(c, kat, N_("export %u: malformed export kind 0x%02x"), i, e->kind);
    uint64_t at = c->pos;
    if ((s = wd_cur_u32(c, &e->index, N_("export index")))) return s;
    uint32_t n = space_size(sr, e->kind);
    if (e->index >= n)
      return wd_cur_fail_at(c, at, N_("export '%.*s': %s index %u out of range (%u)"),
                            (int)e->name.len, e->name.ptr, wd_extern_kind_name(e->kind),
                            e->index, n);
    if (e->kind == WD_EXTERN_GLOBAL) {
      const wd_globaltype *gt = e->index < m->nimported_globals
          ? NULL : &sr->def.globals[e->index - m->nimported_globals].type;
      if (!gt) {
        for (uint32_t k = 0; k < m->nimports; k++)
          if (m->imports[k].kind == WD_EXTERN_GLOBAL && m->imports[k].kind_index == e->index)
            gt = &m->imports[k].u.global;
      }
      if (gt && gt->is_mutable) WDI_FEATURE(m, WD_FEAT_MUTABLE_GLOBALS);
      if (gt && gt->type.code == WD_VT_I64) WDI_FEATURE(m, WD_FEAT_BIGINT);
    } else if (e->kind == WD_EXTERN_FUNC) {
      uint32_t ti;
      if (e->index < m->nimported_funcs) {
        ti = UINT32_MAX;
        for (uint32_t k = 0; k < m->nimports; k++)
          if (m->imports[k].kind == WD_EXTERN_FUNC && m->imports[k].kind_index == e->index)
            ti = m->imports[k].u.func_type;
      } else {
        ti = sr->def.func_types[e->index - m->nimported_funcs];
      }
      if (ti < m->ntypes && has_i64(&m->types[ti])) WDI_FEATURE(m, WD_FEAT_BIGINT);
    } else if (e->kind == WD_EXTERN_TAG) {
      WDI_FEATURE(m, WD_FEAT_EXCEPTIONS_LEGACY);
    }
  }
  m->nexports = count;
  return WD_OK;
}

static wd_status read_start_section(section_reader *sr, wd_cursor *c) {
  wd_module *m = sr->r->m;
  uint64_t at = c->pos;
  wd_status s = wd_cur_u32(c, &m->start, N_("start function index"));
  if (s) return s;
  if (m->start >= space_size(sr, WD_EXTERN_FUNC))
    return wd_cur_fail_at(c, at, N_("start function index %u out of range"), m->start);
  m->has_start = true;
  return WD_OK;
}

/* An unsigned LEB128 of one to three bytes (a value below 2^21) read in
 * place, where at least three bytes are left: its length, or 0 when the
 * general reader (wd_cur_u32, with its errors) must take it. No such
 * encoding is too long or too large, so it needs no check. */
static inline unsigned short_u32(const uint8_t *p, uint64_t left, uint32_t *out) {
  if (left < 3) return 0;
  if (p[0] < 0x80) {
    *out = p[0];
    return 1;
  }
  if (p[1] < 0x80) {
    *out = (uint32_t)(p[0] & 0x7f) | (uint32_t)p[1] << 7;
    return 2;
  }
  if (p[2] < 0x80) {
    *out = (uint32_t)(p[0] & 0x7f) | (uint32_t)(p[1] & 0x7f) << 7 | (uint32_t)p[2] << 14;
    return 3;
  }
  return 0;
}

static wd_status read_elem_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 1, N_("element segment count"));
  if (s) return s;
  if ((s = ALLOC_ARRAY(r, m->elems, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_elem *e = &m->elems[i];
    e->offset_in_file = c->pos;
    uint64_t at = c->pos;
    if ((s = wd_cur_u32(c, &e->flags, N_("element segment flags")))) return s;
    if (e->flags > 7)
      return wd_cur_fail_at(c, at, N_("element segment %u: malformed flags %u"), i, e->flags);
    bool passive_or_decl = e->flags & 1;
    bool explicit_table = (e->flags & 3) == 2;
    e->uses_exprs = e->flags & 4;
    e->mode = passive_or_decl ? ((e->flags & 2) ? WD_SEG_DECLARATIVE : WD_SEG_PASSIVE) : WD_SEG_ACTIVE;
    e->type.code = WD_VT_FUNCREF;
    if (e->flags != 0 && e->flags != 4) WDI_FEATURE(m, WD_FEAT_REFERENCE_TYPES);
    if (e->mode == WD_SEG_PASSIVE) WDI_FEATURE(m, WD_FEAT_BULK_MEMORY);
    if (explicit_table && (s = wd_cur_u32(c, &e->table, N_("element segment table index"))))
      return s;
    if (e->mode == WD_SEG_ACTIVE &&
        (s = wdi_read_constexpr(r, c, &e->offset, N_("element segment offset"))))
      return s;
    if (e->flags & 3) { /* an elemkind or reftype is present */
      if (e->uses_exprs) {
        if ((s = wdi_read_reftype(r, c, &e->type, N_("element segment type")))) return s;
      } else {
        uint64_t kat = c->pos;
        uint8_t kind;
        if ((s = wd_cur_u8(c, &kind, N_("element kind")))) return s;
        if (kind != 0) return wd_cur_fail_at(c, kat, N_("malformed element kind 0x%02x"), kind);
      }
    }
    if ((s = wd_cur_count(c, &e->count, 1, N_("element count")))) return s;
    uint32_t nfuncs = space_size(sr, WD_EXTERN_FUNC);
    if (e->uses_exprs) {
      for (uint32_t k = 0; k < e->count; k++) {
        wd_constexpr ce;
        if ((s = wdi_read_constexpr(r, c, &ce, N_("element expression")))) return s;
      }
      continue;
    }
    /* Function indices of up to three bytes that are in range are read
     * here, the rest as wd_cur_u32 reads them, with its errors. The Godot
     * 4.6 engine's one table segment has 82,890 indices: a call per index
     * cost 4.6 million instructions more (0.3-0.45 ms before the code
     * section can start). */
    uint64_t pos = c->pos;
    for (uint32_t k = 0; k < e->count; k++) {
      uint32_t f;
      unsigned len = short_u32(c->base + pos, c->end - pos, &f);
      if (len && f < nfuncs) {
        pos += len;
        continue;
      }
      c->pos = pos;
      uint64_t fat = c->pos;
      if ((s = wd_cur_u32(c, &f, N_("element function index")))) return s;
      if (f >= nfuncs)
        return wd_cur_fail_at(c, fat, N_("element segment %u: function index %u out of range (%u)"),
                              i, f, nfuncs);
      pos = c->pos;
    }
    c->pos = pos;
  }
  m->nelems = count;
  return WD_OK;
}

static wd_status read_datacount_section(section_reader *sr, wd_cursor *c) {
  wd_module *m = sr->r->m;
  wd_status s = wd_cur_u32(c, &m->datacount, N_("data count"));
  if (s) return s;
  m->has_datacount = true;
  WDI_FEATURE(m, WD_FEAT_BULK_MEMORY);
  return WD_OK;
}

static wd_status read_code_section(section_reader *sr, wd_cursor *c, const wd_section *sec) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 2, N_("function body count"));
  if (s) return s;
  if (count != sr->def.nfuncs)
    return wd_cur_fail_at(c, sec->payload_offset,
                          N_("the code section has %u function bodies but the function section declares %u functions"),
                          count, sr->def.nfuncs);
  m->code.bytes = sec->size;
  if (r->opts.skip_code) {
    /* Nothing asked of such a module needs the bodies: the section is
     * taken as its header says, and no body is framed (on the 37.7 MB
     * Godot engine, framing its 69,746 bodies was most of the time
     * inspect --sections took). */
    m->nbodies = count;
    sr->def.have_code_section = true;
    c->pos = c->end;
    return WD_OK;
  }
  if ((s = ALLOC_ARRAY(r, m->bodies, count))) return s;
  /* Each body's size, locals and instructions, across threads
   * (wdi_decode_bodies); the first error in file order is reported. */
  wdi_bodies_result res;
  wd_featureset before = r->code.features; /* from constant expressions */
  uint64_t end;
  s = wdi_decode_bodies(c, m->bodies, count, r->code.ntypes, r->opts.threads, r->arriving, &res, &end,
                        r->err);
  if (s) {
    r->err->func = (int64_t)m->nimported_funcs + res.failed;
    return s;
  }
  c->pos = end;
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++)
    if (res.first_body[f] >= 0 && !(before & (1u << f)) && m->feature_first_func[f] < 0)
      m->feature_first_func[f] = (int64_t)m->nimported_funcs + res.first_body[f];
  m->features |= res.local_features;
  r->code.features |= res.features;
  r->code.instructions += res.instructions;
  if (res.max_depth > r->code.max_depth) r->code.max_depth = res.max_depth;
  m->nbodies = count;
  sr->def.have_code_section = true;
  m->code.decoded = true;
  m->code.instructions = sr->r->code.instructions;
  m->code.max_depth = sr->r->code.max_depth;
  return WD_OK;
}

wd_status wdi_body_size(wd_cursor *c, uint32_t *size) {
  uint64_t at = c->pos;
  unsigned len = short_u32(c->base + at, c->end - at, size);
  if (len) {
    c->pos = at + len;
  } else {
    wd_status s = wd_cur_u32(c, size, N_("function body size"));
    if (s) return s;
  }
  if (*size > wd_cur_left(c))
    return wd_cur_fail_at(c, at,
                          N_("function body of %u bytes runs past the end of the code section (%llu bytes left)"),
                          *size, (unsigned long long)wd_cur_left(c));
  return WD_OK;
}

wd_status wdi_frame_locals(wd_cursor *c, wd_func_body *b, wd_featureset *feats) {
  /* Most bodies declare fewer than 128 groups of fewer than 128 locals of
   * i32, i64, f32 or f64 (types without features): those are read in
   * place, anything else by the general path below from the start, with
   * its errors. On the Godot 4.6 engine (69,746 bodies) the calls per
   * group cost about 9 million instructions. */
  const uint8_t *p = c->base;
  uint64_t pos = c->pos;
  if (pos < c->end && p[pos] < 0x80 && (uint64_t)p[pos] * 2 <= c->end - pos - 1) {
    uint32_t ngroups = p[pos], k = 0;
    uint64_t q = pos + 1, nlocals = b->nlocals;
    for (; k < ngroups; k++, q += 2) {
      if (p[q] >= 0x80 || p[q + 1] < WD_VT_F64 || p[q + 1] > WD_VT_I32) break;
      nlocals += p[q];
    }
    if (k == ngroups && nlocals <= 50000) {
      b->nlocals = nlocals;
      c->pos = q;
      b->code_offset = q;
      return WD_OK;
    }
  }
  wd_status s;
  uint32_t ngroups;
  if ((s = wd_cur_count(c, &ngroups, 2, N_("local declaration count")))) return s;
  for (uint32_t k = 0; k < ngroups; k++) {
    uint64_t at = c->pos;
    uint32_t n;
    wd_valtype vt;
    if ((s = wd_cur_u32(c, &n, N_("local count")))) return s;
    if ((s = read_valtype_code(feats, c, &vt, false, N_("local type")))) return s;
    b->nlocals += n;
    if (b->nlocals > 50000)
      return wd_cur_fail_at(c, at, N_("too many locals (%llu; engines allow 50000)"),
                            (unsigned long long)b->nlocals);
  }
  b->code_offset = c->pos;
  return WD_OK;
}

static wd_status read_data_section(section_reader *sr, wd_cursor *c) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  uint32_t count;
  wd_status s = wd_cur_count(c, &count, 1, N_("data segment count"));
  if (s) return s;
  if (m->has_datacount && count != m->datacount)
    return wd_cur_fail_at(c, c->pos, N_("the data section has %u segments but the data count section says %u"),
                          count, m->datacount);
  if ((s = ALLOC_ARRAY(r, m->datas, count))) return s;
  for (uint32_t i = 0; i < count; i++) {
    wd_data *d = &m->datas[i];
    d->offset_in_file = c->pos;
    uint64_t at = c->pos;
    if ((s = wd_cur_u32(c, &d->flags, N_("data segment flags")))) return s;
    if (d->flags > 2)
      return wd_cur_fail_at(c, at, N_("data segment %u: malformed flags %u"), i, d->flags);
    d->mode = d->flags == 1 ? WD_SEG_PASSIVE : WD_SEG_ACTIVE;
    if (d->flags == 1) WDI_FEATURE(m, WD_FEAT_BULK_MEMORY);
    if (d->flags == 2) {
      if ((s = wd_cur_u32(c, &d->memory, N_("data segment memory index")))) return s;
      if (d->memory) WDI_FEATURE(m, WD_FEAT_MULTI_MEMORY);
    }
    if (d->mode == WD_SEG_ACTIVE &&
        (s = wdi_read_constexpr(r, c, &d->offset, N_("data segment offset"))))
      return s;
    if ((s = wd_cur_u32(c, &d->size, N_("data segment size")))) return s;
    d->data_offset = c->pos;
    const uint8_t *bytes;
    if ((s = wd_cur_bytes(c, d->size, &bytes, N_("data segment bytes")))) return s;
  }
  m->ndatas = count;
  return WD_OK;
}

/* Build the index spaces: imported entries first, then the defined ones. */
static wd_status finish_index_spaces(section_reader *sr) {
  wdi_reader *r = sr->r;
  wd_module *m = r->m;
  defined_parts *d = &sr->def;
  wd_status s;
  m->nfuncs = m->nimported_funcs + d->nfuncs;
  m->ntables = m->nimported_tables + d->ntables;
  m->nmemories = m->nimported_memories + d->nmemories;
  m->nglobals = m->nimported_globals + d->nglobals;
  m->ntags = m->nimported_tags + d->ntags;
  if (d->func_types_in_space) m->func_types = d->func_types - m->nimported_funcs;
  else if ((s = ALLOC_ARRAY(r, m->func_types, m->nfuncs))) return s;
  if ((s = ALLOC_ARRAY(r, m->table_types, m->ntables))) return s;
  if ((s = ALLOC_ARRAY(r, m->memories, m->nmemories))) return s;
  if ((s = ALLOC_ARRAY(r, m->global_types, m->nglobals))) return s;
  if ((s = ALLOC_ARRAY(r, m->tags, m->ntags))) return s;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const wd_import *im = &m->imports[i];
    switch (im->kind) {
    case WD_EXTERN_FUNC: m->func_types[im->kind_index] = im->u.func_type; break;
    case WD_EXTERN_TABLE: m->table_types[im->kind_index] = im->u.table; break;
    case WD_EXTERN_MEMORY: m->memories[im->kind_index] = im->u.memory; break;
    case WD_EXTERN_GLOBAL: m->global_types[im->kind_index] = im->u.global; break;
    case WD_EXTERN_TAG: m->tags[im->kind_index] = im->u.tag; break;
    }
  }
  if (!d->func_types_in_space)
    for (uint32_t i = 0; i < d->nfuncs; i++) m->func_types[m->nimported_funcs + i] = d->func_types[i];
  for (uint32_t i = 0; i < d->ntables; i++) m->table_types[m->nimported_tables + i] = d->tables[i].type;
  for (uint32_t i = 0; i < d->nmemories; i++) m->memories[m->nimported_memories + i] = d->memories[i];
  for (uint32_t i = 0; i < d->nglobals; i++) m->global_types[m->nimported_globals + i] = d->globals[i].type;
  for (uint32_t i = 0; i < d->ntags; i++) m->tags[m->nimported_tags + i] = d->tags[i];
  m->tables = d->tables;
  m->globals = d->globals;
  return WD_OK;
}

static wd_status add_section(wdi_reader *r, const wd_section *sec, uint32_t *cap) {
  wd_module *m = r->m;
  if (m->nsections == *cap) {
    uint32_t ncap = *cap ? *cap * 2 : 16;
    wd_section *n = wd_arena_array(r->arena, ncap, sizeof *n);
    if (!n) return nomem(r);
    if (m->nsections) memcpy(n, m->sections, m->nsections * sizeof *n);
    m->sections = n;
    *cap = ncap;
  }
  m->sections[m->nsections++] = *sec;
  return WD_OK;
}

static wd_status read_header(wdi_reader *r, wd_cursor *c) {
  const uint8_t *p = c->base;
  if (c->size < 4 || memcmp(p, "\0asm", 4) != 0) {
    char found[64] = "";
    size_t n = c->size < 4 ? (size_t)c->size : 4;
    for (size_t i = 0; i < n; i++)
      snprintf(found + strlen(found), sizeof found - strlen(found), "%s%02x", i ? " " : "", p[i]);
    if (n == 0) return wd_cur_fail_at(c, 0, "%s", W_("empty file: expected the magic number 00 61 73 6d"));
    if (c->size >= 4 && (p[0] == '<' || (p[0] == 0xef && p[1] == 0xbb)))
      return wd_cur_fail_at(c, 0, N_("expected magic number 00 61 73 6d, found %s: this looks like an HTML or text page, not WebAssembly"), found);
    if (c->size >= 2 && p[0] == 0x1f && p[1] == 0x8b)
      return wd_cur_fail_at(c, 0, N_("expected magic number 00 61 73 6d, found %s: this is gzip-compressed data"), found);
    return wd_cur_fail_at(c, 0, N_("expected magic number 00 61 73 6d, found %s"), found);
  }
  c->pos = 4;
  uint32_t version;
  wd_status s = wd_cur_le32(c, &version, N_("version"));
  if (s) return s;
  if (version == 0x0001000d)
    return wd_cur_fail_at(c, 4, "%s", W_("this is a WebAssembly component, not a core module"));
  if (version != 1)
    return wd_cur_fail_at(c, 4, N_("unsupported version %u (expected 1)"), version);
  r->m->version = version;
  return WD_OK;
}

static wd_status read_sections(section_reader *sr) {
  wdi_reader *r = sr->r;
  wd_cursor *c = &r->cur;
  wd_status s;
  uint32_t cap = 0;
  if (!arrived(r, 8)) return WD_ERR_IO;
  if ((s = read_header(r, c))) return s;
  while (!wd_cur_eof(c)) {
    wd_section sec = {0};
    sec.offset = c->pos;
    /* the id and size, then the payload (of the code section, its count:
     * the bodies are waited for one by one) */
    if (!arrived(r, c->pos + 6)) return WD_ERR_IO;
    if ((s = wd_cur_u8(c, &sec.id, N_("section id")))) return s;
    if (sec.id > WD_SEC_TAG)
      return wd_cur_fail_at(c, sec.offset, N_("unknown section id %u"), sec.id);
    uint32_t size;
    if ((s = wd_cur_u32(c, &size, N_("section size")))) return s;
    sec.payload_offset = c->pos;
    sec.size = size;
    if (size > wd_cur_left(c))
      return wd_cur_fail_at(c, sec.offset,
                            N_("%s section size %u runs past the end of the file (%llu bytes left)"),
                            wd_section_name(sec.id), size, (unsigned long long)wd_cur_left(c));
    if (!arrived(r, sec.id == WD_SEC_CODE ? sec.payload_offset + 5 : sec.payload_offset + size))
      return WD_ERR_IO;
    wd_error_set_where(r->err, N_("%s section"), wd_section_name(sec.id));
    if (sec.id != WD_SEC_CUSTOM) {
      int rank = section_rank(sec.id);
      if (rank == r->last_id_order) {
        return wd_cur_fail_at(c, sec.offset, N_("duplicate %s section"), wd_section_name(sec.id));
      }
      if (rank < r->last_id_order) {
        const char *prev = "?";
        for (uint32_t i = r->m->nsections; i-- > 0;)
          if (r->m->sections[i].id != WD_SEC_CUSTOM) { prev = wd_section_name(r->m->sections[i].id); break; }
        return wd_cur_fail_at(c, sec.offset, N_("%s section must come before the %s section"),
                              wd_section_name(sec.id), prev);
      }
      r->last_id_order = rank;
    }
    wd_cur_saved saved;
    if ((s = wd_cur_enter(c, size, &saved, N_("section")))) return s;
    switch (sec.id) {
    case WD_SEC_CUSTOM: {
      /* The name is part of the payload; a broken name breaks the module
       * (engines reject it), but the contents do not. */
      if ((s = wd_cur_name(c, &sec.name, N_("custom section name")))) return s;
      wd_error_set_where(r->err, N_("custom section '%.*s'"), (int)(sec.name.len > 40 ? 40 : sec.name.len),
                         sec.name.ptr);
      break;
    }
    case WD_SEC_TYPE: s = read_type_section(sr, c); break;
    case WD_SEC_IMPORT: s = read_import_section(sr, c); break;
    case WD_SEC_FUNCTION: s = read_function_section(sr, c); break;
    case WD_SEC_TABLE: s = read_table_section(sr, c); break;
    case WD_SEC_MEMORY: s = read_memory_section(sr, c); break;
    case WD_SEC_TAG: s = read_tag_section(sr, c); break;
    case WD_SEC_GLOBAL: s = read_global_section(sr, c); break;
    case WD_SEC_EXPORT: s = read_export_section(sr, c); break;
    case WD_SEC_START: s = read_start_section(sr, c); break;
    case WD_SEC_ELEMENT: s = read_elem_section(sr, c); break;
    case WD_SEC_DATACOUNT: s = read_datacount_section(sr, c); break;
    case WD_SEC_CODE: s = read_code_section(sr, c, &sec); break;
    case WD_SEC_DATA: s = read_data_section(sr, c); break;
    }
    if (s) return s;
    if (sec.id == WD_SEC_CUSTOM) {
      wdi_read_custom(r, &sec);
    } else {
      if (!wd_cur_eof(c))
        return wd_cur_fail_at(c, c->pos,
                              N_("section size mismatch: %llu unread bytes at the end of the %s section"),
                              (unsigned long long)wd_cur_left(c), wd_section_name(sec.id));
      /* the item count of vector sections, for listings */
      if (sec.id != WD_SEC_START && sec.id != WD_SEC_DATACOUNT) {
        uint32_t n = 0;
        wd_leb_u32(c->base + sec.payload_offset, c->base + c->end, &n);
        sec.count = n;
      } else if (sec.id == WD_SEC_DATACOUNT) {
        sec.count = r->m->datacount;
      }
      if (sec.id == WD_SEC_TYPE) sec.count = r->m->ntypes;
    }
    wd_cur_leave(c, saved);
    wd_error_set_where(r->err, NULL);
    if ((s = add_section(r, &sec, &cap))) return s;
  }
  if (sr->def.nfuncs && !sr->def.have_code_section)
    return wd_cur_fail_at(c, c->size,
                          N_("the function section declares %u functions but there is no code section"),
                          sr->def.nfuncs);
  if (r->m->has_datacount && r->m->datacount && r->m->ndatas == 0)
    return wd_cur_fail_at(c, c->size,
                          N_("the data count section says %u segments but there is no data section"),
                          r->m->datacount);
  return finish_index_spaces(sr);
}

/* ---- entry points ------------------------------------------------------ */

static wd_module *module_new(uint64_t size) {
  wdi_module_internal *in = calloc(1, sizeof *in);
  if (!in) return NULL;
  /* A module of megabytes fills an arena of megabytes (the Godot 4.6
   * engine's: about 40 pages of small chunks besides its big arrays), and
   * each fresh 4 KiB page costs a fault: all of it on huge pages. */
  if (size >= WD_BIG_MIN) wd_arena_expect_large(&in->arena);
  wd_module *m = wd_arena_alloc(&in->arena, sizeof *m);
  if (!m) {
    free(in);
    return NULL;
  }
  m->internal = in;
  m->path = "";
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) m->feature_first_func[f] = -1;
  return m;
}

void wd_module_free(wd_module *m) {
  if (!m) return;
  wdi_module_internal *in = m->internal;
  for (uint32_t i = 0; i < m->nwarnings; i++) wd_msg_free(&m->warnings[i].msg);
  if (in->owns_file) wd_file_close(&in->file);
  wd_arena_release(&in->arena);
  free(in);
}

#ifdef WD_TEST_HOOKS
/* Test builds only (cmake -DWD_TEST_HOOKS=ON): every parse appends a line to
 * the file WEBDOCTOR_TEST_READ_LOG names, so that a test sees how many times
 * a command read its modules (tests/i18n/cli_zh.py: once, in any language). */
static void log_read(uint64_t size) {
  const char *path = getenv("WEBDOCTOR_TEST_READ_LOG");
  if (!path || !*path) return;
  FILE *f = fopen(path, "a");
  if (!f) return;
  fprintf(f, "parse %" PRIu64 "\n", size);
  fclose(f);
}
#endif

/* arriving: the bytes are still being read in (WD_FILE_ARRIVING) */
static wd_status parse(const uint8_t *data, uint64_t size, const wd_read_options *opts,
                       wd_file_arrival *arriving, wd_module **out, wd_error *err) {
  *out = NULL;
#ifdef WD_TEST_HOOKS
  log_read(size);
#endif
  char file[sizeof err->file];
  memcpy(file, err->file, sizeof file);
  wd_error_clear(err);
  memcpy(err->file, file, sizeof file);
  wd_module *m = module_new(size);
  if (!m) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wdi_module_internal *in = m->internal;
  m->data = data;
  m->size = size;
  wdi_reader r = {0};
  r.m = m;
  r.arena = &in->arena;
  r.err = err;
  r.arriving = arriving;
  if (opts) r.opts = *opts;
  r.max_warnings = r.opts.max_warnings ? r.opts.max_warnings : 64;
  wd_cur_init(&r.cur, data, size, err);
  section_reader sr = {0};
  sr.r = &r;
  wd_status s = read_sections(&sr);
  m->features |= r.code.features;
  wdi_code_ctx_release(&r.code);
  if (s) {
    wd_module_free(m);
    return s;
  }
  *out = m;
  return WD_OK;
}

wd_status wd_module_parse(const uint8_t *data, uint64_t size, const wd_read_options *opts,
                          wd_module **out, wd_error *err) {
  return parse(data, size, opts, NULL, out, err);
}

/* Parse the bytes of f, which may still be arriving (f->arriving): then
 * they are parsed as they arrive, and what counts is how the read ended:
 * with an error, that error as a WD_FILE_ALL load gives it (f then holds
 * nothing); short (the file shrank meanwhile), the bytes read are parsed
 * again. */
static wd_status parse_file(wd_file *f, const wd_read_options *opts, wd_module **out, wd_error *err) {
  if (!f->arriving) return parse(f->data, f->size, opts, NULL, out, err);
  uint64_t size = f->size;
  wd_error perr = *err;
  wd_module *m;
  wd_status s = parse(f->data, f->size, opts, f->arriving, &m, &perr);
  wd_status rs = wd_file_arrived(f, err);
  if (!rs && f->size == size) {
    *err = perr;
    *out = s ? NULL : m;
    return s;
  }
  if (!s) wd_module_free(m);
  *out = NULL;
  if (rs) return rs;
  return parse(f->data, f->size, opts, NULL, out, err);
}

/* How a module's file is loaded: without the code, most of the bytes are
 * never read (mapped, read as they are touched); else a large file is read
 * in by a thread of its own while it is parsed, unless one thread was
 * asked for. */
static wd_file_mode read_mode(const wd_read_options *opts) {
  if (opts && opts->skip_code) return WD_FILE_MAPPED;
  return opts && opts->threads == 1 ? WD_FILE_ALL : WD_FILE_ARRIVING;
}

wd_status wd_module_open(const char *path, const wd_read_options *opts, wd_module **out,
                         wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  wd_file f;
  wd_status s = wd_file_load_as(path, &f, 0, read_mode(opts), err);
  if (s) return s;
  wd_module *m;
  s = parse_file(&f, opts, &m, err);
  if (s) {
    wd_file_close(&f);
    return s;
  }
  wdi_module_internal *in = m->internal;
  in->file = f;
  in->owns_file = 1;
  m->path = wd_arena_strndup(&in->arena, path, strlen(path));
  if (!m->path) m->path = "";
  *out = m;
  return WD_OK;
}

wd_status wd_module_read_source(const wd_source *src, const char *path, const wd_read_options *opts,
                                wd_source_data *d, wd_module **out, wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  wd_file_mode mode = read_mode(opts);
  wd_status s = mode == WD_FILE_MAPPED ? wd_source_read(src, path, 0, d, err)
              : mode == WD_FILE_ALL    ? wd_source_read_all(src, path, 0, d, err)
                                       : wd_source_read_arriving(src, path, 0, d, err);
  if (s) return s;
  if (!d->priv_arriving) {
    s = parse(d->data, d->size, opts, NULL, out, err);
  } else {
    wd_file f = {d->data, d->size, d->priv_mapped, d->priv_owned, d->priv_big_len, d->priv_arriving};
    s = parse_file(&f, opts, out, err);
    if (!f.data) {
      memset(d, 0, sizeof *d); /* the read failed: nothing is left */
      return s;
    }
    d->size = f.size;
    d->priv_arriving = NULL;
  }
  if (s) wd_source_data_release(d);
  return s;
}
