/*
 * The instruction decoder (see code.h).
 *
 * Three paths share one state and accept exactly the same inputs:
 *
 * - The checked path (decode_one) decodes any single instruction with
 *   every read bounded by the expression's limit, and produces every error.
 *   Constant expressions use it alone.
 *
 * - The SIMD scanner (scan_body, x86 with SSSE3) takes function bodies of
 *   16 bytes or more: an automaton run with byte shuffles finds instruction
 *   boundaries 32 bytes at a time, and only the instructions that touch the
 *   block stack or imply features get individual attention. See its own
 *   comment below.
 *
 * - The scalar fast path (in wdi_decode_expr) is for the rest, and for
 *   other CPUs: a threaded dispatch over the opcode's immediate shape that
 *   runs while more than FAST_MARGIN bytes remain before the limit. The
 *   margin is the bound: no fast-path read goes further than FAST_READ
 *   bytes past the opcode, so no read in it needs its own check.
 *
 * The fast paths hand anything unusual (prefixed opcodes they do not
 * follow, vectors, long or suspicious immediates, anything wrong) to the
 * checked path, which re-decodes that instruction from its first byte.
 * They only accept immediates whose encodings are valid by construction:
 * an LEB128 of at most 4 bytes cannot overflow 32 bits, one of at most 8
 * bytes cannot overflow 64.
 */
#include "wasm/code.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/leb128.h"
#include "wasm/opcodes.h"

#define FEAT(f) (1u << WD_FEAT_##f)

#if defined(__GNUC__) || defined(__clang__)
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#define NOINLINE __attribute__((noinline))
#define COLD __attribute__((cold, noinline))
#else
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#define NOINLINE
#define COLD
#endif

/* The fast path reads at most FAST_READ bytes at and after an opcode
 * (p[0] .. p[FAST_READ - 1]); it runs while more than FAST_MARGIN bytes
 * are left. */
#define FAST_READ 10
#define FAST_MARGIN 16
/* Bodies at least this long go through the SIMD scanner first. */
#define SCAN_MIN 16
_Static_assert(FAST_MARGIN >= FAST_READ, "fast-path margin too small");

/* Kinds of open blocks on ctx->ctl. The function's own block is implicit
 * (depth 0). block/loop/if/try are opcode - 2. */
enum {
  K_BLOCK = 0,
  K_LOOP = 1,
  K_IF = 2,
  K_ELSE = 3,
  K_TRY = 4,
  K_CATCH = 5,
  K_CATCH_ALL = 6,
  K_TRY_TABLE = 7
};

void wdi_code_ctx_release(wdi_code_ctx *ctx) {
  free(ctx->ctl);
  ctx->ctl = NULL;
  ctx->ctl_cap = 0;
}

/* ---- state and errors ------------------------------------------------ */

typedef struct dec {
  wdi_code_ctx *ctx;
  const uint8_t *base;
  const uint8_t *end; /* base + limit */
  wd_error *err;
  wdi_expr_mode mode;
  uint32_t depth;     /* open blocks, not counting the function's own */
  uint32_t maxd;
  wd_featureset feats;
  uint64_t count;
  bool done;          /* the final end was decoded */
} dec;

static const char *expr_noun(const dec *d) {
  return d->mode == WDI_EXPR_CONST ? _("constant expression") : _("function body");
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
    return fail(d, at, _("unexpected end of %s while reading %s"), expr_noun(d), _(what));
  return fail(d, at, _("invalid %s: %s"), _(what), wd_leb_strerror(rc));
}

COLD static wd_status fail_unknown(dec *d, const uint8_t *at, unsigned prefix, uint32_t op) {
  if (prefix) return fail(d, at, _("unknown opcode 0x%02x 0x%x"), prefix, op);
  return fail(d, at, _("unknown opcode 0x%02x"), op);
}

