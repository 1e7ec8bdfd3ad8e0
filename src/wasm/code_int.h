/*
 * Internals of the instruction decoder (code.h), shared by its files.
 *
 *
 * Three paths share one state and accept exactly the same inputs:
 *
 * - The checked path (wdi_decode_one, code_checked.c) decodes any single instruction with
 *   every read bounded by the expression's limit, and produces every error.
 *   Constant expressions use it alone.
 *
 * - The SIMD scanner (wdi_scan_body in code_scan.c,
 *   x86 with SSSE3) takes function bodies of
 *   16 bytes or more: an automaton run with byte shuffles finds instruction
 *   boundaries 32 bytes at a time, and only the instructions that touch the
 *   block stack or imply features get individual attention. See the comment
 *   at the top of code_scan.c.
 *
 * - The scalar fast path (wdi_fast_expr, code_fast.c) is for the rest, and for
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
 *
 * code.c holds the entry point, wdi_decode_expr, which picks the path.
 */
#ifndef WD_WASM_CODE_INT_H
#define WD_WASM_CODE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "wasm/code.h"

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

#define TRY(expr)                                                        \
  do {                                                                   \
    wd_status st_ = (expr);                                              \
    if (st_ != WD_OK) return st_;                                        \
  } while (0)

/* The SIMD scanner is built for x86 with GNU C (code_scan.c). */
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__)) && \
    !defined(WD_NO_SIMD)
#define WDI_HAVE_SCAN 1
#else
#define WDI_HAVE_SCAN 0
#endif

/* The checked path (code_checked.c). wdi_decode_one decodes the
 * instruction at *pp (< d->end) and on success advances *pp; it sets
 * d->done after the end that closes the expression. */
wd_status wdi_decode_one(dec *d, const uint8_t **pp);
/* Double the control stack (d->ctx->ctl). */
wd_status wdi_grow_ctl(dec *d);
/* "unexpected end of function body" (or constant expression) at `at`. */
wd_status wdi_fail_end(dec *d, const uint8_t *at);

#if WDI_HAVE_SCAN
/* The SIMD scanner (code_scan.c). wdi_scan_init builds its tables once
 * and says whether this CPU runs it. wdi_scan_body scans from *pp (an
 * instruction boundary) to the end of the body: on return d->done is set,
 * or *pp is where the body ran out (the scalar path reports it). */
bool wdi_scan_init(void);
wd_status wdi_scan_body(dec *d, const uint8_t **pp);
#endif

/* The scalar fast path (code_fast.c): decode from p (an instruction
 * boundary; *d as what ran before left it) to the final end. */
wd_status wdi_fast_expr(dec *d, const uint8_t *p, uint64_t *end_out);

/* Fold what d found into its context; *end_out = p's offset. */
static inline wd_status wdi_dec_finish(dec *d, const uint8_t *p, uint64_t *end_out) {
  wdi_code_ctx *ctx = d->ctx;
  ctx->features |= d->feats;
  ctx->instructions += d->count;
  if (d->maxd > ctx->max_depth) ctx->max_depth = d->maxd;
  *end_out = (uint64_t)(p - d->base);
  return WD_OK;
}

#endif
