/*
 * The SIMD boundary scanner of the instruction decoder (x86 SSSE3; see
 * code_int.h).
 *
 * For longer function bodies, instruction boundaries are found 16 bytes at
 * a time by a 16-state automaton run with byte shuffles: the state sits in
 * a vector register and each byte's transition row (16 bytes, one next
 * state per current state) is applied with one pshufb, so the dependency
 * chain is one shuffle per byte rather than a load, a table lookup and a
 * length computation per instruction (or a mispredicted branch).
 *
 * The automaton follows opcodes without immediates, LEB128 immediates,
 * memargs whose flags byte is below 0x40, f32/f64 constants, the block
 * types empty, i32, i64, f32 and f64 (others are rare: 211 of the Godot 4
 * engine's 555,240 blocks), call_indirect, the 0xFD instructions without
 * 16-byte immediates and the 0xFC instructions (trunc_sat, bulk memory,
 * tables). Where it meets anything else it flags a stop (DF_BAIL) and goes
 * on as if the next byte were an opcode; a run of 4 continuation bytes
 * inside an LEB128 (5 bytes or more: possibly overlong or too large) is a
 * stop too. The scan stops at the start of the instruction holding the
 * first stop and decodes it: the common kinds in scan_quick, the rest in
 * the checked path. Then, if the automaton was at an opcode where that
 * instruction ends, the states it went on with are exactly those of a scan
 * started there (it is deterministic), so the scan goes on with them; if
 * not, it scans again from there. On the Godot 4 engine (84,000 stops)
 * the states are taken up again at 69,300 stops and 12,300 instructions
 * end past the bytes scanned; 81 KB are scanned again, where restarting
 * after every stop scanned 2.85 MB again (8.7% of the code section).
 *
 * Instructions that change the block stack or imply features ("specials":
 * block/loop/if/try, else, end, call_indirect, 0xFC, 0xFD, sign extension...)
 * are picked out with a byte classification and queued; the queue is
 * handled in order by small handlers that pass anything unusual (an end at
 * depth 0, an else without if, a table other than 0...) to the checked
 * path. Everything else needs no work beyond being counted.
 *
 * Each shuffle waits for the one before (pshufb's latency, 2 cycles on the
 * AMD EPYC measured), and the processor could run more than one chain at
 * a time. So where two chunks are left, they are run in one loop with two
 * independent chains: the first from the state, the second from a guess
 * taken SCAN_OVERLAP bytes before its chunk, with the opcode state there
 * (and any stop taken as an opcode after it, as above). The automaton
 * is deterministic: if the guess reaches the second chunk in the state the
 * first one ends in, the second chunk's states are the ones a scan in
 * order gives; if not, the second chunk is scanned again in order. On the
 * Godot 4 engine's code section (32.9 MB), guesses from 8 bytes before are
 * wrong for about 1% of the chunk pairs (0.16% from 12 bytes, 13% from 8
 * bytes if a stop stayed stopped).
 */
#include "wasm/code_int.h"

#if WDI_HAVE_SCAN
#include <stdatomic.h>
#include <string.h>
#include <tmmintrin.h>

#include "wasm/opcodes.h"

#define SCAN_TARGET __attribute__((target("ssse3,popcnt")))
#define SCAN_TARGET_AVX __attribute__((target("avx,popcnt")))

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
  D_FC,     /* at the first byte of a 0xFC sub-opcode */
  D_BAIL = 16 /* not a state: the transitions the automaton does not follow */
};
_Static_assert(D_FC == 15, "the automaton has 16 states");

/* A table entry is the next state's number (bits 0-3, what pshufb
 * indexes with) plus flags about the transition in bits 4-6, which pshufb
 * ignores and a shift moves to bit 7 for movemask:
 *   DF_OPCODE          the byte was an instruction's first byte;
 *   DF_OPCODE|DF_MARK  ... and one the queue handlers must see;
 *   DF_MARK alone      the byte was an LEB128 immediate's byte with a
 *                      continuation bit (one more byte follows);
 *   DF_BAIL            a stop: the automaton does not follow this byte
 *                      and takes the next one as an opcode. */
#define DF_OPCODE 0x40u
#define DF_MARK 0x20u
#define DF_BAIL 0x10u

/* What the queue handlers need to know about an opcode (scan_info):
 * its feature bits, and above them whether it is an end or a block/loop/
 * if/try (handled without branches), or one of the rarer kinds. */
