/*
 * The checked path of the instruction decoder (code_int.h): any single
 * instruction, every read bounded by the expression's limit, every error.
 * Constant expressions use it alone; the fast paths hand it anything they
 * do not follow.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "webdoctor/msg.h"
#include "common/leb128.h"
#include "wasm/code_int.h"
#include "wasm/opcodes.h"

static const char *expr_noun(const dec *d) {
  return d->mode == WDI_EXPR_CONST ? W_("constant expression") : W_("function body");
}

COLD __attribute__((format(printf, 3, 4)))
static wd_status fail(dec *d, const uint8_t *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_error_setv(d->err, WD_ERR_MALFORMED, fmt, ap);
  va_end(ap);
  d->err->offset = (uint64_t)(at - d->base);
  d->err->has_offset = 1;
  return WD_ERR_MALFORMED;
}

/* A failed immediate read: `rc` is a WD_LEB_* code (WD_LEB_TRUNCATED also
 * for fixed-size immediates); `what` is an N_() string. */
COLD static wd_status fail_imm(dec *d, const uint8_t *at, int rc, const char *what) {
  if (rc == WD_LEB_TRUNCATED)
    return fail(d, at, N_("unexpected end of %s while reading %s"), expr_noun(d), WD_WORD(what));
  return fail(d, at, N_("invalid %s: %s"), WD_WORD(what), wd_leb_strerror(rc));
}

COLD static wd_status fail_unknown(dec *d, const uint8_t *at, unsigned prefix, uint32_t op) {
  if (prefix) return fail(d, at, N_("unknown opcode 0x%02x 0x%x"), prefix, op);
  return fail(d, at, N_("unknown opcode 0x%02x"), op);
}

COLD static wd_status fail_not_const(dec *d, const uint8_t *at, unsigned prefix, uint32_t op) {
  const char *name = wdi_opcode_name(prefix, op);
  char buf[32];
  if (!name) {
    if (prefix) snprintf(buf, sizeof buf, "0x%02x 0x%x", prefix, op);
    else snprintf(buf, sizeof buf, "0x%02x", op);
    name = buf;
  }
  return fail(d, at, N_("instruction %s is not allowed in a constant expression"), name);
}

wd_status wdi_fail_end(dec *d, const uint8_t *at) {
  return fail(d, at, N_("unexpected end of %s"), expr_noun(d));
}

/* ---- bounded readers ---------------------------------------------------
 * Each reads at *q, never at or past e, advances *q on success and returns
 * 0, or a negative WD_LEB_* code. */

static inline int rd_u32(const uint8_t **q, const uint8_t *e, uint32_t *v) {
  const uint8_t *p = *q;
  if (LIKELY(p < e && p[0] < 0x80)) {
    *v = p[0];
    *q = p + 1;
    return 0;
  }
  int n = wd_leb_u32(p, e, v);
  if (n < 0) return n;
  *q = p + n;
  return 0;
}

static inline int rd_u64(const uint8_t **q, const uint8_t *e, uint64_t *v) {
  int n = wd_leb_u64(*q, e, v);
  if (n < 0) return n;
  *q += n;
  return 0;
}

static inline int rd_s32(const uint8_t **q, const uint8_t *e) {
  int32_t v;
  int n = wd_leb_s32(*q, e, &v);
  if (n < 0) return n;
  *q += n;
  return 0;
}

static inline int rd_s64(const uint8_t **q, const uint8_t *e) {
  int64_t v;
  int n = wd_leb_s64(*q, e, &v);
  if (n < 0) return n;
  *q += n;
  return 0;
}

static inline int rd_s33(const uint8_t **q, const uint8_t *e, int64_t *v) {
  int n = wd_leb_s33(*q, e, v);
  if (n < 0) return n;
  *q += n;
  return 0;
}

static inline int rd_skip(const uint8_t **q, const uint8_t *e, size_t n) {
  if ((size_t)(e - *q) < n) return WD_LEB_TRUNCATED;
  *q += n;
  return 0;
}

/* Within decode_one: read or fail at the instruction's first byte. */
#define U32(var, what)                                                   \
  do {                                                                   \
    int rc_ = rd_u32(&q, e, &(var));                                     \
    if (UNLIKELY(rc_ < 0)) return fail_imm(d, ins, rc_, what);           \
  } while (0)
