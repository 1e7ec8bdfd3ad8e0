/*
 * The instruction decoder (src/wasm/code.c).
 *
 * Every function-body case runs many times: with 0..40, 64, 100 and 300
 * nops in front (so that each instruction meets every position in the
 * SIMD scanner's 32-byte chunks), after 3 bytes that are not part of the
 * expression (offsets are absolute), in a buffer that ends exactly at the
 * limit (so that AddressSanitizer catches any read past it), and both with
 * the SIMD scanner (as built for each instruction set the CPU has) and with
 * the scalar decoder alone; they must agree on everything. Then:
 * truncation at every byte, overlong immediates, unknown opcodes,
 * unbalanced blocks, constant expressions, real modules against counts
 * from wasm-objdump, and a randomized comparison of the two paths
 * (WD_TEST_ROUNDS=n for a longer one than the default 3000 bodies).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/leb128.h"
#include "wasm/code.h"
#include "wasm/opcodes.h"

#define F(f) (1u << WD_FEAT_##f)
#define PRE 3 /* bytes before the expression */
#define NTYPES 200

/* ---- running the decoder ---------------------------------------------- */

typedef struct res {
  wd_status st;
  uint64_t end;
  uint64_t off;
  int has_off;
  char msg[512];
  uint32_t feats;
  uint64_t count;
  uint32_t maxd;
} res;

/* Decode `pads` nops followed by b[0..n), placed after PRE other bytes, in
 * a buffer that ends at the limit. simd: 0 the scalar decoder alone, 1 the
 * SIMD scanner, 2 and 3 the scanner with SSSE3 and with AVX at most. */
static res run(const uint8_t *b, size_t n, size_t pads, wdi_expr_mode mode, uint32_t ntypes,
               int simd) {
  size_t total = PRE + pads + n;
  uint8_t *buf = malloc(total ? total : 1);
  memset(buf, 0xff, PRE);
  memset(buf + PRE, 0x01, pads);
  if (n) memcpy(buf + PRE + pads, b, n);
  wdi_code_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.ntypes = ntypes;
  wd_error err;
  wd_error_clear(&err);
  res r;
  memset(&r, 0, sizeof r);
  wdi_code_simd = simd != 0;
  wdi_scan_isa_max = simd >= 2 ? simd - 2 : 2;
  r.st = wdi_decode_expr(&ctx, buf, PRE, total, mode, &r.end, &err);
  wdi_code_simd = 1;
  wdi_scan_isa_max = 2;
  r.off = err.offset;
  r.has_off = err.has_offset;
  snprintf(r.msg, sizeof r.msg, "%s", err.msg);
  r.feats = ctx.features;
  r.count = ctx.instructions;
  r.maxd = ctx.max_depth;
  wdi_code_ctx_release(&ctx);
  free(buf);
  return r;
}

static bool same(const res *a, const res *b) {
  if (a->st != b->st) return false;
  if (a->st == WD_OK)
    return a->end == b->end && a->feats == b->feats && a->count == b->count && a->maxd == b->maxd;
  return a->off == b->off && a->has_off == b->has_off && strcmp(a->msg, b->msg) == 0;
}

static void show(const char *what, const res *r) {
  if (r->st == WD_OK)
    fprintf(stderr, "    %s: ok end %llu feats 0x%x count %llu maxd %u\n", what,
            (unsigned long long)r->end, r->feats, (unsigned long long)r->count, r->maxd);
  else
    fprintf(stderr, "    %s: status %d offset %llu%s: %s\n", what, (int)r->st,
            (unsigned long long)r->off, r->has_off ? "" : " (no offset)", r->msg);
}

static const size_t pads_list[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14,
                                   15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
                                   30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 64, 100, 300};
#define NPADS (sizeof pads_list / sizeof pads_list[0])

/* What a body case must give. msg NULL: success with feats/count/maxd
 * (count without the pads); else an error at `off` (relative to the
 * body's first byte) whose message is msg, or starts with it if prefix. */
typedef struct want {
  const char *msg;
  bool prefix;
  uint64_t off;
  uint32_t feats;
  uint64_t count;
  uint32_t maxd;
} want;

static bool meets(const res *r, const want *w, size_t pads, size_t n) {
  if (!w->msg)
    return r->st == WD_OK && r->end == PRE + pads + n && r->feats == w->feats &&
           r->count == w->count + pads && r->maxd == w->maxd;
  if (r->st != WD_ERR_MALFORMED || !r->has_off || r->off != PRE + pads + w->off) return false;
  return w->prefix ? strncmp(r->msg, w->msg, strlen(w->msg)) == 0 : strcmp(r->msg, w->msg) == 0;
}

/* One case: every pad count, both paths. One CHECK. */
static void body_case(int line, const uint8_t *b, size_t n, uint32_t ntypes, want w) {
  for (size_t i = 0; i < NPADS; i++) {
    size_t pads = pads_list[i];
    res scalar = run(b, n, pads, WDI_EXPR_BODY, ntypes, 0);
    res simd = run(b, n, pads, WDI_EXPR_BODY, ntypes, 1);
    bool ok = same(&scalar, &simd) && meets(&scalar, &w, pads, n);
    for (int narrower = 2; ok && narrower <= 3; narrower++) {
      simd = run(b, n, pads, WDI_EXPR_BODY, ntypes, narrower);
      ok = same(&scalar, &simd);
    }
    if (!ok) {
      check_failed++;
      fprintf(stderr, "%s:%d: body case failed with %zu nops in front\n", __FILE__, line, pads);
      show("scalar", &scalar);
      show("simd  ", &simd);
      if (w.msg)
        fprintf(stderr, "    wanted: error at %llu: %s%s\n",
                (unsigned long long)(PRE + pads + w.off), w.msg, w.prefix ? "..." : "");
      else
        fprintf(stderr, "    wanted: ok end %llu feats 0x%x count %llu maxd %u\n",
                (unsigned long long)(PRE + pads + n), w.feats,
                (unsigned long long)(w.count + pads), w.maxd);
      return;
    }
  }
  check_passed++;
}

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

/* A body (the final end included) that decodes. */
#define BODY_OK(feats, count, maxd, ...) \
  body_case(__LINE__, BYTES(__VA_ARGS__), NTYPES, (want){NULL, false, 0, feats, count, maxd})
/* A body that fails at `off` with exactly `msg`. */
#define BODY_ERR(off, msg, ...) \
  body_case(__LINE__, BYTES(__VA_ARGS__), NTYPES, (want){msg, false, off, 0, 0, 0})
#define BODY_ERR_T(ntypes, off, msg, ...) \
  body_case(__LINE__, BYTES(__VA_ARGS__), ntypes, (want){msg, false, off, 0, 0, 0})

/* ---- every instruction family ----------------------------------------- */

/* A snippet: the instruction under test (its first ilen bytes) and what it
 * needs to be balanced; a body is the snippet and a final end. */
typedef struct snip {
  int line;
  const uint8_t *b;
  size_t n;
  unsigned ilen;
  uint32_t feats;
  unsigned count; /* instructions in the snippet */
  unsigned maxd;
} snip;

#define S(ilen, feats, count, maxd, ...) {__LINE__, BYTES(__VA_ARGS__), ilen, feats, count, maxd}
#define C16 0x10, 0x11, 0x12, 0x13, 0x94, 0x95, 0x96, 0x97, 0x18, 0x19, 0xfa, 0xfb, 0xfc, 0xfd, 0x0b, 0x05

