/*
 * The SIMD scanner's loop (see code_scan.c), which includes this once per
 * instruction set: SCAN_BODY is the function's name, SCAN_BODY_TARGET its
 * target attribute, and SCAN_GROUP how many chunks are scanned at once in
 * as many chains (2, or 4 where the CPU has AVX2).
 */
static SCAN_BODY_TARGET wd_status SCAN_BODY(dec *d, const uint8_t **pp) {
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
  /* chunks scanned after the one at c, in order: the table entries taken,
   * the state their chain ended in, and the state its guess took it into
   * the chunk with */
  __m128i ahead0[SCAN_GROUP - 1], ahead1[SCAN_GROUP - 1], ahead_st[SCAN_GROUP - 1],
      ahead_at[SCAN_GROUP - 1];
  for (unsigned i = 0; i < SCAN_GROUP - 1; i++)
    ahead0[i] = ahead1[i] = ahead_st[i] = ahead_at[i] = vstart;

  for (;;) {
    if (UNLIKELY(nb > SCAN_BATCH - SCAN_GROUP * SCAN_CHUNK)) {
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
    unsigned ip = 0, na = 0; /* the chunks scanned after c: ahead*[ip..na) */
/* The chunk at c is done: go on to the next one scanned. */
#define SCAN_AHEAD()      \
  do {                    \
    acc0 = ahead0[ip];    \
    acc1 = ahead1[ip];    \
    st = ahead_st[ip];    \
    ip++;                 \
  } while (0)

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
#if SCAN_GROUP == 4
    if (LIKELY(e - c >= 4 * SCAN_CHUNK)) {
      /* four chunks A B C D in four chains, two in each 256-bit register
       * (A and C, B and D); B, C and D from guesses */
#define SCAN_ROWS(a, b)                                                                   \
  _mm256_inserti128_si256(                                                                \
      _mm256_castsi128_si256(_mm_load_si128((const __m128i *)scan_row[src[a]])),          \
      _mm_load_si128((const __m128i *)scan_row[src[b]]), 1)
#define SCAN_GUESS_C(k) \
  st2 = _mm_shuffle_epi8(_mm_load_si128((const __m128i *)scan_row[src[k]]), st2)
#define SCAN_GUESS_BD(k) gy = _mm256_shuffle_epi8(SCAN_ROWS(k, 2 * SCAN_CHUNK + (k)), gy)
#define SCAN_QUAD(a, b, k)                                                    \
  y0 = _mm256_shuffle_epi8(SCAN_ROWS(k, 2 * SCAN_CHUNK + (k)), y0);           \
  a = _mm256_alignr_epi8(y0, a, 1);                                           \
  y1 = _mm256_shuffle_epi8(SCAN_ROWS(SCAN_CHUNK + (k), 3 * SCAN_CHUNK + (k)), y1); \
  b = _mm256_alignr_epi8(y1, b, 1)
      _Static_assert(SCAN_OVERLAP == 8, "one guess step per byte");
      SCAN_GUESS_C(2 * SCAN_CHUNK - 8); SCAN_GUESS_C(2 * SCAN_CHUNK - 7);
      SCAN_GUESS_C(2 * SCAN_CHUNK - 6); SCAN_GUESS_C(2 * SCAN_CHUNK - 5);
      SCAN_GUESS_C(2 * SCAN_CHUNK - 4); SCAN_GUESS_C(2 * SCAN_CHUNK - 3);
      SCAN_GUESS_C(2 * SCAN_CHUNK - 2); SCAN_GUESS_C(2 * SCAN_CHUNK - 1);
      __m256i gy = _mm256_set_m128i(vstart, vstart);
      SCAN_GUESS_BD(SCAN_CHUNK - 8); SCAN_GUESS_BD(SCAN_CHUNK - 7);
      SCAN_GUESS_BD(SCAN_CHUNK - 6); SCAN_GUESS_BD(SCAN_CHUNK - 5);
      SCAN_GUESS_BD(SCAN_CHUNK - 4); SCAN_GUESS_BD(SCAN_CHUNK - 3);
      SCAN_GUESS_BD(SCAN_CHUNK - 2); SCAN_GUESS_BD(SCAN_CHUNK - 1);
      ahead_at[0] = _mm256_castsi256_si128(gy);
      ahead_at[1] = st2;
      ahead_at[2] = _mm256_extracti128_si256(gy, 1);
      __m256i y0 = _mm256_set_m128i(st2, st), y1 = gy;
      __m256i a0 = y0, a1 = y1, b0, b1;
      SCAN_QUAD(a0, a1, 0); SCAN_QUAD(a0, a1, 1); SCAN_QUAD(a0, a1, 2); SCAN_QUAD(a0, a1, 3);
      SCAN_QUAD(a0, a1, 4); SCAN_QUAD(a0, a1, 5); SCAN_QUAD(a0, a1, 6); SCAN_QUAD(a0, a1, 7);
      SCAN_QUAD(a0, a1, 8); SCAN_QUAD(a0, a1, 9); SCAN_QUAD(a0, a1, 10); SCAN_QUAD(a0, a1, 11);
      SCAN_QUAD(a0, a1, 12); SCAN_QUAD(a0, a1, 13); SCAN_QUAD(a0, a1, 14); SCAN_QUAD(a0, a1, 15);
      b0 = a0;
      b1 = a1;
      SCAN_QUAD(b0, b1, 16); SCAN_QUAD(b0, b1, 17); SCAN_QUAD(b0, b1, 18); SCAN_QUAD(b0, b1, 19);
      SCAN_QUAD(b0, b1, 20); SCAN_QUAD(b0, b1, 21); SCAN_QUAD(b0, b1, 22); SCAN_QUAD(b0, b1, 23);
      SCAN_QUAD(b0, b1, 24); SCAN_QUAD(b0, b1, 25); SCAN_QUAD(b0, b1, 26); SCAN_QUAD(b0, b1, 27);
      SCAN_QUAD(b0, b1, 28); SCAN_QUAD(b0, b1, 29); SCAN_QUAD(b0, b1, 30); SCAN_QUAD(b0, b1, 31);
#undef SCAN_QUAD
#undef SCAN_GUESS_BD
#undef SCAN_GUESS_C
#undef SCAN_ROWS
      acc0 = _mm256_castsi256_si128(a0);
      acc1 = _mm256_castsi256_si128(b0);
      st = _mm256_castsi256_si128(y0);
      ahead0[0] = _mm256_castsi256_si128(a1); /* B */
      ahead1[0] = _mm256_castsi256_si128(b1);
      ahead_st[0] = _mm256_castsi256_si128(y1);
      ahead0[1] = _mm256_extracti128_si256(a0, 1); /* C */
      ahead1[1] = _mm256_extracti128_si256(b0, 1);
      ahead_st[1] = _mm256_extracti128_si256(y0, 1);
      ahead0[2] = _mm256_extracti128_si256(a1, 1); /* D */
      ahead1[2] = _mm256_extracti128_si256(b1, 1);
      ahead_st[2] = _mm256_extracti128_si256(y1, 1);
      na = 3;
    } else
#endif
    if (LIKELY(e - c >= 2 * SCAN_CHUNK)) {
      /* two chunks, in two chains: the second from a guess (see the top
       * of the file) */
      _Static_assert(SCAN_OVERLAP == 8, "one SCAN_GUESS per byte");
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
      ahead0[0] = acc2;
      ahead1[0] = acc3;
      ahead_st[0] = st2;
      ahead_at[0] = st2_at;
      na = 1;
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
#if SCAN_GROUP == 4
      /* the chunk's 32 entries in one register: one shift and one
       * movemask per flag */
      const __m256i accy = _mm256_set_m128i(acc1, acc0);
#define SCAN_CHUNK_FLAGS(sh) ((uint32_t)_mm256_movemask_epi8(_mm256_slli_epi16(accy, (sh))))
#else
#define SCAN_CHUNK_FLAGS(sh) (SCAN_FLAGS(acc0, sh) | SCAN_FLAGS(acc1, sh) << 16)
#endif
      uint32_t opcode = SCAN_CHUNK_FLAGS(1) & valid;
      uint32_t mark = SCAN_CHUNK_FLAGS(2);
      uint32_t bail = SCAN_CHUNK_FLAGS(3) & valid;
#undef SCAN_CHUNK_FLAGS
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
        if (ip < na && at >= (ptrdiff_t)n && at < 2 * (ptrdiff_t)n &&
            (((SCAN_FLAGS(ahead0[ip], 1) | SCAN_FLAGS(ahead1[ip], 1) << 16) >> (at - n)) & 1)) {
          /* in the next chunk scanned, whose chain is at an opcode there */
          c += n;
          valid = ~0u << (at - n);
          prev_r = 0;
          SCAN_AHEAD();
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
    /* the next chunk's states are right if its guess met the state this
     * one ended in (the automaton is deterministic) */
    if (ip < na &&
        LIKELY(((_mm_cvtsi128_si32(st) ^ _mm_cvtsi128_si32(ahead_at[ip])) & 0x0f) == 0)) {
      SCAN_AHEAD();
      valid = 0xffffffffu;
      goto chunk;
    }
  }
#undef SCAN_AHEAD
  /* the final end was among the queued instructions */
  d->count += count;
  *pp = e;
  return WD_OK;
}