#define SKIP_U32(what)                                                   \
  do {                                                                   \
    uint32_t v_;                                                         \
    U32(v_, what);                                                       \
    (void)v_;                                                            \
  } while (0)
#define CHECK_RD(expr, what)                                             \
  do {                                                                   \
    int rc_ = (expr);                                                    \
    if (UNLIKELY(rc_ < 0)) return fail_imm(d, ins, rc_, what);           \
  } while (0)

/* ---- types ------------------------------------------------------------ */

/* Heap types: a type index (< ntypes) or an abstract heap type. */
static wd_status rd_heaptype(dec *d, const uint8_t *ins, const uint8_t **qp) {
  const uint8_t *e = d->end;
  int64_t v;
  int rc = rd_s33(qp, e, &v);
  if (rc < 0) return fail_imm(d, ins, rc, N_("heap type"));
  if (v >= 0) {
    if ((uint64_t)v >= d->ctx->ntypes)
      return fail(d, ins, N_("invalid heap type: type index %lld out of range (%u types)"),
                  (long long)v, d->ctx->ntypes);
    d->feats |= FEAT(FUNCTION_REFERENCES);
    return WD_OK;
  }
  switch (v + 0x80) {
  case 0x70: /* func */
  case 0x6f: /* extern */
    d->feats |= FEAT(REFERENCE_TYPES);
    return WD_OK;
  case 0x69: /* exn */
  case 0x74: /* noexn */
    d->feats |= FEAT(EXCEPTIONS);
    return WD_OK;
  case 0x73: /* nofunc */
  case 0x72: /* noextern */
  case 0x71: /* none */
  case 0x6e: /* any */
  case 0x6d: /* eq */
  case 0x6c: /* i31 */
  case 0x6b: /* struct */
  case 0x6a: /* array */
    d->feats |= FEAT(GC);
    return WD_OK;
  }
  return fail(d, ins, N_("invalid heap type %lld"), (long long)v);
}

static bool is_valtype_code(uint8_t b) {
  switch (b) {
  case 0x7f: case 0x7e: case 0x7d: case 0x7c: case 0x7b:
  case 0x70: case 0x6f: case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a:
  case 0x69: case 0x74: case 0x73: case 0x72: case 0x71:
  case 0x63: case 0x64:
    return true;
  }
  return false;
}

static wd_status rd_valtype(dec *d, const uint8_t *ins, const uint8_t **qp) {
  if (*qp >= d->end) return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("value type"));
  uint8_t b = *(*qp)++;
  switch (b) {
  case 0x7f: case 0x7e: case 0x7d: case 0x7c:
    return WD_OK;
  case 0x7b:
    d->feats |= FEAT(SIMD);
    return WD_OK;
  case 0x70: case 0x6f:
    d->feats |= FEAT(REFERENCE_TYPES);
    return WD_OK;
  case 0x69: case 0x74:
    d->feats |= FEAT(EXCEPTIONS);
    return WD_OK;
  case 0x6e: case 0x6d: case 0x6c: case 0x6b: case 0x6a:
  case 0x73: case 0x72: case 0x71:
    d->feats |= FEAT(GC);
    return WD_OK;
  case 0x63: case 0x64:
    d->feats |= FEAT(FUNCTION_REFERENCES);
    return rd_heaptype(d, ins, qp);
  }
  return fail(d, ins, N_("invalid value type 0x%02x"), b);
}

/* blocktype: 0x40 | valtype | s33 type index >= 0 */
static wd_status rd_blocktype(dec *d, const uint8_t *ins, const uint8_t **qp) {
  const uint8_t *e = d->end;
  if (*qp >= e) return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("block type"));
  uint8_t b = **qp;
  if (b == 0x40) {
    (*qp)++;
    return WD_OK;
  }
  if (b >= 0x40 && b < 0x80) {
    if (!is_valtype_code(b)) return fail(d, ins, N_("invalid block type 0x%02x"), b);
    return rd_valtype(d, ins, qp);
  }
  int64_t v;
  int rc = rd_s33(qp, e, &v);
  if (rc < 0) return fail_imm(d, ins, rc, N_("block type"));
  if (v < 0) return fail(d, ins, N_("invalid block type %lld"), (long long)v);
  if ((uint64_t)v >= d->ctx->ntypes)
    return fail(d, ins, N_("invalid block type: type index %lld out of range (%u types)"),
                (long long)v, d->ctx->ntypes);
  d->feats |= FEAT(MULTI_VALUE);
  return WD_OK;
}