#define SP_END (1u << 24)
#define SP_BLOCK (1u << 25)
#define SP_RARE_SHIFT 26
enum { SP_ELSE = 1, SP_CALL_INDIRECT, SP_SIMD, SP_MISC };
#define SP_FEATURES ((1u << 24) - 1)
_Static_assert(WD_FEAT_COUNT <= 24, "feature bits overlap the kinds");

static _Alignas(16) uint8_t scan_row[256][16]; /* [byte][state] -> next state */
static uint32_t scan_info[256];
static bool scan_avx;
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
  case WDI_SH_PREFIX_MISC: return D_FC;
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
    next[D_BT] = b == 0x40 || (b >= 0x7c && b <= 0x7f) ? D_OP : D_BAIL;
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
    /* 0xFC 0x00..0x11: trunc_sat (none), then bulk memory and table
     * instructions with one or two LEB128 indices */
    static const uint8_t fc_next[WDI_MISC_COUNT] = {
      D_OP, D_OP, D_OP, D_OP, D_OP, D_OP, D_OP, D_OP, D_L2,
      D_L1, D_L2, D_L1, D_L2, D_L1, D_L2, D_L1, D_L1, D_L1};
    next[D_FC] = b < WDI_MISC_COUNT ? fc_next[b] : D_BAIL;

    uint32_t info = wdi_op_feat[b];
    switch ((enum wdi_shape)wdi_op_shape[b]) {
    case WDI_SH_END: info |= SP_END; break;
    case WDI_SH_BLOCK: info |= SP_BLOCK; break;
    case WDI_SH_ELSE: info |= (uint32_t)SP_ELSE << SP_RARE_SHIFT; break;
    case WDI_SH_CALL_INDIRECT: info |= (uint32_t)SP_CALL_INDIRECT << SP_RARE_SHIFT; break;
    case WDI_SH_PREFIX_SIMD: info |= (uint32_t)SP_SIMD << SP_RARE_SHIFT; break;
    case WDI_SH_PREFIX_MISC: info |= (uint32_t)SP_MISC << SP_RARE_SHIFT; break;
    default:
      if (next[D_OP] == D_BAIL) info = 0; /* the checked path sees it */
      break;
    }
    scan_info[b] = info;

    for (unsigned st = 0; st < 16; st++) {
      /* where the automaton stops following, it goes on as if the next
       * byte were an opcode (see the top of the file) */
      unsigned flags = next[st] == D_BAIL ? DF_BAIL : 0;
      if (st == D_OP) flags |= DF_OPCODE | (info ? DF_MARK : 0);
      if ((st == D_L1 || st == D_L2) && (b & 0x80)) flags |= DF_MARK;
      scan_row[b][st] = (uint8_t)((next[st] == D_BAIL ? D_OP : next[st]) | flags);
    }
  }
}

