/*
 * Micro-benchmark for the instruction decoder (not built by CMake):
 *
 *   cmake --build build    (a Release build: the library as the CLI has it)
 *   cc -O2 -I include -I src bench/code_walk.c build/libwebdoctor.a -o build/code_walk
 *   build/code_walk index.wasm [runs]
 *   WD_BENCH_SCALAR=1 build/code_walk index.wasm   (the SIMD scanner off)
 *
 * Maps the file, finds the code section, and decodes every function body
 * (its locals are skipped here, as the reader does) with wdi_decode_expr.
 * Prints the instruction count, the features and the throughput over the
 * code section payload, best and median of the runs (1 MB = 10^6 bytes).
 * The machine should be otherwise idle; medians far above the best mean it
 * was not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/leb128.h"
#include "wasm/code.h"
#include "wasm/opcodes.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static uint32_t u32_at(const uint8_t *b, uint64_t *pos, uint64_t end) {
  uint32_t v = 0;
  int n = wd_leb_u32(b + *pos, b + end, &v);
  if (n <= 0) {
    fprintf(stderr, "bad LEB at 0x%llx\n", (unsigned long long)*pos);
    exit(1);
  }
  *pos += (uint64_t)n;
  return v;
}

/* Decode every body once; returns nonzero on a decode error. */
static int walk(const uint8_t *b, uint64_t code_pos, uint64_t code_end, uint32_t ntypes,
                wdi_code_ctx *ctx, uint32_t *nfuncs) {
  static wd_error err; /* filled only on failure */
  uint64_t pos = code_pos;
  uint32_t count = u32_at(b, &pos, code_end);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t size = u32_at(b, &pos, code_end);
    uint64_t body_end = pos + size;
    uint32_t ndecl = u32_at(b, &pos, body_end);
    for (uint32_t j = 0; j < ndecl; j++) {
      (void)u32_at(b, &pos, body_end);
      uint8_t t = b[pos++];
      if (t == 0x63 || t == 0x64) {
        int64_t ht;
        int n = wd_leb_s33(b + pos, b + body_end, &ht);
        if (n <= 0) return 1;
        pos += (uint64_t)n;
      }
    }
    uint64_t end;
    ctx->ntypes = ntypes;
    if (wdi_decode_expr(ctx, b, pos, body_end, WDI_EXPR_BODY, &end, &err) != WD_OK) {
      fprintf(stderr, "function body %u: offset 0x%llx: %s\n", i,
              (unsigned long long)err.offset, err.msg);
      return 1;
    }
    pos = body_end;
  }
  *nfuncs = count;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s file.wasm [runs]\n", argv[0]);
    return 2;
  }
  int runs = argc > 2 ? atoi(argv[2]) : 10;
  if (getenv("WD_BENCH_SCALAR")) wdi_code_simd = 0; /* the scalar decoder only */
  if (runs < 1) runs = 1;
  int fd = open(argv[1], O_RDONLY);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    perror(argv[1]);
    return 1;
  }
  uint64_t size = (uint64_t)st.st_size;
  const uint8_t *b = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (b == MAP_FAILED) {
    perror("mmap");
    return 1;
  }
  uint64_t pos = 8, code_pos = 0, code_end = 0;
  uint32_t ntypes = 0;
  while (pos < size) {
    uint8_t id = b[pos++];
    uint32_t len = u32_at(b, &pos, size);
    if (id == 1) {
      uint64_t p2 = pos;
      ntypes = u32_at(b, &p2, pos + len);
    }
    if (id == 10) {
      code_pos = pos;
      code_end = pos + len;
    }
    pos += len;
  }
  if (!code_end) {
    fprintf(stderr, "no code section\n");
    return 1;
  }
  double *t = calloc((size_t)runs, sizeof *t);
  wdi_code_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  uint32_t nfuncs = 0;
  for (int r = 0; r < runs; r++) {
    ctx.features = 0;
    ctx.instructions = 0;
    ctx.max_depth = 0;
    double t0 = now();
    if (walk(b, code_pos, code_end, ntypes, &ctx, &nfuncs)) return 1;
    t[r] = now() - t0;
  }
  qsort(t, (size_t)runs, sizeof *t, cmp_double);
  double mb = (double)(code_end - code_pos) / 1e6;
  printf("code section: %.1f MB, %u bodies, %llu instructions, max depth %u, features 0x%x\n",
         mb, nfuncs, (unsigned long long)ctx.instructions, ctx.max_depth, ctx.features);
  printf("best   %.2f ms  %.0f MB/s\n", t[0] * 1e3, mb / t[0]);
  printf("median %.2f ms  %.0f MB/s\n", t[runs / 2] * 1e3, mb / t[runs / 2]);
  wdi_code_ctx_release(&ctx);
  free(t);
  return 0;
}
