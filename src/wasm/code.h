/*
 * The instruction decoder: walks expressions instruction by instruction
 * over the whole opcode space (MVP, sign extension, 0xFC, 0xFD SIMD and
 * relaxed SIMD, 0xFE atomics, legacy and exnref exception handling, tail
 * calls, reference types, typed function references, multi-value block
 * types; GC 0xFB decoded enough to skip each instruction exactly).
 *
 * It decodes, it does not type-check: it rejects what is malformed (unknown
 * opcodes, truncated or overlong immediates, unbalanced blocks, a body that
 * does not end exactly at its declared size) and records which features the
 * instructions use.
 */
#ifndef WD_WASM_CODE_H
#define WD_WASM_CODE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/cursor.h"
#include "common/file.h"
#include "webdoctor/error.h"
#include "webdoctor/features.h"
#include "webdoctor/wasm.h"

typedef struct wdi_code_ctx {
  uint32_t ntypes;          /* for block type indices */
  wd_featureset features;   /* accumulated: features the decoded code uses */
  uint64_t instructions;    /* accumulated count */
  uint32_t max_depth;       /* deepest block nesting seen */
  /* scratch control stack (kinds of open blocks), grown with realloc and
   * freed by wdi_code_ctx_release */
  uint8_t *ctl;
  uint32_t ctl_cap;
} wdi_code_ctx;

void wdi_code_ctx_release(wdi_code_ctx *ctx);

typedef enum wdi_expr_mode {
  WDI_EXPR_BODY,   /* a function body: must end exactly at `limit` */
  WDI_EXPR_CONST   /* a constant expression: ends at the first depth-0 end */
} wdi_expr_mode;

/* Decode the expression starting at base[start], never reading at or past
 * base[limit]. On success *end_out is the offset one past the final `end`.
 * On failure err gets the byte offset of the offending instruction and a
 * message like "unknown opcode 0xfd 0x1ff"; err->where/func are left to the
 * caller. */
wd_status wdi_decode_expr(wdi_code_ctx *ctx, const uint8_t *base, uint64_t start,
                          uint64_t limit, wdi_expr_mode mode, uint64_t *end_out,
                          wd_error *err);

/* ---- a code section's function bodies -------------------------------- */

/* What decoding a run of function bodies found. */
typedef struct wdi_bodies_result {
  wd_featureset features;       /* of the instructions */
  wd_featureset local_features; /* of the local types */
  uint64_t instructions;
  uint32_t max_depth;
  /* for each feature, the index (into bodies) of the first body using it,
   * or -1 */
  int64_t first_body[WD_FEAT_COUNT];
  uint32_t failed; /* the failing body's index, when decoding failed */
} wdi_bodies_result;

/* Frame and decode the n function bodies of a code section: *sec is the
 * code section's cursor at the first body's size (its end the section's
 * end), bodies has room for n. Each body is framed as wdi_body_size and
 * wdi_frame_locals do (setting offset, code_offset, end and nlocals),
 * then its instructions decoded as wdi_decode_expr(WDI_EXPR_BODY) does,
 * split across `threads` threads (0: one per CPU, fewer for a small code
 * section), each taking a contiguous run of bodies. On success *end_out
 * is where the last body ends. The result and the error are the same
 * whatever the number of threads: on failure, err and res->failed
 * describe the first body (in index order) that fails, as a walk in
 * order would. err's other fields (file, where) are kept. Without
 * threads support (WD_NO_THREADS, or a WebAssembly build without
 * pthreads) it decodes in the calling thread. With `arriving` (the file
 * still being read in, common/file.h) each body is waited for; a body the
 * read ended before fails with WD_ERR_IO and err untouched. */
wd_status wdi_decode_bodies(const wd_cursor *sec, wd_func_body *bodies, uint32_t n,
                            uint32_t ntypes, unsigned threads, wd_file_arrival *arriving,
                            wdi_bodies_result *res, uint64_t *end_out, wd_error *err);

/* The number of threads wdi_decode_bodies uses when asked for `threads`
 * (0: automatic) on `n` bodies of `bytes` bytes in all. */
unsigned wdi_decode_threads(unsigned threads, uint64_t bytes, uint32_t n);

#endif