bool wdi_scan_init(void) {
  int state = atomic_load_explicit(&scan_ready, memory_order_acquire);
  if (LIKELY(state >= 2)) return state == 2 && wdi_code_simd;
  int expected = 0;
  if (atomic_compare_exchange_strong(&scan_ready, &expected, 1)) {
    __builtin_cpu_init(); /* in case this runs before the constructors */
    bool ok = __builtin_cpu_supports("ssse3") && __builtin_cpu_supports("popcnt");
    if (ok) scan_build();
    scan_avx = __builtin_cpu_supports("avx");
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

/* The kinds the automaton stops at most often, decoded here rather than
 * by the checked path (which takes whatever this declines, and reports
 * any error): v128.const and i8x16.shuffle, and i32.const and i64.const
 * with an LEB128 of 5 bytes or more. On the Godot 4 engine these are
 * 78,100 of its 84,000 stops. On success *qp is the instruction's end
 * and d has counted it with its features, as the checked path would. */
static inline bool scan_quick(dec *d, const uint8_t **qp) {
  const uint8_t *s = *qp;
  const ptrdiff_t left = d->end - s; /* >= 1 */
  const uint8_t op = s[0];
  const uint8_t *q;
  wd_featureset f = wdi_op_feat[op];
  switch (op) {
  case 0xfd: /* 16 bytes after a one-byte sub-opcode 0x0c or 0x0d */
    if (left < 18 || (s[1] != 0x0c && s[1] != 0x0d)) return false;
    f |= FEAT(SIMD);
    q = s + 18;
    break;
  case 0x41: case 0x42: { /* a signed LEB128 of up to 5 or 10 bytes */
    const ptrdiff_t max = op == 0x41 ? 5 : 10;
    ptrdiff_t l = 1;
    while (l <= max && l < left && (s[l] & 0x80)) l++;
    if (l > max || l >= left) return false; /* too long, or cut short */
    /* in the longest form the bits past the value's width repeat its
     * sign: 0x00..0x07 or 0x78..0x7f (32-bit), 0x00 or 0x7f (64-bit) */
    uint8_t b = s[l];
    if (l == max && (op == 0x41 ? (b & 0x78) != 0 && (b & 0x78) != 0x78 : b != 0 && b != 0x7f))
      return false;
    q = s + l + 1;
    break;
  }
  default:
    return false;
  }
  d->feats |= f;
  d->count++;
  *qp = q;
  return true;
}

/* A queued instruction the handlers did not accept: the checked path
 * decodes it (to the same end, or fails) and counts it again. */
NOINLINE static wd_status scan_checked(dec *d, const uint8_t *q, uint32_t depth,
                                       uint32_t maxd, wd_featureset feats) {
  d->depth = depth;
  d->maxd = maxd;
  d->feats = feats & SP_FEATURES;
  TRY(wdi_decode_one(d, &q));
  d->count--;
  return WD_OK;
}

/* Handle the queued instructions batch[0..n) in order; each is a complete
 * instruction whose boundaries the automaton found and whose immediates it
 * checked. */
static wd_status scan_flush(dec *d, const uint8_t *org, const uint32_t *batch, unsigned n) {
  wdi_code_ctx *ctx = d->ctx;
  while (ctx->ctl_cap - d->depth < n + 1) TRY(wdi_grow_ctl(d));
  uint8_t *ctl = ctx->ctl;
  uint32_t depth = d->depth, maxd = d->maxd;
  wd_featureset feats = d->feats; /* with kind bits; masked when stored */
  for (unsigned i = 0; i < n; i++) {
    const uint8_t *q = org + batch[i];
    unsigned op = q[0];
    uint32_t info = scan_info[op];
    feats |= info;
    if (LIKELY(info < 1u << SP_RARE_SHIFT)) {
      /* end, block/loop/if/try (whose block type the automaton checked),
       * feature-only: without branches. The slot above the top gets a
       * kind whatever the instruction (harmless). */
      uint32_t is_end = (info >> 24) & 1, is_block = (info >> 25) & 1;
      if (UNLIKELY(is_end & (depth == 0))) {
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
    case SP_MISC: { /* the automaton saw a sub-opcode below 0x12 and its indices */
      uint32_t sub = q[1];
      /* memory or table indices other than 0 imply features: the checked
       * path finds them */
      static const uint8_t zeros[WDI_MISC_COUNT] = {0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 3, 1, 2, 0, 3};
      static const uint32_t misc_feat[WDI_MISC_COUNT] = {
        FEAT(SAT_FLOAT_TO_INT), FEAT(SAT_FLOAT_TO_INT), FEAT(SAT_FLOAT_TO_INT),
        FEAT(SAT_FLOAT_TO_INT), FEAT(SAT_FLOAT_TO_INT), FEAT(SAT_FLOAT_TO_INT),
        FEAT(SAT_FLOAT_TO_INT), FEAT(SAT_FLOAT_TO_INT), FEAT(BULK_MEMORY),
        FEAT(BULK_MEMORY), FEAT(BULK_MEMORY), FEAT(BULK_MEMORY),
        FEAT(BULK_MEMORY), FEAT(BULK_MEMORY), FEAT(BULK_MEMORY),
        FEAT(REFERENCE_TYPES), FEAT(REFERENCE_TYPES), FEAT(REFERENCE_TYPES)};
      switch (zeros[sub]) {
      case 1: /* the index after the sub-opcode */
        if (UNLIKELY(q[2] != 0)) goto checked;
        break;
      case 2: { /* the second index */
        unsigned l = 2;
        while (q[l] & 0x80) l++;
        if (UNLIKELY(q[l + 1] != 0)) goto checked;
        break;
      }
      case 3: /* both */
        if (UNLIKELY(q[2] != 0 || q[3] != 0)) goto checked;
        break;
      }
      feats |= misc_feat[sub];
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
/* How far before the second chunk of a pair its chain starts (the
 * SCAN_GUESS steps below). */
#define SCAN_OVERLAP 8

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

/* The scan, compiled into each of the two below. */
static inline __attribute__((always_inline)) SCAN_TARGET wd_status scan_body(dec *d,
                                                                           const uint8_t **pp) {
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
    if (UNLIKELY(nb > SCAN_BATCH - 2 * SCAN_CHUNK)) {
      /* keep a last instruction that is not complete yet */
      unsigned keep = (_mm_cvtsi128_si32(st) & 0x0f) != D_OP && org + batch[nb - 1] == last;
      TRY(scan_flush(d, org, batch, nb - keep));
      if (d->done) break;
      batch[0] = batch[nb - 1];
      nb = keep;
    }
    const uint8_t *src = c;
    unsigned n = SCAN_CHUNK;
    uint32_t valid = 0xffffffffu;
    __m128i acc0 = st, acc1 = st, acc2 = st, acc3 = st, st2 = vstart, st2_at = vstart;
    bool pair = false;

#define SCAN_STEP(acc, k)                                                         \
  st = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)scan_row[src[k]]), st); \
  acc = _mm_alignr_epi8(st, acc, 1)
#define SCAN_STEP2(acc, k)                                                          \
  st2 = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)scan_row[src[k]]), st2); \
  acc = _mm_alignr_epi8(st2, acc, 1)
#define SCAN_GUESS(k) \
  st2 = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)scan_row[src[k]]), st2)
