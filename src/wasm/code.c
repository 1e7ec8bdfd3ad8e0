/*
 * The instruction decoder (see code.h): the entry point, which picks among
 * the three paths code_int.h describes.
 */
#include <stdlib.h>

#include "wasm/code_int.h"
#include "wasm/opcodes.h"

void wdi_code_ctx_release(wdi_code_ctx *ctx) {
  free(ctx->ctl);
  ctx->ctl = NULL;
  ctx->ctl_cap = 0;
}

int wdi_code_simd = 1;
int wdi_scan_isa_max = 2;

wd_status wdi_decode_expr(wdi_code_ctx *ctx, const uint8_t *base, uint64_t start,
                          uint64_t limit, wdi_expr_mode mode, uint64_t *end_out,
                          wd_error *err) {
  dec d = {.ctx = ctx, .base = base, .end = base + limit, .err = err, .mode = mode};
  if (start > limit) start = limit;
  const uint8_t *p = base + start;
  const uint8_t *const e = d.end;

  if (mode == WDI_EXPR_CONST) {
    while (!d.done) {
      if (p >= e) return wdi_fail_end(&d, p);
      const uint8_t *q = p; /* p itself stays out of memory */
      TRY(wdi_decode_one(&d, &q));
      p = q;
    }
    return wdi_dec_finish(&d, p, end_out);
  }

#if WDI_HAVE_SCAN
  /* (queued positions are 32-bit offsets) */
  if (limit - start >= SCAN_MIN && limit - start <= UINT32_MAX && wdi_scan_init()) {
    const uint8_t *q = p;
    TRY(wdi_scan_body(&d, &q));
    p = q;
    if (d.done) return wdi_dec_finish(&d, p, end_out);
  }
#endif

  return wdi_fast_expr(&d, p, end_out);
}