COLD static wd_status fail_not_const(dec *d, const uint8_t *at, unsigned prefix, uint32_t op) {
  const char *name = wdi_opcode_name(prefix, op);
  char buf[32];
  if (!name) {
    if (prefix) snprintf(buf, sizeof buf, "0x%02x 0x%x", prefix, op);
    else snprintf(buf, sizeof buf, "0x%02x", op);
    name = buf;
  }
  return fail(d, at, _("instruction %s is not allowed in a constant expression"), name);
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
#define TRY(expr)                                                        \
  do {                                                                   \
    wd_status st_ = (expr);                                              \
    if (st_ != WD_OK) return st_;                                        \
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
      return fail(d, ins, _("invalid heap type: type index %lld out of range (%u types)"),
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
  return fail(d, ins, _("invalid heap type %lld"), (long long)v);
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
  return fail(d, ins, _("invalid value type 0x%02x"), b);
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
    if (!is_valtype_code(b)) return fail(d, ins, _("invalid block type 0x%02x"), b);
    return rd_valtype(d, ins, qp);
  }
  int64_t v;
  int rc = rd_s33(qp, e, &v);
  if (rc < 0) return fail_imm(d, ins, rc, N_("block type"));
  if (v < 0) return fail(d, ins, _("invalid block type %lld"), (long long)v);
  if ((uint64_t)v >= d->ctx->ntypes)
    return fail(d, ins, _("invalid block type: type index %lld out of range (%u types)"),
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
    return fail(d, ins, _("invalid memory alignment 0x%x"), flags);
  uint64_t off;
  CHECK_RD(rd_u64(&q, e, &off), N_("memory offset"));
  if (off > UINT32_MAX) d->feats |= FEAT(MEMORY64);
  *qp = q;
  return WD_OK;
}

/* ---- blocks ----------------------------------------------------------- */

NOINLINE static wd_status grow_ctl(dec *d) {
  wdi_code_ctx *ctx = d->ctx;
  uint32_t cap = ctx->ctl_cap ? ctx->ctl_cap * 2 : 256;
  if (cap <= ctx->ctl_cap) return wd_error_set(d->err, WD_ERR_LIMIT, _("blocks nested too deeply"));
  uint8_t *n = realloc(ctx->ctl, cap);
  if (!n) return wd_error_set(d->err, WD_ERR_NOMEM, _("out of memory"));
  ctx->ctl = n;
  ctx->ctl_cap = cap;
  return WD_OK;
}

static inline wd_status push(dec *d, uint8_t kind) {
  if (UNLIKELY(d->depth == d->ctx->ctl_cap)) TRY(grow_ctl(d));
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
    if (flags > 3) return fail(d, ins, _("invalid cast flags 0x%02x"), flags);
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
    if (*q != 0) return fail(d, ins, _("atomic.fence: expected 0x00, found 0x%02x"), *q);
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

/* Decode the instruction at *pp (< d->end); on success advance *pp. Sets
 * d->done after the end that closes the expression. */
NOINLINE static wd_status decode_one(dec *d, const uint8_t **pp) {
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
    if (top(d) != K_IF) return fail(d, ins, _("else without a matching if"));
    d->ctx->ctl[d->depth - 1] = K_ELSE;
    break;
  case WDI_SH_END:
    if (d->depth) {
      d->depth--;
      break;
    }
    if (d->mode == WDI_EXPR_BODY && q != e)
      return fail(d, ins,
                  _("function body must end at its declared size (%llu bytes follow its final end)"),
                  (unsigned long long)(e - q));
    d->done = true;
    break;
  case WDI_SH_CATCH:
  case WDI_SH_CATCH_ALL: {
    uint8_t t = top(d);
    if (t != K_TRY && t != K_CATCH) {
      if (t == K_CATCH_ALL)
        return fail(d, ins, shape == WDI_SH_CATCH ? _("catch after catch_all")
                                                  : _("catch_all after catch_all"));
      return fail(d, ins, shape == WDI_SH_CATCH ? _("catch without a matching try")
                                                : _("catch_all without a matching try"));
    }
    if (shape == WDI_SH_CATCH) SKIP_U32(N_("tag index"));
    d->ctx->ctl[d->depth - 1] = shape == WDI_SH_CATCH ? K_CATCH : K_CATCH_ALL;
    break;
  }
  case WDI_SH_DELEGATE:
    if (top(d) != K_TRY) return fail(d, ins, _("delegate without a matching try"));
    SKIP_U32(N_("label index"));
    d->depth--;
    break;
  case WDI_SH_TRY_TABLE:
    TRY(rd_blocktype(d, ins, &q));
    U32(n, N_("catch clause count"));
    for (uint32_t i = 0; i < n; i++) {
      if (q >= e) return fail_imm(d, ins, WD_LEB_TRUNCATED, N_("catch clause"));
      uint8_t kind = *q++;
      if (kind > 3) return fail(d, ins, _("invalid catch clause kind 0x%02x"), kind);
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
    if (n != 1) return fail(d, ins, _("select must have exactly one type (has %u)"), n);
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

/* ---- the fast path ----------------------------------------------------- */

static inline uint32_t load32le(const uint8_t *p) {
  uint32_t v;
  memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap32(v);
#endif
  return v;
}

static inline uint64_t load64le(const uint8_t *p) {
  uint64_t v;
  memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  v = __builtin_bswap64(v);
#endif
  return v;
}

static inline unsigned ctz32(uint32_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_ctz(x);
#else
  unsigned n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
#endif
}

static inline unsigned ctz64(uint64_t x) {
#if defined(__GNUC__) || defined(__clang__)
  return (unsigned)__builtin_ctzll(x);
#else
  unsigned n = 0;
  while (!(x & 1)) { x >>= 1; n++; }
  return n;
#endif
}

/* Length of the LEB128 at p if it ends within 4 bytes (reads p[0..3]),
 * else 0. Such an encoding is a valid u32, s32 or u64. */
static inline unsigned leb_len4(const uint8_t *p) {
  uint32_t stop = ~load32le(p) & 0x80808080u;
  return stop ? (ctz32(stop) >> 3) + 1 : 0;
}

/* Same within 8 bytes (reads p[0..7]): a valid s64. */
static inline unsigned leb_len8(const uint8_t *p) {
  uint64_t stop = ~load64le(p) & 0x8080808080808080ull;
  return stop ? (ctz64(stop) >> 3) + 1 : 0;
}

/* ---- the SIMD boundary scanner (x86 SSSE3) -----------------------------
 *
 * For longer function bodies, instruction boundaries are found 16 bytes at
 * a time by a 16-state automaton run with byte shuffles: the state sits in
 * a vector register and each byte's transition row (16 bytes, one next
 * state per current state) is applied with one pshufb, so the dependency
 * chain is one shuffle per byte rather than a load, a table lookup and a
 * length computation per instruction (or a mispredicted branch).
 *
 * The automaton follows exactly what the fast path accepts: opcodes
 * without immediates, LEB128 immediates, memargs whose flags byte is below
 * 0x40, f32/f64 constants, block types, call_indirect and the 0xFD
 * instructions without 16-byte immediates. Anything else sends it to BAIL,
 * and so does a run of 4 continuation bytes inside an LEB128 (5 bytes or
 * more: possibly overlong or too large). At such a point the scan stops at
 * the start of that instruction, which the checked path decodes, and
 * restarts after it.
 *
 * Instructions that change the block stack or imply features ("specials":
 * block/loop/if/try, else, end, call_indirect, 0xFD, sign extension...)
 * are picked out with a byte classification and queued; the queue is
 * handled in order by small handlers that pass anything unusual (an end at
 * depth 0, an else without if, a multi-value block type...) to the checked
 * path. Everything else needs no work beyond being counted.
 */
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(WD_NO_SIMD)
#define HAVE_SCAN 1
#include <stdatomic.h>
#include <tmmintrin.h>

#define SCAN_TARGET __attribute__((target("ssse3,popcnt")))

enum {
  D_OP = 0, /* at an opcode */
  D_L1,     /* in the last LEB128 of an instruction */
  D_L2,     /* in the first of two */
  D_MA,     /* at a memarg's flags byte */
  D_BT,     /* at a block type's first byte */
  D_FD,     /* at the first byte of a 0xFD sub-opcode */
  D_FDHI,   /* at its second byte */
  D_F1,     /* D_F1 + n - 1: n fixed bytes left */
  D_F4 = D_F1 + 3,
  D_F8 = D_F1 + 7,
  D_BAIL    /* beyond what the automaton follows; stays */
};
_Static_assert(D_BAIL == 15, "the automaton has 16 states");

/* A table entry is the next state's number (bits 0-3, what pshufb
 * indexes with) plus flags about the transition in bits 4-6, which pshufb
 * ignores and a shift moves to bit 7 for movemask:
 *   DF_OPCODE          the byte was an instruction's first byte;
 *   DF_OPCODE|DF_MARK  ... and one the queue handlers must see;
 *   DF_MARK alone      the byte was part of an LEB128 immediate;
 *   DF_BAIL            the automaton stops following here. */
#define DF_OPCODE 0x40u
#define DF_MARK 0x20u
#define DF_BAIL 0x10u

/* What the queue handlers need to know about an opcode (scan_info):
 * its feature bits, and above them whether it is an end or a block/loop/
 * if/try (handled without branches), or one of the rarer kinds. */
#define SP_END (1u << 24)
#define SP_BLOCK (1u << 25)
#define SP_RARE_SHIFT 26
enum { SP_ELSE = 1, SP_CALL_INDIRECT, SP_SIMD };
#define SP_FEATURES ((1u << 24) - 1)
_Static_assert(WD_FEAT_COUNT <= 24, "feature bits overlap the kinds");

static _Alignas(16) uint8_t scan_row[256][16]; /* [byte][state] -> next state */
static uint32_t scan_info[256];
static uint8_t scan_bt_bad[256]; /* block types the handlers leave to the checked path */
static atomic_int scan_ready; /* 0 unbuilt, 1 building, 2 built, 3 unusable */

static uint8_t scan_op_state(unsigned b) {
  switch ((enum wdi_shape)wdi_op_shape[b]) {
  case WDI_SH_NONE: case WDI_SH_END: case WDI_SH_ELSE:
    return D_OP;
  case WDI_SH_LABEL: case WDI_SH_FUNC: case WDI_SH_LOCAL: case WDI_SH_GLOBAL:
  case WDI_SH_TABLE: case WDI_SH_TAG: case WDI_SH_TYPE: case WDI_SH_I32: case WDI_SH_I64:
    return D_L1;
  case WDI_SH_MEMARG: return D_MA;
  case WDI_SH_F32: return D_F4;
  case WDI_SH_F64: return D_F8;
  case WDI_SH_BLOCK: return D_BT;
  case WDI_SH_CALL_INDIRECT: return D_L2;
  case WDI_SH_PREFIX_SIMD: return D_FD;
  default: return D_BAIL;
  }
}

static void scan_build(void) {
  for (unsigned b = 0; b < 256; b++) {
    uint8_t next[16];
    next[D_OP] = scan_op_state(b);
    next[D_L1] = b & 0x80 ? D_L1 : D_OP;
    next[D_L2] = b & 0x80 ? D_L2 : D_L1;
    next[D_MA] = b < 0x40 ? D_L1 : D_BAIL;
    next[D_BT] = b & 0x80 ? D_L1 : (b == 0x63 || b == 0x64) ? D_BAIL : D_OP;
    if (b & 0x80) {
      next[D_FD] = D_FDHI;
    } else {
      switch (wdi_simd_shape[b]) {
      case 'N': next[D_FD] = D_OP; break;
      case 'M': next[D_FD] = D_MA; break;
      case 'L': next[D_FD] = D_F1; break;
      default: next[D_FD] = D_BAIL; break;
      }
    }
    /* two-byte sub-opcodes 0x80..0x17f have no immediates (or are unknown,
     * which the queue handler finds) */
    next[D_FDHI] = (b == 1 || b == 2) ? D_OP : D_BAIL;
    next[D_F1] = D_OP;
    for (unsigned st = D_F1 + 1; st <= D_F8; st++) next[st] = (uint8_t)(st - 1);
    next[D_BAIL] = D_BAIL;

    uint32_t info = wdi_op_feat[b];
    switch ((enum wdi_shape)wdi_op_shape[b]) {
    case WDI_SH_END: info |= SP_END; break;
    case WDI_SH_BLOCK: info |= SP_BLOCK; break;
    case WDI_SH_ELSE: info |= (uint32_t)SP_ELSE << SP_RARE_SHIFT; break;
    case WDI_SH_CALL_INDIRECT: info |= (uint32_t)SP_CALL_INDIRECT << SP_RARE_SHIFT; break;
    case WDI_SH_PREFIX_SIMD: info |= (uint32_t)SP_SIMD << SP_RARE_SHIFT; break;
    default:
      if (next[D_OP] == D_BAIL) info = 0; /* the checked path sees it */
      break;
    }
    scan_info[b] = info;
    /* empty and the four numeric types need no checks */
    scan_bt_bad[b] = !(b == 0x40 || (b >= 0x7c && b <= 0x7f));

    for (unsigned st = 0; st < 16; st++) {
      unsigned flags = next[st] == D_BAIL ? DF_BAIL : 0;
      if (st == D_OP) flags |= DF_OPCODE | (info ? DF_MARK : 0);
      if (st == D_L1 || st == D_L2) flags |= DF_MARK;
      scan_row[b][st] = (uint8_t)(next[st] | flags);
    }
  }
}

/* Build the tables once; false if the CPU cannot run the scanner. */
static bool scan_init(void) {
  int state = atomic_load_explicit(&scan_ready, memory_order_acquire);
  if (LIKELY(state >= 2)) return state == 2 && wdi_code_simd;
  int expected = 0;
  if (atomic_compare_exchange_strong(&scan_ready, &expected, 1)) {
    __builtin_cpu_init(); /* in case this runs before the constructors */
    bool ok = __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt");
    if (ok) scan_build();
    atomic_store_explicit(&scan_ready, ok ? 2 : 3, memory_order_release);
  } else {
    while (atomic_load_explicit(&scan_ready, memory_order_acquire) < 2) {
    }
  }
  return atomic_load_explicit(&scan_ready, memory_order_acquire) == 2 && wdi_code_simd;
}

/* Whether the checked path reads or changes the block stack for this
 * opcode (the ones the automaton stops at). */
static bool scan_touches_blocks(unsigned op) {
  switch ((enum wdi_shape)wdi_op_shape[op]) {
  case WDI_SH_BLOCK: case WDI_SH_ELSE: case WDI_SH_END: case WDI_SH_CATCH:
  case WDI_SH_CATCH_ALL: case WDI_SH_DELEGATE: case WDI_SH_TRY_TABLE:
    return true;
  default:
    return false;
  }
}

/* A queued instruction the handlers did not accept: the checked path
 * decodes it (to the same end, or fails) and counts it again. */
NOINLINE static wd_status scan_checked(dec *d, const uint8_t *q, uint32_t depth,
                                       uint32_t maxd, wd_featureset feats) {
  d->depth = depth;
  d->maxd = maxd;
  d->feats = feats & SP_FEATURES;
  TRY(decode_one(d, &q));
  d->count--;
  return WD_OK;
}

/* Handle the queued instructions batch[0..n) in order; each is a complete
 * instruction whose boundaries the automaton found and whose immediates it
 * checked. */
static wd_status scan_flush(dec *d, const uint8_t *org, const uint32_t *batch, unsigned n) {
  wdi_code_ctx *ctx = d->ctx;
  while (ctx->ctl_cap - d->depth < n + 1) TRY(grow_ctl(d));
  uint8_t *ctl = ctx->ctl;
  uint32_t depth = d->depth, maxd = d->maxd;
  wd_featureset feats = d->feats; /* with kind bits; masked when stored */
  for (unsigned i = 0; i < n; i++) {
    const uint8_t *q = org + batch[i];
    unsigned op = q[0];
    uint32_t info = scan_info[op];
    feats |= info;
    if (LIKELY(info < 1u << SP_RARE_SHIFT)) {
      /* end, block/loop/if/try, feature-only: without branches. The slot
       * above the top gets a kind whatever the instruction (harmless). */
      uint32_t is_end = (info >> 24) & 1, is_block = (info >> 25) & 1;
      uint32_t bt = q[is_block]; /* the block type, or the opcode again */
      if (UNLIKELY((is_end & (depth == 0)) | (is_block & scan_bt_bad[bt]))) {
        if (is_end && q + 1 == d->end) { /* the final end */
          d->depth = 0;
          d->maxd = maxd;
          d->feats = feats & SP_FEATURES;
          d->done = true;
          return WD_OK;
        }
        goto checked;
      }
      ctl[depth] = (uint8_t)(op - 2);
      depth = depth + is_block - is_end;
      maxd = depth > maxd ? depth : maxd;
      continue;
    }
    switch (info >> SP_RARE_SHIFT) {
    case SP_ELSE:
      if (UNLIKELY(!depth || ctl[depth - 1] != K_IF)) goto checked;
      ctl[depth - 1] = K_ELSE;
      continue;
    case SP_CALL_INDIRECT: {
      unsigned l = 1; /* the type index; the automaton saw both LEB128s end */
      while (q[l] & 0x80) l++;
      if (UNLIKELY(q[l + 1] != 0)) goto checked; /* a table other than 0 */
      continue;
    }
    default: { /* SP_SIMD */
      uint32_t sub = q[1];
      if (sub & 0x80) sub = (sub & 0x7f) | ((uint32_t)q[2] << 7);
      if (UNLIKELY(sub >= WDI_SIMD_COUNT || wdi_simd_shape[sub] == 'U')) goto checked;
      feats |= FEAT(SIMD) | (sub >= WDI_SIMD_RELAXED_FIRST ? FEAT(RELAXED_SIMD) : 0);
      continue;
    }
    }
  checked:
    TRY(scan_checked(d, q, depth, maxd, feats));
    if (d->done) return WD_OK; /* the final end: nothing follows */
    depth = d->depth;
    maxd = d->maxd;
    feats = d->feats;
    ctl = ctx->ctl;
  }
  d->depth = depth;
  d->maxd = maxd;
  d->feats = feats & SP_FEATURES;
  return WD_OK;
}

#define SCAN_BATCH 256
#define SCAN_CHUNK 32

/* Queue the positions (offsets from org) of the set bits of m, chunk c.
 * Three are written unconditionally; those past the count are scratch. */
#define SCAN_QUEUE(m)                                                    \
  do {                                                                   \
    uint32_t m_ = (m);                                                   \
    unsigned n_ = (unsigned)__builtin_popcount(m_);                      \
    uint32_t *o_ = batch + nb;                                           \
    uint32_t c_ = (uint32_t)(c - org);                                   \
    o_[0] = c_ + (uint32_t)__builtin_ctzll(m_ | (1ull << 32)); m_ &= m_ - 1; \
    o_[1] = c_ + (uint32_t)__builtin_ctzll(m_ | (1ull << 32)); m_ &= m_ - 1; \
    o_[2] = c_ + (uint32_t)__builtin_ctzll(m_ | (1ull << 32)); m_ &= m_ - 1; \
    for (unsigned i_ = 3; UNLIKELY(i_ < n_); i_++) {                     \
      o_[i_] = c_ + (uint32_t)__builtin_ctz(m_);                         \
      m_ &= m_ - 1;                                                      \
    }                                                                    \
    nb += n_;                                                            \
  } while (0)

/* Bit 7 of each byte, after moving flag bit `sh` there. */
#define SCAN_FLAGS(v, sh) ((uint32_t)_mm_movemask_epi8(_mm_slli_epi16((v), (sh))))

/* Scan from *pp (an instruction boundary) to the end of the body. On
 * return d->done is set, or *pp is where the body ran out (the scalar
 * path reports it). */
SCAN_TARGET static wd_status scan_body(dec *d, const uint8_t **pp) {
  const uint8_t *const e = d->end;
  const uint8_t *const org = *pp; /* queued positions are offsets from here */
  const uint8_t *c = org;         /* the next chunk */
  const uint8_t *last = NULL;     /* the last instruction start counted */
  uint32_t batch[SCAN_BATCH + SCAN_CHUNK + 4];
  _Alignas(16) uint8_t tail[SCAN_CHUNK];
  unsigned nb = 0;
  uint32_t prev_r = 0;        /* LEB128 continuation bits of the last chunk */
  uint64_t count = 0;
  const __m128i vstart = _mm_set1_epi8(D_OP);
  __m128i st = vstart; /* the state, in every lane */

  for (;;) {
    if (UNLIKELY(nb > SCAN_BATCH - SCAN_CHUNK)) {
      /* keep a last instruction that is not complete yet */
      unsigned keep = (_mm_cvtsi128_si32(st) & 0x0f) != D_OP && org + batch[nb - 1] == last;
      TRY(scan_flush(d, org, batch, nb - keep));
      if (d->done) break;
      batch[0] = batch[nb - 1];
      nb = keep;
    }
    /* the chunk: SCAN_CHUNK bytes at c, or the last few copied and padded
     * (only the first n count) */
    const uint8_t *src = c;
    unsigned n = SCAN_CHUNK;
    uint32_t valid = 0xffffffffu;
    if (UNLIKELY(e - c < SCAN_CHUNK)) {
      n = (unsigned)(e - c);
      if (n == 0) {
        /* no final end: the scalar path reports it, from the start of the
         * last instruction if that one is cut short */
        const uint8_t *stop = e;
        if ((_mm_cvtsi128_si32(st) & 0x0f) != D_OP) {
          stop = last;
          count--;
          if (nb && org + batch[nb - 1] == last) nb--;
        }
        d->count += count;
        TRY(scan_flush(d, org, batch, nb));
        *pp = stop;
        return WD_OK;
      }
      memset(tail, 0, sizeof tail);
      memcpy(tail, c, n);
      src = tail;
      valid = (1u << n) - 1;
    }

    __m128i acc0 = st, acc1;
#define SCAN_STEP(acc, k)                                                         \
  st = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)scan_row[src[k]]), st); \
  acc = _mm_alignr_epi8(st, acc, 1)
    SCAN_STEP(acc0, 0); SCAN_STEP(acc0, 1); SCAN_STEP(acc0, 2); SCAN_STEP(acc0, 3);
    SCAN_STEP(acc0, 4); SCAN_STEP(acc0, 5); SCAN_STEP(acc0, 6); SCAN_STEP(acc0, 7);
    SCAN_STEP(acc0, 8); SCAN_STEP(acc0, 9); SCAN_STEP(acc0, 10); SCAN_STEP(acc0, 11);
    SCAN_STEP(acc0, 12); SCAN_STEP(acc0, 13); SCAN_STEP(acc0, 14); SCAN_STEP(acc0, 15);
    acc1 = acc0;
    SCAN_STEP(acc1, 16); SCAN_STEP(acc1, 17); SCAN_STEP(acc1, 18); SCAN_STEP(acc1, 19);
    SCAN_STEP(acc1, 20); SCAN_STEP(acc1, 21); SCAN_STEP(acc1, 22); SCAN_STEP(acc1, 23);
    SCAN_STEP(acc1, 24); SCAN_STEP(acc1, 25); SCAN_STEP(acc1, 26); SCAN_STEP(acc1, 27);
    SCAN_STEP(acc1, 28); SCAN_STEP(acc1, 29); SCAN_STEP(acc1, 30); SCAN_STEP(acc1, 31);
#undef SCAN_STEP
    /* acc: the table entry taken at each byte */
    const __m128i bytes0 = _mm_loadu_si128((const __m128i *)src);
    const __m128i bytes1 = _mm_loadu_si128((const __m128i *)(src + 16));
    uint32_t opcode = (SCAN_FLAGS(acc0, 1) | SCAN_FLAGS(acc1, 1) << 16) & valid;
    uint32_t mark = SCAN_FLAGS(acc0, 2) | SCAN_FLAGS(acc1, 2) << 16;
    uint32_t bail = (SCAN_FLAGS(acc0, 3) | SCAN_FLAGS(acc1, 3) << 16) & valid;
    uint32_t starts = opcode;
    uint32_t special = opcode & mark;
    uint32_t r = mark & ~opcode & valid;
    r &= (uint32_t)_mm_movemask_epi8(bytes0) | (uint32_t)_mm_movemask_epi8(bytes1) << 16;
    uint64_t rr = (uint64_t)r << 3 | prev_r >> 29;
    uint32_t run = (uint32_t)(rr & (rr >> 1) & (rr >> 2) & (rr >> 3));
    uint32_t bad = bail | run;
    if (UNLIKELY(n < SCAN_CHUNK)) {
      /* the body must end with a complete instruction */
      _Alignas(16) uint8_t after[SCAN_CHUNK];
      _mm_store_si128((__m128i *)after, acc0);
      _mm_store_si128((__m128i *)(after + 16), acc1);
      if ((after[n - 1] & 0x0f) != D_OP) bad |= 1u << (n - 1);
    }

    if (UNLIKELY(bad)) {
      /* stop at the instruction holding the first byte not followed */
      unsigned k = (unsigned)__builtin_ctz(bad);
      uint32_t below = starts & (uint32_t)((2ull << k) - 1);
      const uint8_t *s;
      if (below) {
        unsigned j = 31u - (unsigned)__builtin_clz(below);
        s = c + j;
        starts &= (1u << j) - 1;
      } else { /* it started in an earlier chunk, as the last one counted */
        s = last;
        starts = 0;
        count--;
        if (nb && org + batch[nb - 1] == s) nb--;
      }
      count += (unsigned)__builtin_popcount(starts);
      SCAN_QUEUE(starts & special);
      const uint8_t *q = s;
      if (!scan_touches_blocks(*s) && decode_one(d, &q) == WD_OK) {
        /* decoded out of turn: it does not depend on the queued ones */
      } else {
        /* in turn, so that the first error in the body is the one reported */
        d->count += count;
        count = 0;
        TRY(scan_flush(d, org, batch, nb));
        nb = 0;
        if (d->done) break;
        q = s;
        TRY(decode_one(d, &q));
        if (d->done) {
          *pp = q;
          return WD_OK;
        }
      }
      c = q;
      st = vstart;
      prev_r = 0;
      last = NULL;
      continue;
    }

    count += (unsigned)__builtin_popcount(starts);
    SCAN_QUEUE(starts & special);
    if (starts) last = c + 31 - __builtin_clz(starts);
    prev_r = r;
    c += n;
  }
  /* the final end was among the queued instructions */
  d->count += count;
  *pp = e;
  return WD_OK;
}
#else
#define HAVE_SCAN 0
#endif

int wdi_code_simd = 1;

/* Dispatch: with GNU C, a table of label addresses indexed by the opcode
 * and an indirect jump at the end of every handler (each with its own
 * branch-predictor history); otherwise a switch on the shape. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(WD_NO_THREADED_DISPATCH)
#define THREADED 1
#else
#define THREADED 0
#endif

static wd_status finish(dec *d, const uint8_t *p, uint64_t *end_out) {
  wdi_code_ctx *ctx = d->ctx;
  ctx->features |= d->feats;
  ctx->instructions += d->count;
  if (d->maxd > ctx->max_depth) ctx->max_depth = d->maxd;
  *end_out = (uint64_t)(p - d->base);
  return WD_OK;
}

wd_status wdi_decode_expr(wdi_code_ctx *ctx, const uint8_t *base, uint64_t start,
                          uint64_t limit, wdi_expr_mode mode, uint64_t *end_out,
                          wd_error *err) {
  dec d = {.ctx = ctx, .base = base, .end = base + limit, .err = err, .mode = mode};
  if (start > limit) start = limit;
  const uint8_t *p = base + start;
  const uint8_t *const e = d.end;

  if (mode == WDI_EXPR_CONST) {
    while (!d.done) {
      if (p >= e) return fail(&d, p, _("unexpected end of %s"), expr_noun(&d));
      const uint8_t *q = p; /* p itself stays out of memory */
      TRY(decode_one(&d, &q));
      p = q;
    }
    return finish(&d, p, end_out);
  }