/* memarg: u32 flags (bit 6: a memory index follows), u64 offset */
static wd_status rd_memarg(dec *d, const uint8_t *ins, const uint8_t **qp) {
  const uint8_t *e = d->end;
  const uint8_t *q = *qp;
  uint32_t flags;
  U32(flags, N_("memory alignment"));
  if (flags & 0x40) {
    uint32_t mem;
    U32(mem, N_("memory index"));
    if (mem) d->feats |= FEAT(MULTI_MEMORY);
  }
  /* below 0x40: the alignment; bit 6: a memory index follows; above:
   * nothing the binary format defines */
  if (flags >= 0x80)
    return fail(d, ins, N_("invalid memory alignment 0x%x"), flags);
  uint64_t off;
  CHECK_RD(rd_u64(&q, e, &off), N_("memory offset"));
  if (off > UINT32_MAX) d->feats |= FEAT(MEMORY64);
  *qp = q;
  return WD_OK;
}

/* ---- blocks ----------------------------------------------------------- */

NOINLINE wd_status wdi_grow_ctl(dec *d) {
  wdi_code_ctx *ctx = d->ctx;
  uint32_t cap = ctx->ctl_cap ? ctx->ctl_cap * 2 : 256;
  if (cap <= ctx->ctl_cap) return wd_error_set(d->err, WD_ERR_LIMIT, N_("blocks nested too deeply"));
  uint8_t *n = realloc(ctx->ctl, cap);
  if (!n) return wd_error_set(d->err, WD_ERR_NOMEM, N_("out of memory"));
  ctx->ctl = n;
  ctx->ctl_cap = cap;
  return WD_OK;
}

static inline wd_status push(dec *d, uint8_t kind) {
  if (UNLIKELY(d->depth == d->ctx->ctl_cap)) TRY(wdi_grow_ctl(d));
  d->ctx->ctl[d->depth++] = kind;
  if (d->depth > d->maxd) d->maxd = d->depth;
  return WD_OK;
}

static inline uint8_t top(const dec *d) {
  return d->depth ? d->ctx->ctl[d->depth - 1] : 0xff;
}

/* ---- prefixed opcodes ------------------------------------------------ */

static bool gc_is_const(uint32_t op) {
  switch (op) {
  case 0x00: case 0x01:             /* struct.new, struct.new_default */
  case 0x06: case 0x07: case 0x08:  /* array.new, _default, _fixed */
  case 0x1a: case 0x1b: case 0x1c:  /* any/extern.convert, ref.i31 */
    return true;
  }
  return false;
}

static wd_status decode_gc(dec *d, const uint8_t *ins, const uint8_t **qp, uint32_t op) {
  const uint8_t *e = d->end;
  const uint8_t *q = *qp;
  d->feats |= FEAT(GC);
  if (op >= WDI_GC_COUNT) return fail_unknown(d, ins, 0xfb, op);
  if (d->mode == WDI_EXPR_CONST && !gc_is_const(op)) return fail_not_const(d, ins, 0xfb, op);
  switch (op) {
  case 0x00: case 0x01:             /* struct.new(_default) t */
  case 0x06: case 0x07:             /* array.new(_default) t */
  case 0x0b: case 0x0c: case 0x0d:  /* array.get(_s/_u) t */
  case 0x0e: case 0x10:             /* array.set t, array.fill t */
    SKIP_U32(N_("type index"));
    break;
  case 0x02: case 0x03: case 0x04: case 0x05: /* struct.get/set t field */
    SKIP_U32(N_("type index"));
    SKIP_U32(N_("field index"));
    break;
  case 0x08:                        /* array.new_fixed t n */
    SKIP_U32(N_("type index"));
    SKIP_U32(N_("array size"));
    break;
  case 0x09: case 0x12:             /* array.new_data/init_data t data */
    SKIP_U32(N_("type index"));
    SKIP_U32(N_("data segment index"));
    break;
  case 0x0a: case 0x13:             /* array.new_elem/init_elem t elem */
    SKIP_U32(N_("type index"));
    SKIP_U32(N_("element segment index"));
    break;
  case 0x11:                        /* array.copy t t */
    SKIP_U32(N_("type index"));
    SKIP_U32(N_("type index"));
    break;
  case 0x0f:                        /* array.len */
  case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e:
    break;
  case 0x14: case 0x15: case 0x16: case 0x17: /* ref.test/cast (null) ht */
    TRY(rd_heaptype(d, ins, &q));
    break;
  case 0x18: case 0x19: {           /* br_on_cast(_fail) flags l ht ht */
    if (q >= e) return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("cast flags"));
    uint8_t flags = *q++;
    if (flags > 3) return fail(d, ins, N_("invalid cast flags 0x%02x"), flags);
    SKIP_U32(N_("label index"));
    TRY(rd_heaptype(d, ins, &q));
    TRY(rd_heaptype(d, ins, &q));
    break;
  }
  }
  *qp = q;
  return WD_OK;
}

