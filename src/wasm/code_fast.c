/*
 * The scalar fast path of the instruction decoder (code_int.h): a threaded
 * dispatch over the opcode's immediate shape, for function bodies shorter
 * than the SIMD scanner takes, what follows where it stops, and other CPUs.
 */
#include <string.h>

#include "wasm/code_int.h"
#include "wasm/opcodes.h"

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

/* Dispatch: with GNU C, a table of label addresses indexed by the opcode
 * and an indirect jump at the end of every handler (each with its own
 * branch-predictor history); otherwise a switch on the shape. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(WD_NO_THREADED_DISPATCH)
#define THREADED 1
#else
#define THREADED 0
#endif

wd_status wdi_fast_expr(dec *dp, const uint8_t *p, uint64_t *end_out) {
  dec d = *dp;
  wdi_code_ctx *const ctx = d.ctx;
  const uint8_t *const e = d.end;

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
      return wdi_fail_end(&d, p);
    }
  slow:
    d.depth = depth;
    d.maxd = maxd;
    d.feats = feats;
    d.count = count;
    {
      const uint8_t *q = p;
      TRY(wdi_decode_one(&d, &q));
      p = q;
    }
    if (d.done) return wdi_dec_finish(&d, p, end_out);
    depth = d.depth;
    maxd = d.maxd;
    feats = d.feats;
    count = d.count;
    ctl = ctx->ctl;
    cap = ctx->ctl_cap;
  }
}