#if HAVE_SCAN
  /* (queued positions are 32-bit offsets) */
  if (limit - start >= SCAN_MIN && limit - start <= UINT32_MAX && scan_init()) {
    const uint8_t *q = p;
    TRY(scan_body(&d, &q));
    p = q;
    if (d.done) return finish(&d, p, end_out);
  }
#endif

  /* The fast zone: p < fast_end leaves more than FAST_MARGIN bytes. */
  const uint8_t *const fast_end = e - p > FAST_MARGIN ? e - FAST_MARGIN : p;
  uint8_t *ctl = ctx->ctl;
  uint32_t cap = ctx->ctl_cap;
  uint32_t depth = d.depth, maxd = d.maxd;
  wd_featureset feats = d.feats;
  uint64_t count = d.count;
  unsigned op, len;

#if THREADED
#define FAST_LABEL(s) &&F_##s,
  static const void *const fast_tab[256] = {WDI_OPCODE_SHAPES(FAST_LABEL)};
#undef FAST_LABEL
#define SHAPE(s) F_##s
#define NEXT()                                                           \
  do {                                                                   \
    if (UNLIKELY(p >= fast_end)) goto fast_exit;                         \
    op = *p;                                                             \
    feats |= wdi_op_feat[op];                                            \
    goto *fast_tab[op];                                                  \
  } while (0)