static wd_status decode_misc(dec *d, const uint8_t *ins, const uint8_t **qp, uint32_t op) {
  const uint8_t *e = d->end;
  const uint8_t *q = *qp;
  uint32_t a, b;
  if (op >= WDI_MISC_COUNT) return fail_unknown(d, ins, 0xfc, op);
  if (d->mode == WDI_EXPR_CONST) return fail_not_const(d, ins, 0xfc, op);
  switch (op) {
  case 0: case 1: case 2: case 3: case 4: case 5: case 6: case 7:
    d->feats |= FEAT(SAT_FLOAT_TO_INT);
    break;
  case 8:  /* memory.init data mem */
    SKIP_U32(N_("data segment index"));
    U32(a, N_("memory index"));
    d->feats |= FEAT(BULK_MEMORY) | (a ? FEAT(MULTI_MEMORY) : 0);
    break;
  case 9:  /* data.drop data */
    SKIP_U32(N_("data segment index"));
    d->feats |= FEAT(BULK_MEMORY);
    break;
  case 10: /* memory.copy mem mem */
    U32(a, N_("memory index"));
    U32(b, N_("memory index"));
    d->feats |= FEAT(BULK_MEMORY) | ((a | b) ? FEAT(MULTI_MEMORY) : 0);
    break;
  case 11: /* memory.fill mem */
    U32(a, N_("memory index"));
    d->feats |= FEAT(BULK_MEMORY) | (a ? FEAT(MULTI_MEMORY) : 0);
    break;
  case 12: /* table.init elem table */
    SKIP_U32(N_("element segment index"));
    U32(a, N_("table index"));
    d->feats |= FEAT(BULK_MEMORY) | (a ? FEAT(REFERENCE_TYPES) : 0);
    break;
  case 13: /* elem.drop elem */
    SKIP_U32(N_("element segment index"));
    d->feats |= FEAT(BULK_MEMORY);
    break;
  case 14: /* table.copy table table */
    U32(a, N_("table index"));
    U32(b, N_("table index"));
    d->feats |= FEAT(BULK_MEMORY) | ((a | b) ? FEAT(REFERENCE_TYPES) : 0);
    break;
  default: /* 15..17 table.grow/size/fill table */
    SKIP_U32(N_("table index"));
    d->feats |= FEAT(REFERENCE_TYPES);
    break;
  }
  *qp = q;
  return WD_OK;
}

