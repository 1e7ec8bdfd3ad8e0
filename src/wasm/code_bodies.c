/*
 * A code section's function bodies framed and decoded across threads
 * (code.h).
 *
 * Bodies are independent: each starts with an empty block stack, and what
 * decoding one finds (features, instruction count, nesting depth, the
 * first error) depends on its bytes and the number of types only. So the
 * section is cut into contiguous runs of bodies of about equal size, one
 * per thread, each run framed and decoded in order with its own state,
 * and the runs' results merged in run order: features OR-ed, counts
 * added, depths maxed, the first body of each feature taken from the
 * earliest run that has it, the error from the earliest run that failed.
 * That is what one walk in order gives, whatever the number of runs.
 *
 * Where a run starts is found by walking from body to body, each body
 * starting where the one before ends: a chain no thread can enter in the
 * middle. Run k takes the bodies from the first one that starts at or
 * after k/n of the section's bytes (two runs of a file still arriving:
 * 5/8, below), and stops before the first one that starts at or after
 * (k+1)/n: a rule each run applies by itself as it
 * walks its own bodies. So run 0 starts at once, while the calling thread
 * walks the chain, reading only the body sizes, to where run 1 starts,
 * starts it, and so on; it takes the last run itself. A run reads its
 * bodies' sizes as this walk does, so the walk meets no body size that a
 * run would not (a run stops at the first error it meets): if the walk
 * stops at a broken size or the last body before reaching a cut, the run
 * before the cut stops there too, and no later run is needed.
 *
 * On the 37.7 MB Godot engine (69,746 bodies, on huge pages) the whole
 * walk takes 1.1 to 2.3 ms; before, it went over every body, reading
 * each one's locals too, before any thread started.
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

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch((p), 0, 3)
#else
#define PREFETCH(p) ((void)(p))
#endif
/* The walk from body to body waits for each size it reads: prefetching
 * the next 4 KiB keeps those reads from waiting one at a time (the walk
 * over the Godot engine's code section from cold caches: 1.1 to 2.3 ms
 * with, 5.5 to 11.5 ms without, on a busy 2-core machine). */
#define PREFETCH_AHEAD 4096

/* While the file is still being read in, the second of two runs starts
 * only once the read has reached its first body, some milliseconds after
 * the first run: the first run takes 5/8 of the bytes then, not half
 * (inspect of the 37.7 MB Godot engine on 2 idle cores, 80 runs each
 * alternated: median 32.4 ms in place of 35.1; 9/16 gave 33.0, 11/16
 * 32.1, 3/4 34.2). The runs' results do not depend on where they are cut. */

/* At most this many threads, asked or not. */
#define MAX_THREADS 64
/* With the automatic count, at least this many code bytes per thread:
 * below it, starting a thread costs more than the share it would decode
 * (one thread decodes about 1 MB per millisecond). */
#define AUTO_MIN_BYTES (1u << 20)