#else
#define SHAPE(s) case WDI_SH_##s
#define NEXT() continue
#endif

  for (;;) {
#if THREADED
    NEXT();
    {
#else
    for (;;) {
      if (p >= fast_end) goto fast_exit;
      op = *p;
      feats |= wdi_op_feat[op];
      switch ((enum wdi_shape)wdi_op_shape[op]) {
#endif
      SHAPE(NONE):
        p += 1;
        count++;
        NEXT();
      SHAPE(LOCAL):
      SHAPE(LABEL):
      SHAPE(GLOBAL):
      SHAPE(TABLE):
      SHAPE(TAG):
      SHAPE(TYPE):
        /* mostly one byte */
        if (LIKELY(p[1] < 0x80)) {
          p += 2;
          count++;
          NEXT();
        }
        len = leb_len4(p + 1);
        if (UNLIKELY(!len)) goto slow;
        p += 1 + len;
        count++;
        NEXT();
      SHAPE(FUNC):
      SHAPE(I32):
        /* any length: no branch on it */
        len = leb_len4(p + 1);
        if (UNLIKELY(!len)) goto slow;
        p += 1 + len;
        count++;
        NEXT();
      SHAPE(MEMARG):
        /* one-byte flags without a memory index, short offset */
        if (UNLIKELY(p[1] >= 0x40)) goto slow;
        len = leb_len4(p + 2);
        if (UNLIKELY(!len)) goto slow;
        p += 2 + len;
        count++;
        NEXT();
      SHAPE(I64):
        len = leb_len8(p + 1);
        if (UNLIKELY(!len)) goto slow;
        p += 1 + len;
        count++;
        NEXT();
      SHAPE(F32):
        p += 5;
        count++;
        NEXT();
      SHAPE(F64):
        p += 9;
        count++;
        NEXT();
      SHAPE(BLOCK): {
        unsigned bt = p[1];
        if (UNLIKELY(!(bt == 0x40 || (bt >= 0x7c && bt <= 0x7f)) || depth >= cap)) goto slow;
        ctl[depth++] = (uint8_t)(op - 2);
        if (depth > maxd) maxd = depth;
        p += 2;
        count++;
        NEXT();
      }
      SHAPE(END):
        if (UNLIKELY(!depth)) goto slow;
        depth--;
        p += 1;
        count++;
        NEXT();
      SHAPE(ELSE):
        if (UNLIKELY(!depth || ctl[depth - 1] != K_IF)) goto slow;
        ctl[depth - 1] = K_ELSE;
        p += 1;
        count++;
        NEXT();
      SHAPE(CALL_INDIRECT):
        len = leb_len4(p + 1);
        if (UNLIKELY(!len || p[1 + len] != 0)) goto slow;
        p += 2 + len;
        count++;
        NEXT();
      SHAPE(UNKNOWN):
      SHAPE(MEMIDX):
      SHAPE(CATCH):
      SHAPE(CATCH_ALL):
      SHAPE(DELEGATE):
      SHAPE(TRY_TABLE):
      SHAPE(BR_TABLE):
      SHAPE(SELECT_T):
      SHAPE(HEAPTYPE):
      SHAPE(PREFIX_GC):
      SHAPE(PREFIX_MISC):
      SHAPE(PREFIX_SIMD):
      SHAPE(PREFIX_ATOMIC):
        goto slow;
#if !THREADED
      }
#endif
    }
#undef SHAPE
#undef NEXT

  fast_exit:
    /* the last bytes, or an expression shorter than the margin */
    if (p >= e) {
      d.depth = depth;
      return fail(&d, p, _("unexpected end of %s"), expr_noun(&d));
    }
  slow:
    d.depth = depth;
    d.maxd = maxd;
    d.feats = feats;
    d.count = count;
    {
      const uint8_t *q = p;
      TRY(decode_one(&d, &q));
      p = q;
    }
    if (d.done) return finish(&d, p, end_out);
    depth = d.depth;
    maxd = d.maxd;
    feats = d.feats;
    count = d.count;
    ctl = ctx->ctl;
    cap = ctx->ctl_cap;
  }
}