#define SCAN_PAIR(k) SCAN_STEP(acc0, k); SCAN_STEP2(acc2, SCAN_CHUNK + (k))
#define SCAN_PAIR1(k) SCAN_STEP(acc1, k); SCAN_STEP2(acc3, SCAN_CHUNK + (k))
    if (LIKELY(e - c >= 2 * SCAN_CHUNK)) {
      /* two chunks, in two chains: the second from a guess (see the top
       * of the file) */
      _Static_assert(SCAN_OVERLAP == 8, "one SCAN_GUESS per byte");
      pair = true;
      SCAN_GUESS(SCAN_CHUNK - 8); SCAN_GUESS(SCAN_CHUNK - 7); SCAN_GUESS(SCAN_CHUNK - 6);
      SCAN_GUESS(SCAN_CHUNK - 5); SCAN_GUESS(SCAN_CHUNK - 4); SCAN_GUESS(SCAN_CHUNK - 3);
      SCAN_GUESS(SCAN_CHUNK - 2); SCAN_GUESS(SCAN_CHUNK - 1);
      st2_at = st2;
      SCAN_PAIR(0); SCAN_PAIR(1); SCAN_PAIR(2); SCAN_PAIR(3);
      SCAN_PAIR(4); SCAN_PAIR(5); SCAN_PAIR(6); SCAN_PAIR(7);
      SCAN_PAIR(8); SCAN_PAIR(9); SCAN_PAIR(10); SCAN_PAIR(11);
      SCAN_PAIR(12); SCAN_PAIR(13); SCAN_PAIR(14); SCAN_PAIR(15);
      acc1 = acc0;
      acc3 = acc2;
      SCAN_PAIR1(16); SCAN_PAIR1(17); SCAN_PAIR1(18); SCAN_PAIR1(19);
      SCAN_PAIR1(20); SCAN_PAIR1(21); SCAN_PAIR1(22); SCAN_PAIR1(23);
      SCAN_PAIR1(24); SCAN_PAIR1(25); SCAN_PAIR1(26); SCAN_PAIR1(27);
      SCAN_PAIR1(28); SCAN_PAIR1(29); SCAN_PAIR1(30); SCAN_PAIR1(31);
    } else {
      /* one chunk: SCAN_CHUNK bytes at c, or the last few copied and
       * padded (only the first n count) */
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
      SCAN_STEP(acc0, 0); SCAN_STEP(acc0, 1); SCAN_STEP(acc0, 2); SCAN_STEP(acc0, 3);
      SCAN_STEP(acc0, 4); SCAN_STEP(acc0, 5); SCAN_STEP(acc0, 6); SCAN_STEP(acc0, 7);
      SCAN_STEP(acc0, 8); SCAN_STEP(acc0, 9); SCAN_STEP(acc0, 10); SCAN_STEP(acc0, 11);
      SCAN_STEP(acc0, 12); SCAN_STEP(acc0, 13); SCAN_STEP(acc0, 14); SCAN_STEP(acc0, 15);
      acc1 = acc0;
      SCAN_STEP(acc1, 16); SCAN_STEP(acc1, 17); SCAN_STEP(acc1, 18); SCAN_STEP(acc1, 19);
      SCAN_STEP(acc1, 20); SCAN_STEP(acc1, 21); SCAN_STEP(acc1, 22); SCAN_STEP(acc1, 23);
      SCAN_STEP(acc1, 24); SCAN_STEP(acc1, 25); SCAN_STEP(acc1, 26); SCAN_STEP(acc1, 27);
      SCAN_STEP(acc1, 28); SCAN_STEP(acc1, 29); SCAN_STEP(acc1, 30); SCAN_STEP(acc1, 31);
    }
