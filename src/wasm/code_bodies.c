/*
 * A code section's function bodies decoded across threads (code.h).
 *
 * Bodies are independent: each starts with an empty block stack, and what
 * decoding one finds (features, instruction count, nesting depth, the
 * first error) depends on its bytes and the number of types only. So the
 * bodies are cut into contiguous runs of about equal size, one per
 * thread, each run decoded in order with its own state, and the runs'
 * results merged in run order: features OR-ed, counts added, depths
 * maxed, the first body of each feature taken from the earliest run that
 * has it, the error from the earliest run that failed. That is what one
 * walk in order gives, whatever the number of runs.
 *
 * Threads are an option of the build: without pthreads (WD_NO_THREADS, or
 * Emscripten without -pthread) every run is decoded in the calling thread.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "wasm/code.h"
#include "wasm/reader_int.h"

#if !defined(WD_NO_THREADS) && (!defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__))
#define WDI_THREADS 1
#include <pthread.h>
#else
#define WDI_THREADS 0
#endif

/* At most this many threads, asked or not. */
#define MAX_THREADS 64
/* With the automatic count, at least this many code bytes per thread:
 * below it, starting a thread costs more than the share it would decode
 * (one thread decodes about 1 MB per millisecond). */
#define AUTO_MIN_BYTES (1u << 20)

typedef struct run {
  const uint8_t *base;
  uint64_t size;
  wd_func_body *bodies;
  uint32_t from, to; /* bodies[from .. to) */
  uint32_t ntypes;
  wd_status status;
  wd_error err;      /* a copy of the caller's, filled on failure */
  wdi_bodies_result res;
} run;

static void run_decode(run *w) {
  wdi_code_ctx ctx = {.ntypes = w->ntypes};
  wdi_bodies_result *r = &w->res;
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) r->first_body[f] = -1;
  r->local_features = 0;
  w->status = WD_OK;
  wd_cursor c;
  wd_cur_init(&c, w->base, w->size, &w->err);
  for (uint32_t i = w->from; i < w->to; i++) {
    wd_func_body *b = &w->bodies[i];
    wd_featureset before = ctx.features;
    uint64_t end;
    /* the cursor as the code section's reader has it in the body */
    c.pos = b->code_offset;
    c.end = b->end;
    c.scope = N_("function body");
    wd_status s = wdi_frame_locals(&c, b, &r->local_features);
    if (!s)
      s = wdi_decode_expr(&ctx, w->base, b->code_offset, b->end, WDI_EXPR_BODY, &end, &w->err);
    if (s) {
      w->status = s;
      r->failed = i;
      break;
    }
    wd_featureset added = ctx.features & ~before;
    while (added) {
      unsigned f = (unsigned)__builtin_ctz(added);
      added &= added - 1;
      r->first_body[f] = i;
    }
  }
  r->features = ctx.features;
  r->instructions = ctx.instructions;
  r->max_depth = ctx.max_depth;
  wdi_code_ctx_release(&ctx);
}

#if WDI_THREADS
static void *run_thread(void *arg) {
  run_decode(arg);
  return NULL;
}
#endif

static unsigned cpu_count(void) {
#if WDI_THREADS
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  if (n > 0) return n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
#endif
  return 1;
}

unsigned wdi_decode_threads(unsigned threads, uint64_t bytes, uint32_t n) {
  unsigned t = threads;
  if (t == 0) {
    t = cpu_count();
    uint64_t by_size = bytes / AUTO_MIN_BYTES;
    if (by_size < t) t = by_size ? (unsigned)by_size : 1;
  }
  if (t > MAX_THREADS) t = MAX_THREADS;
  if (t > n) t = n;
  if (!WDI_THREADS || t == 0) t = 1;
  return t;
}

wd_status wdi_decode_bodies(const uint8_t *base, uint64_t size, wd_func_body *bodies, uint32_t n,
                            uint32_t ntypes, unsigned threads, wdi_bodies_result *res,
                            wd_error *err) {
  memset(res, 0, sizeof *res);
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) res->first_body[f] = -1;
  if (n == 0) return WD_OK;
  uint64_t total = 0;
  for (uint32_t i = 0; i < n; i++) total += bodies[i].end - bodies[i].code_offset;
  unsigned nruns = wdi_decode_threads(threads, total, n);

  run one;
  run *runs = &one;
  if (nruns > 1) {
    runs = calloc(nruns, sizeof *runs);
    if (!runs) { /* decode in this thread */
      runs = &one;
      nruns = 1;
    }
  }
  /* Cut where the bytes before reach k/nruns of the total; a run may be
   * empty when one body is larger than a share. */
  uint32_t at = 0;
  uint64_t seen = 0;
  for (unsigned k = 0; k < nruns; k++) {
    run *w = &runs[k];
    w->base = base;
    w->size = size;
    w->bodies = bodies;
    w->ntypes = ntypes;
    w->err = *err;
    w->from = at;
    if (k + 1 == nruns) {
      at = n;
    } else {
      uint64_t goal = total / nruns * (k + 1);
      for (; at < n && seen < goal; at++) seen += bodies[at].end - bodies[at].code_offset;
    }
    w->to = at;
  }

#if WDI_THREADS
  pthread_t tid[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  for (unsigned k = 1; k < nruns; k++)
    started[k] = pthread_create(&tid[k], NULL, run_thread, &runs[k]) == 0;
  run_decode(&runs[0]);
  for (unsigned k = 1; k < nruns; k++) {
    if (started[k]) pthread_join(tid[k], NULL);
    else run_decode(&runs[k]); /* no thread: this one does it */
  }
#else
  for (unsigned k = 0; k < nruns; k++) run_decode(&runs[k]);
#endif

  wd_status s = WD_OK;
  for (unsigned k = 0; k < nruns; k++) {
    const run *w = &runs[k];
    if (w->status) {
      /* the earliest failure; later runs do not count */
      *err = w->err;
      res->failed = w->res.failed;
      s = w->status;
      break;
    }
    res->features |= w->res.features;
    res->local_features |= w->res.local_features;
    res->instructions += w->res.instructions;
    if (w->res.max_depth > res->max_depth) res->max_depth = w->res.max_depth;
    for (unsigned f = 0; f < WD_FEAT_COUNT; f++)
      if (res->first_body[f] < 0) res->first_body[f] = w->res.first_body[f];
  }
  if (runs != &one) free(runs);
  return s;
}