typedef struct run {
  wd_cursor sec;     /* the code section; pos: the run's first body */
  wd_func_body *bodies;
  uint32_t n;        /* bodies in the section */
  uint32_t from, to; /* bodies[from .. to), `to` found by the run */
  uint64_t stop;     /* the run ends before the first body starting here or after */
  uint32_t ntypes;
  wd_file_arrival *arriving; /* the bytes still being read in, or NULL */
  uint64_t arrived;          /* bytes known to be in */
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
  wd_cursor c = w->sec;
  c.err = &w->err;
  uint32_t i = w->from;
  for (; i < w->n && c.pos < w->stop; i++) {
    wd_func_body *b = &w->bodies[i];
    wd_featureset before = ctx.features;
    b->offset = c.pos;
    uint32_t size;
    /* the body's size, then its bytes, waited for while the file is read
     * in: a run stops at a body the read ended before, and wd_module_open
     * goes by how the read ended. The decoder reads no byte past the body
     * it decodes. */
    wd_status s =
        wd_file_have(w->arriving, &w->arrived, c.pos + 5, c.size) ? wdi_body_size(&c, &size) : WD_ERR_IO;
    if (!s && !wd_file_have(w->arriving, &w->arrived, c.pos + size, c.size)) s = WD_ERR_IO;
    if (!s) {
      b->end = c.pos + size;
      /* the cursor as the code section's reader has it in the body */
      wd_cursor in = c;
      in.end = b->end;
      in.scope = N_("function body");
      s = wdi_frame_locals(&in, b, &r->local_features);
    }
    uint64_t end;
    if (!s)
      s = wdi_decode_expr(&ctx, c.base, b->code_offset, b->end, WDI_EXPR_BODY, &end, &w->err);
    if (s) {
      w->status = s;
      r->failed = i;
      break;
    }
    c.pos = b->end;
    wd_featureset added = ctx.features & ~before;
    while (added) {
      unsigned f = (unsigned)__builtin_ctz(added);
      added &= added - 1;
      r->first_body[f] = i;
    }
  }
  w->to = i;
  w->sec.pos = c.pos; /* where the run ended */
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

wd_status wdi_decode_bodies(const wd_cursor *sec, wd_func_body *bodies, uint32_t n,
                            uint32_t ntypes, unsigned threads, wd_file_arrival *arriving,
                            wdi_bodies_result *res, uint64_t *end_out, wd_error *err) {
  memset(res, 0, sizeof *res);
  for (unsigned f = 0; f < WD_FEAT_COUNT; f++) res->first_body[f] = -1;
  *end_out = sec->pos;
  if (n == 0) return WD_OK;
  uint64_t start = sec->pos, bytes = sec->end - sec->pos;
  unsigned nruns = wdi_decode_threads(threads, bytes, n);

  run one;
  run *runs = &one;
  if (nruns > 1) {
    runs = calloc(nruns, sizeof *runs);
    if (!runs) { /* decode in this thread */
      runs = &one;
      nruns = 1;
    }
  }
  for (unsigned k = 0; k < nruns; k++) {
    run *w = &runs[k];
    w->sec = *sec;
    w->bodies = bodies;
    w->n = n;
    w->ntypes = ntypes;
    w->arriving = arriving;
    w->err = *err;
    w->stop = k + 1 == nruns ? UINT64_MAX
            : arriving && nruns == 2 ? start + bytes / 8 * 5
                                     : start + bytes / nruns * (k + 1);
  }
  runs[0].from = 0;
  unsigned made = 1; /* runs set up: the others are not needed */

#if WDI_THREADS
  pthread_t tid[MAX_THREADS];
  bool started[MAX_THREADS] = {false};
  if (nruns > 1) {
    started[0] = pthread_create(&tid[0], NULL, run_thread, &runs[0]) == 0;
    /* the walk to each cut, with errors of its own (a run reports them) */
    wd_error scratch = *err;
    wd_cursor c = *sec;
    c.err = &scratch;
    uint64_t ahead = c.pos, have = 0;
    uint32_t i = 0;
    for (unsigned k = 1; k < nruns; k++) {
      uint64_t cut = runs[k - 1].stop;
      bool broken = false;
      while (i < n && c.pos < cut) {
        for (uint64_t want = c.pos + PREFETCH_AHEAD; ahead < want && ahead < c.end; ahead += 64)
          PREFETCH(c.base + ahead);
        uint32_t size;
        if (!wd_file_have(arriving, &have, c.pos + 5, c.size) || wdi_body_size(&c, &size)) {
          broken = true;
          break;
        }
        c.pos += size;
        i++;
      }
      if (broken || i == n) break; /* the run before ends the section */
      runs[k].from = i;
      runs[k].sec.pos = c.pos;
      made = k + 1;
      if (k + 1 < nruns)
        started[k] = pthread_create(&tid[k], NULL, run_thread, &runs[k]) == 0;
    }
  }
  /* this thread takes the last run, and any that got no thread */
  for (unsigned k = 0; k < made; k++)
    if (!started[k]) run_decode(&runs[k]);
  for (unsigned k = 0; k < made; k++)
    if (started[k]) pthread_join(tid[k], NULL);
#else
  run_decode(&runs[0]);
#endif

  wd_status s = WD_OK;
  for (unsigned k = 0; k < made; k++) {
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
    *end_out = w->sec.pos;
  }
  if (runs != &one) free(runs);
  return s;
}