#undef SCAN_PAIR1
#undef SCAN_PAIR
#undef SCAN_GUESS
#undef SCAN_STEP2
#undef SCAN_STEP

  chunk:
    /* the chunk at c; acc: the table entry taken at each byte */
    {
      uint32_t opcode = (SCAN_FLAGS(acc0, 1) | SCAN_FLAGS(acc1, 1) << 16) & valid;
      uint32_t mark = SCAN_FLAGS(acc0, 2) | SCAN_FLAGS(acc1, 2) << 16;
      uint32_t bail = (SCAN_FLAGS(acc0, 3) | SCAN_FLAGS(acc1, 3) << 16) & valid;
      uint32_t starts = opcode;
      uint32_t special = opcode & mark;
      uint32_t r = mark & ~opcode & valid; /* LEB128 bytes with a continuation bit */
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
        if (LIKELY(scan_quick(d, &q))) {
          /* a common kind, checked here */
        } else if (!scan_touches_blocks(*s) && wdi_decode_one(d, &q) == WD_OK) {
          /* decoded out of turn: it does not depend on the queued ones */
        } else {
          /* in turn, so that the first error in the body is the one reported */
          d->count += count;
          count = 0;
          TRY(scan_flush(d, org, batch, nb));
          nb = 0;
          if (d->done) break;
          q = s;
          TRY(wdi_decode_one(d, &q));
          if (d->done) {
            *pp = q;
            return WD_OK;
          }
        }
        /* Go on after it with the states already scanned where the chain
         * (which took the byte after the stop as an opcode) is at an
         * opcode there: from there on they are the states of a scan
         * started there. */
        ptrdiff_t at = q - c;
        if (at > 0 && at < (ptrdiff_t)n && ((opcode >> at) & 1)) {
          valid &= ~0u << at;
          prev_r = 0;
          goto chunk;
        }
        if (pair && at >= (ptrdiff_t)n && at < 2 * (ptrdiff_t)n &&
            (((SCAN_FLAGS(acc2, 1) | SCAN_FLAGS(acc3, 1) << 16) >> (at - n)) & 1)) {
          /* in the second chunk of the pair, whose chain is at an opcode
           * there */
          pair = false;
          c += n;
          valid = ~0u << (at - n);
          prev_r = 0;
          acc0 = acc2;
          acc1 = acc3;
          st = st2;
          goto chunk;
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
    if (pair) {
      /* the second chunk's states are right if the guess met the state
       * the first chunk ended in (the automaton is deterministic) */
      pair = false;
      if (LIKELY(((_mm_cvtsi128_si32(st) ^ _mm_cvtsi128_si32(st2_at)) & 0x0f) == 0)) {
        acc0 = acc2;
        acc1 = acc3;
        st = st2;
        valid = 0xffffffffu;
        goto chunk;
      }
    }
  }
  /* the final end was among the queued instructions */
  d->count += count;
  *pp = e;
  return WD_OK;
}
/* Where the CPU has AVX, the same instructions in their VEX encodings: the
 * three-operand forms need no register copy before each pshufb and
 * palignr. On the Godot 4 engine (inspect, one thread) that is 8% fewer
 * instructions for the same time on the AMD EPYC measured, which renames
 * those copies away; CPUs that do not save their issue slots. */
SCAN_TARGET_AVX static wd_status scan_body_avx(dec *d, const uint8_t **pp) {
  return scan_body(d, pp);
}
SCAN_TARGET static wd_status scan_body_ssse3(dec *d, const uint8_t **pp) {
  return scan_body(d, pp);
}
wd_status wdi_scan_body(dec *d, const uint8_t **pp) {
  return scan_avx ? scan_body_avx(d, pp) : scan_body_ssse3(d, pp);
}
#endif