static wd_status decode_simd(dec *d, const uint8_t *ins, const uint8_t **qp, uint32_t op) {
  const uint8_t *e = d->end;
  const uint8_t *q = *qp;
  char shape = op < WDI_SIMD_COUNT ? wdi_simd_shape[op] : 'U';
  if (shape == 'U') return fail_unknown(d, ins, 0xfd, op);
  if (d->mode == WDI_EXPR_CONST && op != 0x0c) return fail_not_const(d, ins, 0xfd, op);
  d->feats |= FEAT(SIMD) | (op >= WDI_SIMD_RELAXED_FIRST ? FEAT(RELAXED_SIMD) : 0);
  switch (shape) {
  case 'M':
    TRY(rd_memarg(d, ins, &q));
    break;
  case 'K':
    TRY(rd_memarg(d, ins, &q));
    CHECK_RD(rd_skip(&q, e, 1), N_("lane index"));
    break;
  case 'L':
    CHECK_RD(rd_skip(&q, e, 1), N_("lane index"));
    break;
  case 'C':
    CHECK_RD(rd_skip(&q, e, 16), op == 0x0c ? N_("v128 constant") : N_("shuffle lanes"));
    break;
  default:
    break;
  }
  *qp = q;
  return WD_OK;
}

static wd_status decode_atomic(dec *d, const uint8_t *ins, const uint8_t **qp, uint32_t op) {
  const uint8_t *e = d->end;
  const uint8_t *q = *qp;
  if (op >= WDI_ATOMIC_COUNT || (op > 0x03 && op < 0x10)) return fail_unknown(d, ins, 0xfe, op);
  if (d->mode == WDI_EXPR_CONST) return fail_not_const(d, ins, 0xfe, op);
  d->feats |= FEAT(THREADS);
  if (op == 0x03) { /* atomic.fence 0x00 */
    if (q >= e) return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("atomic.fence flags"));
    if (*q != 0) return fail(d, ins, N_("atomic.fence: expected 0x00, found 0x%02x"), *q);
    q++;
  } else {
    TRY(rd_memarg(d, ins, &q));
  }
  *qp = q;
  return WD_OK;
}

/* ---- the checked path: one instruction ------------------------------- */

static bool op_is_const(uint8_t op) {
  switch (op) {
  case 0x0b:                        /* end */
  case 0x23:                        /* global.get */
  case 0x41: case 0x42: case 0x43: case 0x44:
  case 0xd0: case 0xd2:             /* ref.null, ref.func */
  case 0x6a: case 0x6b: case 0x6c:  /* i32.add/sub/mul */
  case 0x7c: case 0x7d: case 0x7e:  /* i64.add/sub/mul */
  case 0xfb: case 0xfc: case 0xfd: case 0xfe: /* checked per sub-opcode */
    return true;
  }
  return false;
}