static const snip snips[] = {
    /* control */
    S(1, 0, 1, 0, 0x00),                                  /* unreachable */
    S(1, 0, 1, 0, 0x01),                                  /* nop */
    S(2, 0, 2, 1, 0x02, 0x40, 0x0b),                      /* block end */
    S(2, 0, 2, 1, 0x03, 0x7f, 0x0b),                      /* loop (result i32) */
    S(2, 0, 3, 1, 0x04, 0x40, 0x05, 0x0b),                /* if else end */
    S(2, 0, 2, 1, 0x04, 0x7c, 0x0b),                      /* if f64 end */
    S(2, 0, 2, 1, 0x02, 0x7e, 0x0b),
    S(2, 0, 2, 1, 0x02, 0x7d, 0x0b),
    S(2, F(SIMD), 2, 1, 0x02, 0x7b, 0x0b),                /* block v128 */
    S(2, F(REFERENCE_TYPES), 2, 1, 0x02, 0x70, 0x0b),     /* block funcref */
    S(2, F(REFERENCE_TYPES), 2, 1, 0x03, 0x6f, 0x0b),     /* loop externref */
    S(2, F(GC), 2, 1, 0x02, 0x6e, 0x0b),                  /* anyref */
    S(2, F(EXCEPTIONS), 2, 1, 0x02, 0x69, 0x0b),          /* exnref */
    S(3, F(FUNCTION_REFERENCES) | F(REFERENCE_TYPES), 2, 1, 0x02, 0x63, 0x70, 0x0b),
    S(3, F(FUNCTION_REFERENCES), 2, 1, 0x02, 0x64, 0x00, 0x0b), /* (ref 0) */
    S(4, F(FUNCTION_REFERENCES), 2, 1, 0x02, 0x64, 0xc7, 0x01, 0x0b), /* (ref 199) */
    S(2, F(MULTI_VALUE), 2, 1, 0x02, 0x00, 0x0b),         /* type index 0 */
    S(2, F(MULTI_VALUE), 2, 1, 0x04, 0x3f, 0x0b),         /* type index 63 */
    S(3, F(MULTI_VALUE), 2, 1, 0x03, 0xc7, 0x01, 0x0b),   /* type index 199 */
    S(5, F(MULTI_VALUE), 2, 1, 0x02, 0x85, 0x80, 0x80, 0x00, 0x0b), /* index 5, padded */
    S(2, 0, 1, 0, 0x0c, 0x00),                            /* br 0 */
    S(3, 0, 1, 0, 0x0d, 0x81, 0x01),                      /* br_if 129 */
    S(5, 0, 1, 0, 0x0e, 0x02, 0x00, 0x01, 0x02),          /* br_table */
    S(3, 0, 1, 0, 0x0e, 0x00, 0x00),
    S(7, 0, 1, 0, 0x0e, 0x82, 0x00, 0x80, 0x00, 0x01, 0x02), /* padded count, label */
    S(1, 0, 1, 0, 0x0f),                                  /* return */
    S(4, 0, 1, 0, 0x10, 0xff, 0xff, 0x03),                /* call 65535 */
    S(6, 0, 1, 0, 0x10, 0x81, 0x80, 0x80, 0x80, 0x00),    /* call 1, 5 bytes */
    S(3, 0, 1, 0, 0x11, 0x05, 0x00),                      /* call_indirect type 5 */
    S(4, 0, 1, 0, 0x11, 0x85, 0x01, 0x00),
    S(3, F(REFERENCE_TYPES), 1, 0, 0x11, 0x05, 0x01),     /* ... table 1 */
    S(4, 0, 1, 0, 0x11, 0x05, 0x80, 0x00),                /* table 0, padded */
    S(1, 0, 1, 0, 0x1a),                                  /* drop */
    S(1, 0, 1, 0, 0x1b),                                  /* select */
    S(3, F(REFERENCE_TYPES), 1, 0, 0x1c, 0x01, 0x7f),     /* select (result i32) */
    S(3, F(REFERENCE_TYPES) | F(SIMD), 1, 0, 0x1c, 0x01, 0x7b),
    S(4, F(REFERENCE_TYPES) | F(FUNCTION_REFERENCES), 1, 0, 0x1c, 0x01, 0x63, 0x6f),
    /* variables */
    S(2, 0, 1, 0, 0x20, 0x00),
    S(3, 0, 1, 0, 0x21, 0x80, 0x01),
    S(2, 0, 1, 0, 0x22, 0x7f),
    S(5, 0, 1, 0, 0x20, 0xff, 0xff, 0xff, 0x7f),
    S(6, 0, 1, 0, 0x20, 0xff, 0xff, 0xff, 0xff, 0x0f),    /* u32 max */
    S(2, 0, 1, 0, 0x23, 0x01),
    S(2, 0, 1, 0, 0x24, 0x02),
    /* memory */
    S(3, 0, 1, 0, 0x28, 0x02, 0x00),
    S(5, 0, 1, 0, 0x29, 0x03, 0x80, 0x80, 0x04),
    S(7, 0, 1, 0, 0x36, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f), /* offset 2^32-1 */
    S(7, F(MEMORY64), 1, 0, 0x37, 0x03, 0x80, 0x80, 0x80, 0x80, 0x10), /* offset 2^32 */
    S(12, F(MEMORY64), 1, 0, 0x37, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01),
    S(4, 0, 1, 0, 0x2c, 0x40, 0x00, 0x00),                /* memory 0, explicit */
    S(4, F(MULTI_MEMORY), 1, 0, 0x2c, 0x40, 0x01, 0x00),  /* memory 1 */
    S(5, F(MULTI_MEMORY), 1, 0, 0x3e, 0x42, 0x80, 0x01, 0x08), /* memory 128 */
    S(4, 0, 1, 0, 0x2d, 0x80, 0x00, 0x00),                /* flags 0, two bytes */
    S(3, 0, 1, 0, 0x3d, 0x3f, 0x05),                      /* alignment 2^63 */
    S(2, 0, 1, 0, 0x3f, 0x00),                            /* memory.size */
    S(2, F(MULTI_MEMORY), 1, 0, 0x40, 0x01),              /* memory.grow 1 */
    S(3, 0, 1, 0, 0x3f, 0x80, 0x00),
    /* constants and numbers */
    S(2, 0, 1, 0, 0x41, 0x00),
    S(2, 0, 1, 0, 0x41, 0x7f),                            /* -1 */
    S(2, 0, 1, 0, 0x41, 0x3f),
    S(3, 0, 1, 0, 0x41, 0xc0, 0x00),                      /* 64 */
    S(6, 0, 1, 0, 0x41, 0x80, 0x80, 0x80, 0x80, 0x78),    /* i32 min */
    S(6, 0, 1, 0, 0x41, 0xff, 0xff, 0xff, 0xff, 0x7f),    /* -1 in 5 bytes */
    S(6, 0, 1, 0, 0x41, 0xff, 0xff, 0xff, 0xff, 0x07),    /* i32 max */
    S(2, 0, 1, 0, 0x42, 0x01),
    S(9, 0, 1, 0, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01),
    S(11, 0, 1, 0, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f), /* min */
    S(11, 0, 1, 0, 0x42, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00), /* max */
    S(5, 0, 1, 0, 0x43, 0x00, 0x00, 0x80, 0xbf),
    S(5, 0, 1, 0, 0x43, 0xff, 0xff, 0xff, 0xff),
    S(9, 0, 1, 0, 0x44, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x3f),
    S(9, 0, 1, 0, 0x44, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
    S(1, 0, 1, 0, 0x45),
    S(1, 0, 1, 0, 0x6a),
    S(1, 0, 1, 0, 0x8b),
    S(1, 0, 1, 0, 0xbf),
    S(1, F(SIGN_EXT), 1, 0, 0xc0),
    S(1, F(SIGN_EXT), 1, 0, 0xc2),
    S(1, F(SIGN_EXT), 1, 0, 0xc4),
    /* 0xFC */
    S(2, F(SAT_FLOAT_TO_INT), 1, 0, 0xfc, 0x00),
    S(2, F(SAT_FLOAT_TO_INT), 1, 0, 0xfc, 0x07),
    S(3, F(SAT_FLOAT_TO_INT), 1, 0, 0xfc, 0x80, 0x00),    /* sub-opcode 0, padded */
    S(4, F(BULK_MEMORY), 1, 0, 0xfc, 0x08, 0x01, 0x00),   /* memory.init 1 0 */
    S(4, F(BULK_MEMORY) | F(MULTI_MEMORY), 1, 0, 0xfc, 0x08, 0x01, 0x01),
    S(3, F(BULK_MEMORY), 1, 0, 0xfc, 0x09, 0x00),         /* data.drop */
    S(4, F(BULK_MEMORY), 1, 0, 0xfc, 0x0a, 0x00, 0x00),   /* memory.copy */
    S(4, F(BULK_MEMORY) | F(MULTI_MEMORY), 1, 0, 0xfc, 0x0a, 0x00, 0x02),
    S(3, F(BULK_MEMORY), 1, 0, 0xfc, 0x0b, 0x00),         /* memory.fill */
    S(3, F(BULK_MEMORY) | F(MULTI_MEMORY), 1, 0, 0xfc, 0x0b, 0x01),
    S(4, F(BULK_MEMORY), 1, 0, 0xfc, 0x0c, 0x03, 0x00),   /* table.init 3 0 */
    S(4, F(BULK_MEMORY) | F(REFERENCE_TYPES), 1, 0, 0xfc, 0x0c, 0x03, 0x01),
    S(3, F(BULK_MEMORY), 1, 0, 0xfc, 0x0d, 0x00),         /* elem.drop */
    S(4, F(BULK_MEMORY), 1, 0, 0xfc, 0x0e, 0x00, 0x00),   /* table.copy */
    S(4, F(BULK_MEMORY) | F(REFERENCE_TYPES), 1, 0, 0xfc, 0x0e, 0x01, 0x00),
    S(3, F(REFERENCE_TYPES), 1, 0, 0xfc, 0x0f, 0x00),     /* table.grow */
    S(3, F(REFERENCE_TYPES), 1, 0, 0xfc, 0x10, 0x01),     /* table.size */
    S(3, F(REFERENCE_TYPES), 1, 0, 0xfc, 0x11, 0x02),     /* table.fill */
    /* 0xFD */
    S(4, F(SIMD), 1, 0, 0xfd, 0x00, 0x04, 0x00),          /* v128.load */
    S(6, F(SIMD), 1, 0, 0xfd, 0x0b, 0x04, 0x80, 0x80, 0x01), /* v128.store */
    S(5, F(SIMD) | F(MULTI_MEMORY), 1, 0, 0xfd, 0x0a, 0x43, 0x01, 0x00), /* memory 1 */
    S(18, F(SIMD), 1, 0, 0xfd, 0x0c, C16),                /* v128.const */
    S(18, F(SIMD), 1, 0, 0xfd, 0x0d, C16),                /* i8x16.shuffle */
    S(19, F(SIMD), 1, 0, 0xfd, 0x8c, 0x00, C16),          /* v128.const, padded */
    S(2, F(SIMD), 1, 0, 0xfd, 0x0e),                      /* i8x16.swizzle */
    S(3, F(SIMD), 1, 0, 0xfd, 0x15, 0x0f),                /* extract_lane_s 15 */
    S(3, F(SIMD), 1, 0, 0xfd, 0x22, 0x01),                /* f64x2.replace_lane */
    S(5, F(SIMD), 1, 0, 0xfd, 0x54, 0x00, 0x00, 0x03),    /* v128.load8_lane */
    S(5, F(SIMD), 1, 0, 0xfd, 0x5b, 0x03, 0x08, 0x01),    /* v128.store64_lane */
    S(4, F(SIMD), 1, 0, 0xfd, 0x5d, 0x03, 0x00),          /* v128.load64_zero */
    S(2, F(SIMD), 1, 0, 0xfd, 0x53),                      /* v128.any_true */
    S(3, F(SIMD), 1, 0, 0xfd, 0x80, 0x01),                /* i16x8.abs (0x80) */
    S(3, F(SIMD), 1, 0, 0xfd, 0xff, 0x01),                /* 0xff */
    S(3, F(SIMD), 1, 0, 0xfd, 0xa0, 0x01),                /* i32x4.abs */
    S(4, F(SIMD), 1, 0, 0xfd, 0xe4, 0x81, 0x00),          /* 0xe4, three bytes */
    S(3, F(SIMD) | F(RELAXED_SIMD), 1, 0, 0xfd, 0x80, 0x02), /* relaxed_swizzle */
    S(3, F(SIMD) | F(RELAXED_SIMD), 1, 0, 0xfd, 0x93, 0x02), /* 0x113 */
    /* 0xFE */
    S(4, F(THREADS), 1, 0, 0xfe, 0x00, 0x02, 0x00),       /* memory.atomic.notify */
    S(4, F(THREADS), 1, 0, 0xfe, 0x01, 0x02, 0x08),
    S(4, F(THREADS), 1, 0, 0xfe, 0x02, 0x03, 0x00),
    S(3, F(THREADS), 1, 0, 0xfe, 0x03, 0x00),             /* atomic.fence */
    S(4, F(THREADS), 1, 0, 0xfe, 0x10, 0x02, 0x00),
    S(5, F(THREADS), 1, 0, 0xfe, 0x1e, 0x02, 0x80, 0x01),
    S(4, F(THREADS), 1, 0, 0xfe, 0x4e, 0x02, 0x00),       /* i64.atomic.rmw32.cmpxchg_u */
    S(5, F(THREADS) | F(MULTI_MEMORY), 1, 0, 0xfe, 0x48, 0x42, 0x01, 0x00),
    /* legacy exception handling */
    S(2, F(EXCEPTIONS_LEGACY), 4, 1, 0x06, 0x40, 0x07, 0x00, 0x19, 0x0b),
    S(2, F(EXCEPTIONS_LEGACY), 5, 1, 0x06, 0x7f, 0x07, 0x00, 0x07, 0x01, 0x19, 0x0b),
    S(2, F(EXCEPTIONS_LEGACY), 3, 1, 0x06, 0x40, 0x19, 0x0b),
    S(2, F(EXCEPTIONS_LEGACY), 2, 1, 0x06, 0x40, 0x0b),
    S(2, F(EXCEPTIONS_LEGACY), 2, 1, 0x06, 0x40, 0x18, 0x00), /* try delegate */
    S(2, F(EXCEPTIONS_LEGACY), 3, 1, 0x06, 0x40, 0x09, 0x00, 0x0b), /* try rethrow end */
    S(2, F(EXCEPTIONS_LEGACY), 1, 0, 0x08, 0x00),         /* throw */
    S(2, F(EXCEPTIONS_LEGACY) | F(MULTI_VALUE), 2, 1, 0x06, 0x03, 0x0b),
    /* exnref exception handling */
    S(13, F(EXCEPTIONS), 2, 1, 0x1f, 0x40, 0x04, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00, 0x02, 0x00,
      0x03, 0x00, 0x0b),
    S(3, F(EXCEPTIONS), 2, 1, 0x1f, 0x7f, 0x00, 0x0b),
    S(1, F(EXCEPTIONS), 1, 0, 0x0a),                      /* throw_ref */
    /* tail calls, typed function references */
    S(2, F(TAIL_CALL), 1, 0, 0x12, 0x00),
    S(3, F(TAIL_CALL), 1, 0, 0x13, 0x00, 0x00),
    S(3, F(TAIL_CALL) | F(REFERENCE_TYPES), 1, 0, 0x13, 0x00, 0x01),
    S(2, F(TAIL_CALL) | F(FUNCTION_REFERENCES), 1, 0, 0x15, 0x00),
    S(2, F(FUNCTION_REFERENCES), 1, 0, 0x14, 0x01),
    S(1, F(FUNCTION_REFERENCES), 1, 0, 0xd4),
    S(2, F(FUNCTION_REFERENCES), 1, 0, 0xd5, 0x00),
    S(2, F(FUNCTION_REFERENCES), 1, 0, 0xd6, 0x01),
    /* reference types */
    S(2, F(REFERENCE_TYPES), 1, 0, 0xd0, 0x70),           /* ref.null func */
    S(2, F(REFERENCE_TYPES), 1, 0, 0xd0, 0x6f),
    S(2, F(REFERENCE_TYPES) | F(FUNCTION_REFERENCES), 1, 0, 0xd0, 0x00),
    S(3, F(REFERENCE_TYPES) | F(FUNCTION_REFERENCES), 1, 0, 0xd0, 0xc7, 0x01),
    S(2, F(REFERENCE_TYPES) | F(GC), 1, 0, 0xd0, 0x6e),   /* ref.null any */
    S(2, F(REFERENCE_TYPES) | F(GC), 1, 0, 0xd0, 0x71),   /* none */
    S(2, F(REFERENCE_TYPES) | F(EXCEPTIONS), 1, 0, 0xd0, 0x69),
    S(2, F(REFERENCE_TYPES) | F(EXCEPTIONS), 1, 0, 0xd0, 0x74),
    S(3, F(REFERENCE_TYPES), 1, 0, 0xd0, 0xf0, 0x7f),     /* func, two bytes */
    S(1, F(REFERENCE_TYPES), 1, 0, 0xd1),
    S(2, F(REFERENCE_TYPES), 1, 0, 0xd2, 0x00),
    S(2, F(REFERENCE_TYPES), 1, 0, 0x25, 0x00),
    S(2, F(REFERENCE_TYPES), 1, 0, 0x26, 0x01),
    /* GC */
    S(1, F(GC), 1, 0, 0xd3),                              /* ref.eq */
    S(3, F(GC), 1, 0, 0xfb, 0x00, 0x00),                  /* struct.new */
    S(3, F(GC), 1, 0, 0xfb, 0x01, 0x05),
    S(4, F(GC), 1, 0, 0xfb, 0x02, 0x00, 0x01),            /* struct.get */
    S(4, F(GC), 1, 0, 0xfb, 0x03, 0x00, 0x01),
    S(4, F(GC), 1, 0, 0xfb, 0x04, 0x00, 0x01),
    S(5, F(GC), 1, 0, 0xfb, 0x05, 0x00, 0x81, 0x01),      /* struct.set */
    S(3, F(GC), 1, 0, 0xfb, 0x06, 0x02),                  /* array.new */
    S(3, F(GC), 1, 0, 0xfb, 0x07, 0x02),
    S(5, F(GC), 1, 0, 0xfb, 0x08, 0x02, 0xe8, 0x07),      /* array.new_fixed 2 1000 */
    S(4, F(GC), 1, 0, 0xfb, 0x09, 0x02, 0x00),            /* array.new_data */
    S(4, F(GC), 1, 0, 0xfb, 0x0a, 0x02, 0x00),            /* array.new_elem */
    S(3, F(GC), 1, 0, 0xfb, 0x0b, 0x02),                  /* array.get */
    S(3, F(GC), 1, 0, 0xfb, 0x0c, 0x02),
    S(3, F(GC), 1, 0, 0xfb, 0x0d, 0x02),
    S(3, F(GC), 1, 0, 0xfb, 0x0e, 0x02),                  /* array.set */
    S(2, F(GC), 1, 0, 0xfb, 0x0f),                        /* array.len */
    S(3, F(GC), 1, 0, 0xfb, 0x10, 0x02),                  /* array.fill */
    S(4, F(GC), 1, 0, 0xfb, 0x11, 0x02, 0x03),            /* array.copy */
    S(4, F(GC), 1, 0, 0xfb, 0x12, 0x02, 0x00),            /* array.init_data */
    S(4, F(GC), 1, 0, 0xfb, 0x13, 0x02, 0x00),            /* array.init_elem */
    S(3, F(GC), 1, 0, 0xfb, 0x14, 0x6e),                  /* ref.test any */
    S(3, F(GC) | F(FUNCTION_REFERENCES), 1, 0, 0xfb, 0x15, 0x03),
    S(3, F(GC) | F(REFERENCE_TYPES), 1, 0, 0xfb, 0x16, 0x70), /* ref.cast func */
    S(3, F(GC), 1, 0, 0xfb, 0x17, 0x6c),
    S(6, F(GC), 1, 0, 0xfb, 0x18, 0x03, 0x00, 0x6e, 0x6c), /* br_on_cast */
    S(6, F(GC) | F(FUNCTION_REFERENCES), 1, 0, 0xfb, 0x19, 0x00, 0x01, 0x6e, 0x05),
    S(2, F(GC), 1, 0, 0xfb, 0x1a),                        /* any.convert_extern */
    S(2, F(GC), 1, 0, 0xfb, 0x1b),
    S(2, F(GC), 1, 0, 0xfb, 0x1c),                        /* ref.i31 */
    S(2, F(GC), 1, 0, 0xfb, 0x1d),
    S(2, F(GC), 1, 0, 0xfb, 0x1e),
};
#define NSNIPS (sizeof snips / sizeof snips[0])

static void test_families(void) {
  for (size_t i = 0; i < NSNIPS; i++) {
    const snip *s = &snips[i];
    uint8_t body[64];
    memcpy(body, s->b, s->n);
    body[s->n] = 0x0b;
    body_case(s->line, body, s->n + 1, NTYPES,
              (want){NULL, false, 0, s->feats, s->count + 1, s->maxd});
  }
}

/* Cut every snippet at every byte of its first instruction. */
static void test_truncation(void) {
  for (size_t i = 0; i < NSNIPS; i++) {
    const snip *s = &snips[i];
    for (unsigned cut = 0; cut <= s->ilen; cut++) {
      want w = {"unexpected end of function body", false, cut, 0, 0, 0};
      if (cut > 0 && cut < s->ilen) {
        w.msg = "unexpected end of function body while reading ";
        w.prefix = true;
        w.off = 0;
      }
      body_case(s->line, s->b, cut, NTYPES, w);
    }
  }
}

/* ---- errors --------------------------------------------------------------- */

static void test_unknown(void) {
  BODY_ERR(0, "unknown opcode 0x27", 0x27, 0x0b);
  BODY_ERR(0, "unknown opcode 0x16", 0x16, 0x0b);
  BODY_ERR(0, "unknown opcode 0x17", 0x17, 0x0b);
  BODY_ERR(0, "unknown opcode 0x1d", 0x1d, 0x0b);
  BODY_ERR(0, "unknown opcode 0xc5", 0xc5, 0x0b);
  BODY_ERR(0, "unknown opcode 0xcf", 0xcf, 0x0b);
  BODY_ERR(0, "unknown opcode 0xd7", 0xd7, 0x0b);
  BODY_ERR(0, "unknown opcode 0xe0", 0xe0, 0x0b);
  BODY_ERR(0, "unknown opcode 0xff", 0xff, 0x0b);
  BODY_ERR(2, "unknown opcode 0xfc 0x12", 0x20, 0x00, 0xfc, 0x12, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfc 0x80", 0xfc, 0x80, 0x01, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfd 0x114", 0xfd, 0x94, 0x02, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfd 0x1ff", 0xfd, 0xff, 0x03, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfd 0x9a", 0xfd, 0x9a, 0x01, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfd 0xee", 0xfd, 0xee, 0x01, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfd 0x4000", 0xfd, 0x80, 0x80, 0x01, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfe 0x4f", 0xfe, 0x4f, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfe 0x4", 0xfe, 0x04, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfe 0xf", 0xfe, 0x0f, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfb 0x1f", 0xfb, 0x1f, 0x0b);
  BODY_ERR(0, "unknown opcode 0xfb 0x80", 0xfb, 0x80, 0x01, 0x0b);
  /* after a block, inside an if */
  BODY_ERR(4, "unknown opcode 0x27", 0x04, 0x40, 0x41, 0x00, 0x27, 0x0b, 0x0b);
}

static void test_leb_errors(void) {
  BODY_ERR(0, "invalid local index: integer representation too long",
           0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  BODY_ERR(0, "invalid local index: integer too large", 0x20, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b);
  BODY_ERR(0, "invalid function index: integer too large", 0x10, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x0b);
  BODY_ERR(0, "invalid label index: integer representation too long",
           0x0c, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  BODY_ERR(0, "invalid i32 constant: integer too large", 0x41, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b);
  BODY_ERR(0, "invalid i32 constant: integer too large", 0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x0b);
  BODY_ERR(0, "invalid i32 constant: integer representation too long",
           0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  BODY_ERR(0, "invalid i64 constant: integer representation too long", 0x42, 0x80, 0x80, 0x80,
           0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  BODY_ERR(0, "invalid i64 constant: integer too large", 0x42, 0xff, 0xff, 0xff, 0xff, 0xff,
           0xff, 0xff, 0xff, 0xff, 0x01, 0x0b);
  BODY_ERR(0, "invalid memory offset: integer representation too long", 0x28, 0x02, 0x80, 0x80,
           0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  BODY_ERR(0, "invalid memory offset: integer too large", 0x28, 0x02, 0xff, 0xff, 0xff, 0xff,
           0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x0b);
  BODY_ERR(0, "invalid memory alignment: integer too large", 0x28, 0x80, 0x80, 0x80, 0x80, 0x10,
           0x00, 0x0b);
  BODY_ERR(0, "invalid memory alignment 0x80", 0x28, 0x80, 0x01, 0x00, 0x0b);
  BODY_ERR(0, "invalid memory alignment 0xc0", 0x28, 0xc0, 0x01, 0x00, 0x00, 0x0b);
  BODY_ERR(0, "invalid memory index: integer too large", 0x28, 0x40, 0xff, 0xff, 0xff, 0xff,
           0x7f, 0x00, 0x0b);
  BODY_ERR(0, "invalid opcode: integer representation too long", 0xfd, 0x80, 0x80, 0x80, 0x80,
           0x80, 0x00, 0x0b);
  BODY_ERR(0, "invalid opcode: integer too large", 0xfc, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b);
  BODY_ERR(0, "invalid type index: integer too large", 0x11, 0x80, 0x80, 0x80, 0x80, 0x10, 0x00,
           0x0b);
  BODY_ERR(0, "invalid table index: integer too large", 0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10,
           0x0b);
  BODY_ERR(0, "invalid label index: integer too large", 0x0e, 0x01, 0x00, 0x80, 0x80, 0x80,
           0x80, 0x10, 0x0b);
  BODY_ERR(0, "invalid block type: integer representation too long", 0x02, 0x80, 0x80, 0x80,
           0x80, 0x80, 0x00, 0x0b, 0x0b);
  BODY_ERR(0, "invalid heap type: integer too large", 0xd0, 0x80, 0x80, 0x80, 0x80, 0x40, 0x0b);
  /* a long one after a short one, inside a block */
  BODY_ERR(4, "invalid local index: integer too large", 0x02, 0x40, 0x20, 0x01, 0x20, 0xff, 0xff,
           0xff, 0xff, 0x7f, 0x0b, 0x0b);
}

static void test_immediate_errors(void) {
  BODY_ERR_T(5, 0, "invalid block type: type index 5 out of range (5 types)",
             0x02, 0x05, 0x0b, 0x0b);
  BODY_ERR_T(0, 0, "invalid block type: type index 0 out of range (0 types)",
             0x03, 0x00, 0x0b, 0x0b);
  BODY_ERR_T(5, 0, "invalid block type: type index 4026531840 out of range (5 types)",
             0x02, 0x80, 0x80, 0x80, 0x80, 0x0f, 0x0b, 0x0b);
  BODY_ERR(0, "invalid block type: integer too large", 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, 0x0b,
           0x0b);
  BODY_ERR(0, "invalid block type 0x41", 0x02, 0x41, 0x0b, 0x0b);
  BODY_ERR(0, "invalid block type 0x60", 0x04, 0x60, 0x0b, 0x0b);
  BODY_ERR(0, "invalid block type -64", 0x02, 0xc0, 0x7f, 0x0b, 0x0b);
  BODY_ERR(0, "invalid heap type -64", 0x02, 0x63, 0x40, 0x0b, 0x0b);
  BODY_ERR_T(5, 0, "invalid heap type: type index 5 out of range (5 types)",
             0x02, 0x64, 0x05, 0x0b, 0x0b);
  BODY_ERR(0, "invalid value type 0x40", 0x1c, 0x01, 0x40, 0x0b);
  BODY_ERR(0, "invalid value type 0x78", 0x1c, 0x01, 0x78, 0x0b);
  BODY_ERR(0, "select must have exactly one type (has 2)", 0x1c, 0x02, 0x7f, 0x7f, 0x0b);
  BODY_ERR(0, "select must have exactly one type (has 0)", 0x1c, 0x00, 0x0b);
  BODY_ERR(0, "invalid heap type -64", 0xd0, 0x40, 0x0b);
  BODY_ERR(0, "invalid heap type -65", 0xd0, 0xbf, 0x7f, 0x0b);
  BODY_ERR_T(5, 0, "invalid heap type: type index 5 out of range (5 types)", 0xd0, 0x05, 0x0b);
  BODY_ERR(0, "invalid catch clause kind 0x04", 0x1f, 0x40, 0x01, 0x04, 0x00, 0x0b, 0x0b);
  BODY_ERR(0, "atomic.fence: expected 0x00, found 0x01", 0xfe, 0x03, 0x01, 0x0b);
  BODY_ERR(0, "invalid cast flags 0x04", 0xfb, 0x18, 0x04, 0x00, 0x6e, 0x6e, 0x0b);
  BODY_ERR(0, "unexpected end of function body while reading br_table labels",
           0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b);
  BODY_ERR(0, "unexpected end of function body while reading br_table labels",
           0x0e, 0x02, 0x00, 0x0b);
  BODY_ERR(0, "unexpected end of function body while reading label index",
           0x0e, 0x02, 0x00, 0x80, 0x80);
  BODY_ERR(0, "unexpected end of function body while reading v128 constant",
           0xfd, 0x0c, 0x00, 0x00, 0x00, 0x0b);
  BODY_ERR(0, "unexpected end of function body while reading shuffle lanes",
           0xfd, 0x0d, 0x00, 0x00, 0x00, 0x0b);
  BODY_ERR(0, "unexpected end of function body while reading catch clause",
           0x1f, 0x40, 0x05, 0x02, 0x00);
}

static void test_blocks(void) {
  BODY_ERR(0, "else without a matching if", 0x05, 0x0b);
  BODY_ERR(2, "else without a matching if", 0x02, 0x40, 0x05, 0x0b, 0x0b);
  BODY_ERR(2, "else without a matching if", 0x03, 0x40, 0x05, 0x0b, 0x0b);
  BODY_ERR(3, "else without a matching if", 0x04, 0x40, 0x05, 0x05, 0x0b, 0x0b);
  BODY_ERR(2, "else without a matching if", 0x06, 0x40, 0x05, 0x0b, 0x0b);
  BODY_ERR(4, "else without a matching if", 0x04, 0x40, 0x02, 0x40, 0x05, 0x0b, 0x0b, 0x0b);
  BODY_ERR(0, "catch without a matching try", 0x07, 0x00, 0x0b);
  BODY_ERR(2, "catch without a matching try", 0x02, 0x40, 0x07, 0x00, 0x0b, 0x0b);
  BODY_ERR(0, "catch_all without a matching try", 0x19, 0x0b);
  BODY_ERR(3, "catch_all after catch_all", 0x06, 0x40, 0x19, 0x19, 0x0b, 0x0b);
  BODY_ERR(3, "catch after catch_all", 0x06, 0x40, 0x19, 0x07, 0x00, 0x0b, 0x0b);
  BODY_ERR(3, "catch without a matching try", 0x1f, 0x40, 0x00, 0x07, 0x00, 0x0b, 0x0b);
  BODY_ERR(0, "delegate without a matching try", 0x18, 0x00, 0x0b);
  BODY_ERR(4, "delegate without a matching try", 0x06, 0x40, 0x07, 0x00, 0x18, 0x00, 0x0b);
  BODY_ERR(2, "delegate without a matching try", 0x02, 0x40, 0x18, 0x00, 0x0b, 0x0b);
  /* the final end, too early */
  BODY_ERR(0, "function body must end at its declared size (2 bytes follow its final end)",
           0x0b, 0x01, 0x0b);
  BODY_ERR(4, "function body must end at its declared size (1 bytes follow its final end)",
           0x02, 0x40, 0x0b, 0x01, 0x0b, 0x0b);
  BODY_ERR(1, "function body must end at its declared size (1 bytes follow its final end)",
           0x01, 0x0b, 0x0b);
  /* no final end */
  BODY_ERR(1, "unexpected end of function body", 0x01);
  BODY_ERR(3, "unexpected end of function body", 0x02, 0x40, 0x0b);
  BODY_ERR(2, "unexpected end of function body", 0x04, 0x40);
  body_case(__LINE__, (const uint8_t[]){0}, 0, NTYPES,
            (want){"unexpected end of function body", false, 0, 0, 0, 0});
  /* nesting and depth */
  BODY_OK(0, 9, 4, 0x02, 0x40, 0x03, 0x40, 0x04, 0x40, 0x02, 0x40, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b);
  BODY_OK(0, 7, 2, 0x02, 0x40, 0x02, 0x40, 0x0b, 0x02, 0x40, 0x0b, 0x0b, 0x0b);
  BODY_OK(0, 6, 1, 0x04, 0x40, 0x05, 0x0b, 0x04, 0x40, 0x0b, 0x0b);
  BODY_OK(F(EXCEPTIONS_LEGACY), 7, 2, 0x06, 0x40, 0x06, 0x40, 0x18, 0x00, 0x07, 0x00, 0x19, 0x0b,
          0x0b);
}

/* Deep nesting: the control stack grows, in both paths. */
static void test_deep(void) {
  enum { DEPTH = 5000 };
  size_t n = DEPTH * 3 + 1;
  uint8_t *b = malloc(n);
  for (size_t i = 0; i < DEPTH; i++) {
    b[2 * i] = (uint8_t)(i % 3 == 0 ? 0x02 : i % 3 == 1 ? 0x03 : 0x04);
    b[2 * i + 1] = 0x40;
  }
  memset(b + 2 * DEPTH, 0x0b, DEPTH + 1);
  for (int simd = 0; simd <= 1; simd++) {
    res r = run(b, n, 0, WDI_EXPR_BODY, NTYPES, simd);
    CHECK_EQ_INT(r.st, WD_OK);
    CHECK_EQ_INT(r.maxd, DEPTH);
    CHECK_EQ_INT(r.count, 2 * DEPTH + 1);
  }
  /* an else deep down, and one too many ends */
  b[2 * (DEPTH - 1)] = 0x04;
  uint8_t *c = malloc(n + 2);
  memcpy(c, b, 2 * DEPTH);
  c[2 * DEPTH] = 0x05;
  memset(c + 2 * DEPTH + 1, 0x0b, DEPTH + 1);
  c[n + 1] = 0x0b;
  res r0 = run(c, n + 1, 0, WDI_EXPR_BODY, NTYPES, 0);
  res r1 = run(c, n + 1, 0, WDI_EXPR_BODY, NTYPES, 1);
  CHECK_EQ_INT(r0.st, WD_OK);
  CHECK(same(&r0, &r1));
  res e0 = run(c, n + 2, 0, WDI_EXPR_BODY, NTYPES, 0);
  res e1 = run(c, n + 2, 0, WDI_EXPR_BODY, NTYPES, 1);
  CHECK_EQ_INT(e0.st, WD_ERR_MALFORMED);
  CHECK(same(&e0, &e1));
  CHECK_EQ_STR(e0.msg, "function body must end at its declared size (1 bytes follow its final end)");
  free(b);
  free(c);
}

/* ---- constant expressions -------------------------------------------- */

static void const_case(int line, const uint8_t *b, size_t n, uint64_t end, uint32_t feats,
                       uint64_t count, const char *msg, uint64_t off) {
  res r = run(b, n, 0, WDI_EXPR_CONST, NTYPES, 1);
  bool ok;
  if (msg)
    ok = r.st == WD_ERR_MALFORMED && r.has_off && r.off == PRE + off && strcmp(r.msg, msg) == 0;
  else
    ok = r.st == WD_OK && r.end == PRE + end && r.feats == feats && r.count == count &&
         r.maxd == 0;
  if (ok) {
    check_passed++;
  } else {
    check_failed++;
    fprintf(stderr, "%s:%d: constant expression case failed\n", __FILE__, line);
    show("got", &r);
  }
}
#define CONST_OK(end, feats, count, ...) \
  const_case(__LINE__, BYTES(__VA_ARGS__), end, feats, count, NULL, 0)
#define CONST_ERR(off, msg, ...) const_case(__LINE__, BYTES(__VA_ARGS__), 0, 0, 0, msg, off)

static void test_const(void) {
  CONST_OK(3, 0, 2, 0x41, 0x05, 0x0b);
  CONST_OK(3, 0, 2, 0x41, 0x05, 0x0b, 0xaa, 0xbb); /* stops at the end */
  CONST_OK(3, 0, 2, 0x41, 0x05, 0x0b, 0x0b);
  CONST_OK(7, 0, 2, 0x41, 0x80, 0x80, 0x80, 0x80, 0x78, 0x0b);
  CONST_OK(3, 0, 2, 0x23, 0x00, 0x0b);
  CONST_OK(6, 0, 2, 0x43, 0x00, 0x00, 0x80, 0x3f, 0x0b);
  CONST_OK(10, 0, 2, 0x44, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x0b);
  CONST_OK(3, F(REFERENCE_TYPES), 2, 0xd0, 0x70, 0x0b);
  CONST_OK(3, F(REFERENCE_TYPES), 2, 0xd2, 0x07, 0x0b);
  CONST_OK(6, F(EXTENDED_CONST), 4, 0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b);
  CONST_OK(9, F(EXTENDED_CONST), 6, 0x23, 0x00, 0x41, 0x02, 0x6c, 0x41, 0x01, 0x6b, 0x0b);
  CONST_OK(6, F(EXTENDED_CONST), 4, 0x42, 0x01, 0x42, 0x02, 0x7e, 0x0b);
  CONST_OK(6, F(EXTENDED_CONST), 4, 0x42, 0x01, 0x23, 0x01, 0x7d, 0x0b);
  CONST_OK(6, F(EXTENDED_CONST), 4, 0x42, 0x01, 0x42, 0x01, 0x7c, 0x0b);
  CONST_OK(19, F(SIMD), 2, 0xfd, 0x0c, C16, 0x0b);
  CONST_OK(5, F(GC), 3, 0x41, 0x00, 0xfb, 0x1c, 0x0b);        /* ref.i31 */
  CONST_OK(4, F(GC), 2, 0xfb, 0x00, 0x00, 0x0b);              /* struct.new */
  CONST_OK(4, F(GC), 2, 0xfb, 0x01, 0x00, 0x0b);
  CONST_OK(4, F(GC), 2, 0xfb, 0x06, 0x00, 0x0b);              /* array.new */
  CONST_OK(4, F(GC), 2, 0xfb, 0x07, 0x00, 0x0b);
  CONST_OK(5, F(GC), 2, 0xfb, 0x08, 0x00, 0x02, 0x0b);        /* array.new_fixed */
  CONST_OK(3, F(GC), 2, 0xfb, 0x1a, 0x0b);                    /* any.convert_extern */
  CONST_OK(5, F(GC) | F(REFERENCE_TYPES), 3, 0xd0, 0x6e, 0xfb, 0x1b, 0x0b);
  CONST_ERR(0, "instruction local.get is not allowed in a constant expression", 0x20, 0x00, 0x0b);
  CONST_ERR(2, "instruction i32.div_s is not allowed in a constant expression",
            0x41, 0x01, 0x6d, 0x0b);
  CONST_ERR(0, "instruction nop is not allowed in a constant expression", 0x01, 0x0b);
  CONST_ERR(0, "instruction block is not allowed in a constant expression", 0x02, 0x40, 0x0b, 0x0b);
  CONST_ERR(0, "instruction global.set is not allowed in a constant expression", 0x24, 0x00, 0x0b);
  CONST_ERR(0, "instruction i32.trunc_sat_f32_s is not allowed in a constant expression",
            0xfc, 0x00, 0x0b);
  CONST_ERR(0, "instruction i8x16.swizzle is not allowed in a constant expression",
            0xfd, 0x0e, 0x0b);
  CONST_ERR(0, "instruction atomic.fence is not allowed in a constant expression",
            0xfe, 0x03, 0x00, 0x0b);
  CONST_ERR(0, "instruction struct.get is not allowed in a constant expression",
            0xfb, 0x02, 0x00, 0x00, 0x0b);
  CONST_ERR(0, "instruction array.new_data is not allowed in a constant expression",
            0xfb, 0x09, 0x00, 0x00, 0x0b);
  CONST_ERR(0, "unknown opcode 0x27", 0x27, 0x0b);
  CONST_ERR(0, "unknown opcode 0xfd 0x114", 0xfd, 0x94, 0x02, 0x0b);
  CONST_ERR(0, "unknown opcode 0xfb 0x1f", 0xfb, 0x1f, 0x0b);
  CONST_ERR(2, "unexpected end of constant expression", 0x41, 0x00);
  const_case(__LINE__, (const uint8_t[]){0}, 0, 0, 0, 0, "unexpected end of constant expression", 0);
  CONST_ERR(0, "unexpected end of constant expression while reading i32 constant", 0x41);
  CONST_ERR(0, "unexpected end of constant expression while reading i32 constant", 0x41, 0x80);
  CONST_ERR(0, "invalid i32 constant: integer representation too long",
            0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b);
  CONST_ERR(0, "unexpected end of constant expression while reading f64 constant",
            0x44, 0x00, 0x00, 0x00);
}

/* ---- accumulation across calls ---------------------------------------- */

static void test_accumulate(void) {
  static const uint8_t a[] = {0x02, 0x40, 0x02, 0x40, 0x0b, 0x0b, 0xc0, 0x0b};
  static const uint8_t b[] = {0x41, 0x00, 0xfd, 0x0f, 0x0b};
  for (int simd = 0; simd <= 1; simd++) {
    wdi_code_simd = simd;
    wdi_code_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    wd_error err;
    wd_error_clear(&err);
    uint64_t end;
    CHECK_EQ_INT(wdi_decode_expr(&ctx, a, 0, sizeof a, WDI_EXPR_BODY, &end, &err), WD_OK);
    CHECK_EQ_INT(end, sizeof a);
    CHECK_EQ_INT(wdi_decode_expr(&ctx, b, 0, sizeof b, WDI_EXPR_BODY, &end, &err), WD_OK);
    CHECK_EQ_INT(wdi_decode_expr(&ctx, b, 0, 3, WDI_EXPR_BODY, &end, &err), WD_ERR_MALFORMED);
    CHECK_EQ_INT(err.offset, 2);
    CHECK(err.has_offset);
    CHECK_EQ_INT(err.code, WD_ERR_MALFORMED);
    CHECK_EQ_INT(ctx.instructions, 6 + 3);
    CHECK_EQ_INT(ctx.max_depth, 2);
    CHECK_EQ_INT(ctx.features, F(SIGN_EXT) | F(SIMD));
    /* a context released and used again */
    wdi_code_ctx_release(&ctx);
    CHECK(ctx.ctl == NULL && ctx.ctl_cap == 0);
    CHECK_EQ_INT(wdi_decode_expr(&ctx, a, 0, sizeof a, WDI_EXPR_BODY, &end, &err), WD_OK);
    wdi_code_ctx_release(&ctx);
    wdi_code_simd = 1;
  }
  /* where and func are the caller's */
  wdi_code_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  wd_error err;
  wd_error_clear(&err);
  snprintf(err.where, sizeof err.where, "code section");
  err.func = 7;
  uint64_t end;
  static const uint8_t bad[] = {0x01, 0x27, 0x0b};
  CHECK_EQ_INT(wdi_decode_expr(&ctx, bad, 0, sizeof bad, WDI_EXPR_BODY, &end, &err),
               WD_ERR_MALFORMED);
  CHECK_EQ_STR(err.where, "code section");
  CHECK_EQ_INT(err.func, 7);
  CHECK_EQ_INT(err.offset, 1);
  char line[1024];
  wd_error_format(&err, line, sizeof line);
  CHECK_EQ_STR(line, "code section, function 7, offset 0x1: unknown opcode 0x27");
  wdi_code_ctx_release(&ctx);
}

/* ---- real modules, against wasm-objdump -d ------------------------------ */

typedef struct module_want {
  const char *file;
  uint32_t feats;
  uint32_t nfuncs;
  const uint32_t *counts; /* instructions per body, final end included */
} module_want;

/* wasm-objdump 1.0.32 -d, one line per instruction */
static const uint32_t feat_counts[] = {
    33, 39, 110, 43, 41, 16, 10, 7, 5, 196, 2, 39, 143, 4, 72, 21, 9, 2, 164, 735, 5, 45, 29, 35,
    6, 82, 16, 151, 4, 116, 5, 22, 279, 4, 3045, 88, 812, 263, 759, 47, 5, 2, 3, 9, 172, 94, 6};
static const uint32_t eh_counts[] = {
    2,  36, 570, 4,  2,  36, 175, 2996, 793, 759, 5, 379, 7, 376, 4,  13, 4,  39, 15, 5,  40, 58,
    83, 3,  90,  6,  34, 38, 6,   99,   7,   8,   2, 2,   3, 61,  212, 45, 12, 23, 77, 16, 117, 73,
    26, 13, 2,   2,  28, 6,  5,   161,  32,  48,  54, 15, 14, 12, 12, 9, 2, 3, 9, 12};
static const uint32_t misc_counts[] = {2, 3, 11, 4, 34, 18, 20, 16, 24};

static uint8_t *read_file(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc(len > 0 ? (size_t)len : 1);
  *n = fread(b, 1, (size_t)len, f);
  fclose(f);
  return b;
}

static uint32_t leb(const uint8_t *b, size_t n, size_t *pos) {
  uint32_t v = 0;
  int k = wd_leb_u32(b + *pos, b + n, &v);
  if (k <= 0) return 0;
  *pos += (size_t)k;
  return v;
}

static void module_case(const module_want *w, int simd) {
  const char *dir = getenv("WD_SOURCE_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/tests/unit/data/%s", dir ? dir : ".", w->file);
  size_t n;
  uint8_t *b = read_file(path, &n);
  if (!b) {
    check_failed++;
    fprintf(stderr, "cannot read %s (set WD_SOURCE_DIR)\n", path);
    return;
  }
  wdi_code_simd = simd;
  wdi_code_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  size_t pos = 8;
  uint32_t nbodies = 0, bad = 0;
  while (pos < n) {
    uint8_t id = b[pos++];
    uint32_t len = leb(b, n, &pos);
    size_t end = pos + len;
    if (id == 1) {
      size_t p = pos;
      ctx.ntypes = leb(b, n, &p);
    } else if (id == 10) {
      size_t p = pos;
      uint32_t count = leb(b, n, &p);
      CHECK_EQ_INT(count, w->nfuncs);
      for (uint32_t i = 0; i < count && i < w->nfuncs; i++) {
        uint32_t size = leb(b, n, &p);
        size_t body_end = p + size;
        uint32_t ndecl = leb(b, n, &p);
        for (uint32_t j = 0; j < ndecl; j++) {
          (void)leb(b, n, &p);
          p++; /* numeric and vector types only in these modules */
        }
        uint64_t before = ctx.instructions, stop;
        wd_error err;
        wd_error_clear(&err);
        wd_status st = wdi_decode_expr(&ctx, b, p, body_end, WDI_EXPR_BODY, &stop, &err);
        if (st != WD_OK || stop != body_end || ctx.instructions - before != w->counts[i]) {
          if (!bad++)
            fprintf(stderr, "%s (simd %d): function body %u: status %d, %llu instructions, want %u: %s\n",
                    w->file, simd, i, (int)st, (unsigned long long)(ctx.instructions - before),
                    w->counts[i], err.msg);
        }
        nbodies++;
        p = body_end;
      }
    }
    pos = end;
  }
  CHECK_EQ_INT(bad, 0);
  CHECK_EQ_INT(nbodies, w->nfuncs);
  CHECK_EQ_INT(ctx.features, w->feats);
  wdi_code_ctx_release(&ctx);
  wdi_code_simd = 1;
  free(b);
}

static void test_modules(void) {
  static const module_want mods[] = {
      /* emcc -O2 -msimd128 -pthread -mnontrapping-fptoint -mbulk-memory */
      {"code_feat.wasm", F(SIMD) | F(THREADS) | F(BULK_MEMORY) | F(SAT_FLOAT_TO_INT) | F(SIGN_EXT),
       sizeof feat_counts / sizeof feat_counts[0], feat_counts},
      /* em++ -O2 -fwasm-exceptions */
      {"code_eh.wasm", F(EXCEPTIONS_LEGACY), sizeof eh_counts / sizeof eh_counts[0], eh_counts},
      /* wat2wasm --enable-all --no-check code_misc.wat */
      {"code_misc.wasm",
       F(TAIL_CALL) | F(REFERENCE_TYPES) | F(MULTI_MEMORY) | F(BULK_MEMORY) | F(MULTI_VALUE) |
           F(SIMD) | F(RELAXED_SIMD) | F(THREADS) | F(SIGN_EXT) | F(SAT_FLOAT_TO_INT),
       sizeof misc_counts / sizeof misc_counts[0], misc_counts},
  };
  for (size_t i = 0; i < sizeof mods / sizeof mods[0]; i++) {
    module_case(&mods[i], 0);
    module_case(&mods[i], 1);
  }
}

/* ---- the two paths on random input ------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}

/* An LEB128 of v, shortest or (sometimes) padded up to max bytes. */
static size_t put_uleb(uint8_t *o, uint64_t v, unsigned max) {
  size_t k = 0;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v) byte |= 0x80;
    o[k++] = byte;
  } while (v);
  if (rnd() % 8 == 0 && k < max) {
    unsigned extra = 1 + rnd() % (max - (unsigned)k);
    o[k - 1] |= 0x80;
    for (unsigned i = 1; i < extra; i++) o[k++] = 0x80;
    o[k++] = 0x00;
  }
  return k;
}

static size_t put_sleb(uint8_t *o, int64_t v) {
  size_t k = 0;
  for (;;) {
    uint8_t byte = v & 0x7f;
    v >>= 7; /* arithmetic on the implementations we build with */
    bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    if (!done) byte |= 0x80;
    o[k++] = byte;
    if (done) return k;
  }
}

static uint64_t rvalue(void) {
  switch (rnd() % 5) {
  case 0: return rnd() % 64;
  case 1: return rnd() % 200;
  case 2: return rnd() % 70000;
  case 3: return rnd();
  default: return (uint64_t)rnd() << 32 | rnd();
  }
}

/* A random body with instructions of every shape and nested blocks; when
 * !clean, also pieces that are invalid. Returns its length. */
static size_t gen_body(uint8_t *o, size_t cap, bool clean) {
  size_t k = 0;
  uint8_t kinds[256]; /* open blocks: the opcode that opened them, or 0x05 after else */
  unsigned depth = 0;
  while (k + 48 < cap) {
    unsigned r = rnd() % 100;
    if (r < 25) {
      o[k++] = (uint8_t)(0x20 + rnd() % 3);
      k += put_uleb(o + k, rnd() % 3 ? rnd() % 40 : rvalue() & 0xffffffff, 5);
    } else if (r < 35) {
      o[k++] = 0x41;
      k += put_sleb(o + k, (int32_t)rvalue());
    } else if (r < 38) {
      o[k++] = 0x42;
      k += put_sleb(o + k, (int64_t)rvalue());
    } else if (r < 48) {
      o[k++] = (uint8_t)(0x28 + rnd() % 23);
      unsigned flags = rnd() % 4 ? rnd() % 4 : rnd() % 3 == 0 ? 0x40 | (rnd() % 4) : rnd() % 64;
      k += put_uleb(o + k, flags, 5);
      if (flags & 0x40) k += put_uleb(o + k, rnd() % 3, 5);
      k += put_uleb(o + k, rnd() % 4 ? rnd() % 100 : rvalue(), 10);
    } else if (r < 60) {
      o[k++] = (uint8_t)(0x45 + rnd() % 128);
    } else if (r < 65 && depth < sizeof kinds) {
      uint8_t op = (uint8_t)((unsigned[]){0x02, 0x03, 0x04, 0x06}[rnd() % 4]);
      o[k++] = op;
      unsigned t = rnd() % 12;
      if (t < 6) o[k++] = 0x40;
      else if (t < 8) o[k++] = 0x7f;
      else if (t == 8) k += put_uleb(o + k, rnd() % 4, 5); /* a type index */
      else if (t == 9) o[k++] = 0x7b;
      else if (t == 10) o[k++] = 0x70;
      else { o[k++] = 0x63; o[k++] = 0x70; }
      kinds[depth++] = op;
    } else if (r < 73 && depth) {
      uint8_t top = kinds[depth - 1];
      if (top == 0x04 && rnd() % 2) {
        o[k++] = 0x05; /* else, end later */
        kinds[depth - 1] = 0x05;
      } else if (top == 0x06 && rnd() % 3 == 0) {
        o[k++] = 0x18; /* delegate */
        k += put_uleb(o + k, rnd() % depth, 5);
        depth--;
      } else if (top == 0x06 && rnd() % 2) {
        o[k++] = 0x07; /* catch, then catch_all or end later */
        k += put_uleb(o + k, rnd() % 3, 5);
        if (rnd() % 2) o[k++] = 0x19;
        kinds[depth - 1] = 0x07;
      } else {
        o[k++] = 0x0b;
        depth--;
      }
    } else if (r < 77) {
      o[k++] = (uint8_t)(0x0c + rnd() % 2);
      k += put_uleb(o + k, rnd() % (depth + 1), 5);
    } else if (r < 80) {
      o[k++] = 0x10;
      k += put_uleb(o + k, rnd() % 100000, 5);
    } else if (r < 82) {
      o[k++] = 0x11;
      k += put_uleb(o + k, rnd() % 300, 5);
      k += put_uleb(o + k, rnd() % 8 == 0, 5);
    } else if (r < 84) {
      o[k++] = 0x0e;
      unsigned n = rnd() % 5;
      k += put_uleb(o + k, n, 5);
      for (unsigned i = 0; i <= n; i++) k += put_uleb(o + k, rnd() % (depth + 1), 5);
    } else if (r < 88) {
      o[k++] = 0xfd;
      unsigned sub;
      if (rnd() % 3 == 0) sub = 0x0c + rnd() % 2; /* v128.const, i8x16.shuffle: often */
      else do sub = rnd() % 0x118; while (clean && (sub >= WDI_SIMD_COUNT || wdi_simd_shape[sub] == 'U'));
      k += put_uleb(o + k, sub, 5);
      char sh = sub < WDI_SIMD_COUNT ? wdi_simd_shape[sub] : 'U';
      if (sh == 'M' || sh == 'K') {
        unsigned flags = rnd() % 6 ? rnd() % 5 : 0x40 | (rnd() % 5);
        k += put_uleb(o + k, flags, 5);
        if (flags & 0x40) k += put_uleb(o + k, rnd() % 2, 5);
        k += put_uleb(o + k, rnd() % 300, 10);
      }
      if (sh == 'K' || sh == 'L') o[k++] = (uint8_t)(rnd() % 16);
      if (sh == 'C') /* half the time bytes that would read as instructions */
        for (int i = 0, like = rnd() % 2; i < 16; i++)
          o[k++] = like ? (uint8_t)((unsigned[]){0x02, 0x04, 0x05, 0x0b, 0x0e, 0x11, 0x20, 0x28,
                                                 0x41, 0x42, 0x80, 0xfc, 0xfd, 0xff}[rnd() % 14])
                        : (uint8_t)rnd();
    } else if (r < 89) {
      o[k++] = 0x43;
      for (int i = 0; i < 4; i++) o[k++] = (uint8_t)rnd();
    } else if (r < 90) {
      o[k++] = 0x44;
      for (int i = 0; i < 8; i++) o[k++] = (uint8_t)rnd();
    } else if (r < 92) {
      o[k++] = 0xfc;
      unsigned sub = rnd() % (clean ? 18 : 19);
      k += put_uleb(o + k, sub, 5);
      if (sub >= 8) k += put_uleb(o + k, rnd() % 3, 5);
      if (sub == 8 || sub == 10 || sub == 12 || sub == 14) k += put_uleb(o + k, rnd() % 2, 5);
    } else if (r < 93) {
      o[k++] = (uint8_t)(0xc0 + rnd() % (clean ? 5 : 6));
    } else if (r < 94) {
      o[k++] = 0xfe;
      unsigned sub;
      do sub = rnd() % 0x50; while (clean && (sub == 0x4f || (sub > 3 && sub < 0x10)));
      k += put_uleb(o + k, sub, 5);
      if (sub == 3) {
        o[k++] = (uint8_t)(clean ? 0 : rnd() % 8 == 0);
      } else {
        o[k++] = (uint8_t)(rnd() % 4);
        k += put_uleb(o + k, rnd() % 300, 10);
      }
    } else if (r < 95) {
      o[k++] = (uint8_t)(rnd() % 2 ? 0x08 : 0x09); /* throw, rethrow */
      k += put_uleb(o + k, rnd() % 3, 5);
    } else if (r < 97) {
      if (rnd() % 2) { /* ref.null heaptype */
        o[k++] = 0xd0;
        o[k++] = (uint8_t)((unsigned[]){0x70, 0x6f, 0x00, 0x6e, 0x71}[rnd() % 5]);
      } else { /* select (result t) */
        o[k++] = 0x1c;
        o[k++] = 0x01;
        o[k++] = (uint8_t)((unsigned[]){0x7f, 0x70, 0x6f, 0x63, 0x7b}[rnd() % 5]);
        if (o[k - 1] == 0x63) o[k++] = 0x6f;
      }
    } else if (!clean) {
      o[k++] = (uint8_t)rnd(); /* anything */
    }
  }
  while (depth--) o[k++] = 0x0b;
  o[k++] = 0x0b;
  return k;
}

static void test_random(void) {
  /* WD_TEST_ROUNDS: more, for a longer hunt */
  const char *env = getenv("WD_TEST_ROUNDS");
  unsigned ROUNDS = env ? (unsigned)strtoul(env, NULL, 10) : 3000;
  uint8_t body[1200];
  unsigned mismatches = 0, ok = 0, total = 0, unclean_fail = 0;
  for (unsigned round = 0; round < ROUNDS; round++) {
    size_t cap = 60 + rnd() % 1000;
    bool clean = rnd() % 2;
    size_t n = gen_body(body, cap, clean);
    for (unsigned m = 0; m < 6; m++) {
      uint8_t b[1300];
      memcpy(b, body, n);
      size_t len = n;
      if (m > 0) { /* mutate */
        unsigned kind = rnd() % 4;
        size_t at = rnd() % len;
        if (kind == 0) b[at] = (uint8_t)rnd();
        else if (kind == 1) b[at] ^= (uint8_t)(1u << (rnd() % 8));
        else if (kind == 2) len = at;
        else {
          memmove(b + at + 1, b + at, len - at);
          b[at] = (uint8_t)rnd();
          len++;
        }
      }
      size_t pads = rnd() % 40;
      uint32_t ntypes = clean || rnd() % 3 ? NTYPES : rnd() % 4;
      res r0 = run(b, len, pads, WDI_EXPR_BODY, ntypes, 0);
      res r1 = run(b, len, pads, WDI_EXPR_BODY, ntypes, 1 + (int)(round % 3));
      total++;
      ok += r0.st == WD_OK;
      if (m == 0 && clean && r0.st != WD_OK && unclean_fail++ < 3) {
        fprintf(stderr, "a clean random body failed: ");
        show("scalar", &r0);
      }
      if (!same(&r0, &r1)) {
        if (mismatches++ < 5) {
          fprintf(stderr, "random body %u/%u (%zu bytes, %zu nops): the paths differ\n", round, m,
                  len, pads);
          show("scalar", &r0);
          show("simd  ", &r1);
        }
      }
    }
  }
  CHECK_EQ_INT(mismatches, 0);
  CHECK_EQ_INT(unclean_fail, 0);
  /* the generator must give both outcomes often */
  CHECK(ok > total / 10);
  CHECK(ok < total - total / 10);
  printf("random bodies: %u, %u decoded\n", total, ok);
}

int main(void) {
  test_families();
  test_truncation();
  test_unknown();
  test_leb_errors();
  test_immediate_errors();
  test_blocks();
  test_deep();
  test_const();
  test_accumulate();
  test_modules();
  test_random();
  return check_summary();
}