NOINLINE wd_status wdi_decode_one(dec *d, const uint8_t **pp) {
  const uint8_t *ins = *pp;
  const uint8_t *e = d->end;
  const uint8_t *q = ins + 1;
  uint8_t op = ins[0];
  uint8_t shape = wdi_op_shape[op];
  uint32_t a, n;

  if (d->mode == WDI_EXPR_CONST && shape != WDI_SH_UNKNOWN) {
    if (!op_is_const(op)) return fail_not_const(d, ins, 0, op);
    if ((op >= 0x6a && op <= 0x6c) || (op >= 0x7c && op <= 0x7e))
      d->feats |= FEAT(EXTENDED_CONST);
  }
  d->feats |= wdi_op_feat[op];

  switch ((enum wdi_shape)shape) {
  case WDI_SH_UNKNOWN:
    return fail_unknown(d, ins, 0, op);
  case WDI_SH_NONE:
    break;
  case WDI_SH_LABEL:
    SKIP_U32(N_("label index"));
    break;
  case WDI_SH_FUNC:
    SKIP_U32(N_("function index"));
    break;
  case WDI_SH_LOCAL:
    SKIP_U32(N_("local index"));
    break;
  case WDI_SH_GLOBAL:
    SKIP_U32(N_("global index"));
    break;
  case WDI_SH_TABLE:
    SKIP_U32(N_("table index"));
    break;
  case WDI_SH_TAG:
    SKIP_U32(N_("tag index"));
    break;
  case WDI_SH_TYPE:
    SKIP_U32(N_("type index"));
    break;
  case WDI_SH_MEMARG:
    TRY(rd_memarg(d, ins, &q));
    break;
  case WDI_SH_MEMIDX:
    U32(a, N_("memory index"));
    if (a) d->feats |= FEAT(MULTI_MEMORY);
    break;
  case WDI_SH_I32:
    CHECK_RD(rd_s32(&q, e), N_("i32 constant"));
    break;
  case WDI_SH_I64:
    CHECK_RD(rd_s64(&q, e), N_("i64 constant"));
    break;
  case WDI_SH_F32:
    CHECK_RD(rd_skip(&q, e, 4), N_("f32 constant"));
    break;
  case WDI_SH_F64:
    CHECK_RD(rd_skip(&q, e, 8), N_("f64 constant"));
    break;
  case WDI_SH_BLOCK: /* block, loop, if, try */
    TRY(rd_blocktype(d, ins, &q));
    TRY(push(d, (uint8_t)(op - 2)));
    break;
  case WDI_SH_ELSE:
    if (top(d) != K_IF) return fail(d, ins, N_("else without a matching if"));
    d->ctx->ctl[d->depth - 1] = K_ELSE;
    break;
  case WDI_SH_END:
    if (d->depth) {
      d->depth--;
      break;
    }
    if (d->mode == WDI_EXPR_BODY && q != e)
      return fail(d, ins,
                  N_("function body must end at its declared size (%llu bytes follow its final end)"),
                  (unsigned long long)(e - q));
    d->done = true;
    break;
  case WDI_SH_CATCH:
  case WDI_SH_CATCH_ALL: {
    uint8_t t = top(d);
    if (t != K_TRY && t != K_CATCH) {
      if (t == K_CATCH_ALL)
        return fail(d, ins, shape == WDI_SH_CATCH ? N_("catch after catch_all")
                                                  : N_("catch_all after catch_all"));
      return fail(d, ins, shape == WDI_SH_CATCH ? N_("catch without a matching try")
                                                : N_("catch_all without a matching try"));
    }
    if (shape == WDI_SH_CATCH) SKIP_U32(N_("tag index"));
    d->ctx->ctl[d->depth - 1] = shape == WDI_SH_CATCH ? K_CATCH : K_CATCH_ALL;
    break;
  }
  case WDI_SH_DELEGATE:
    if (top(d) != K_TRY) return fail(d, ins, N_("delegate without a matching try"));
    SKIP_U32(N_("label index"));
    d->depth--;
    break;
  case WDI_SH_TRY_TABLE:
    TRY(rd_blocktype(d, ins, &q));
    U32(n, N_("catch clause count"));
    for (uint32_t i = 0; i < n; i++) {
      if (q >= e) return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("catch clause"));
      uint8_t kind = *q++;
      if (kind > 3) return fail(d, ins, N_("invalid catch clause kind 0x%02x"), kind);
      if (kind < 2) SKIP_U32(N_("tag index"));
      SKIP_U32(N_("label index"));
    }
    TRY(push(d, K_TRY_TABLE));
    break;
  case WDI_SH_BR_TABLE:
    U32(n, N_("label count"));
    /* n + 1 labels of at least one byte each */
    if ((uint64_t)n >= (uint64_t)(e - q))
      return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("br_table labels"));
    for (uint64_t i = 0; i <= n; i++) SKIP_U32(N_("label index"));
    break;
  case WDI_SH_CALL_INDIRECT:
    SKIP_U32(N_("type index"));
    U32(a, N_("table index"));
    if (a) d->feats |= FEAT(REFERENCE_TYPES);
    break;
  case WDI_SH_SELECT_T:
    U32(n, N_("select type count"));
    if (n != 1) return fail(d, ins, N_("select must have exactly one type (has %u)"), n);
    TRY(rd_valtype(d, ins, &q));
    break;
  case WDI_SH_HEAPTYPE:
    TRY(rd_heaptype(d, ins, &q));
    break;
  case WDI_SH_PREFIX_GC:
    U32(a, N_("opcode"));
    TRY(decode_gc(d, ins, &q, a));
    break;
  case WDI_SH_PREFIX_MISC:
    U32(a, N_("opcode"));
    TRY(decode_misc(d, ins, &q, a));
    break;
  case WDI_SH_PREFIX_SIMD:
    U32(a, N_("opcode"));
    TRY(decode_simd(d, ins, &q, a));
    break;
  case WDI_SH_PREFIX_ATOMIC:
    U32(a, N_("opcode"));
    TRY(decode_atomic(d, ins, &q, a));
    break;
  }
  d->count++;
  *pp = q;
  return WD_OK;
}
