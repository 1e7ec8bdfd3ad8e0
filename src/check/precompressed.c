/*
 * Precompressed siblings: a server with gzip_static / precompressed support
 * sends index.wasm.br (or .gz, .zst) in place of index.wasm. If the copy is
 * stale (left from an earlier export) or broken, the browser gets other
 * bytes than the file next to it: a CompileError, a LinkError that the
 * files on disk cannot explain, or a .pck from another build.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"
#include "common/decode.h"
#include "common/i18n.h"
#include "common/str.h"

typedef enum { CMP_SAME, CMP_DIFFERENT, CMP_CORRUPT, CMP_NOMEM } cmp_result;

/* Compare decompressed output chunk by chunk with the original. */
typedef struct cmp_state {
  const uint8_t *orig;
  uint64_t orig_size, pos;
  bool differ;
  uint64_t first_diff;
} cmp_state;

/* The sink: stops (with WD_DECODE_CORRUPT + 1) at the first byte that
   differs from the original. */
enum { STOP_DIFFERENT = WD_DECODE_CORRUPT + 1 };

static int feed(void *ctx, const uint8_t *p, size_t n) {
  cmp_state *c = ctx;
  if (c->pos + n > c->orig_size || memcmp(c->orig + c->pos, p, n) != 0) {
    c->differ = true;
    c->first_diff = c->pos;
    for (size_t i = 0; i < n && c->pos + i < c->orig_size; i++)
      if (c->orig[c->pos + i] != p[i]) {
        c->first_diff = c->pos + i;
        break;
      }
    return STOP_DIFFERENT;
  }
  c->pos += n;
  return 0;
}

static cmp_result compare(wd_coding coding, const uint8_t *in, uint64_t n, cmp_state *c) {
  if (n > SIZE_MAX) return CMP_NOMEM;
  int r = wd_decode(coding, in, (size_t)n, feed, c);
  if (r == WD_DECODE_NOMEM) return CMP_NOMEM;
  if (r == STOP_DIFFERENT) return CMP_DIFFERENT;
  if (r != WD_DECODE_OK) return CMP_CORRUPT;
  return c->pos == c->orig_size ? CMP_SAME : CMP_DIFFERENT;
}

int wdi_check_precompressed(const wd_source *src, const char *const *names, uint32_t n,
                            wd_findings *out) {
  static const char *const exts[] = {".gz", ".br", ".zst"};
  for (uint32_t i = 0; i < n; i++) {
    for (size_t e = 0; e < 3; e++) {
      if (strlen(names[i]) <= strlen(exts[e]) || !wd_ends_with(names[i], exts[e])) continue;
      size_t base = strlen(names[i]) - strlen(exts[e]);
      char orig[2048];
      snprintf(orig, sizeof orig, "%.*s", (int)base, names[i]);
      bool have_orig = false;
      for (uint32_t k = 0; k < n; k++)
        if (!strcmp(names[k], orig)) have_orig = true;
      if (!have_orig) continue; /* served only compressed: nothing to compare */
      wd_source_data fc, fo;
      wd_error err;
      wd_error_clear(&err);
      if (wd_source_read(src, names[i], 0, &fc, &err)) continue;
      if (wd_source_read(src, orig, 0, &fo, &err)) {
        wd_source_data_release(&fc);
        continue;
      }
      cmp_state c = {fo.data, fo.size, 0, false, 0};
      cmp_result r = compare(e == 0 ? WD_CODING_GZIP : e == 1 ? WD_CODING_BROTLI : WD_CODING_ZSTD, fc.data, fc.size, &c);
      wd_source_data_release(&fc);
      wd_source_data_release(&fo);
      if (r == CMP_NOMEM) return WDI_OOM;
      if (r == CMP_SAME) continue;
      wd_finding *f;
      if (r == CMP_CORRUPT)
        f = wd_findings_add(out, WD206, names[i],
                            N_("%s is not valid %s data"), names[i], exts[e] + 1);
      else
        f = wd_findings_add(out, WD206, names[i],
                            N_("%s does not decompress to %s (they differ from byte %llu)"), names[i],
                            orig, (unsigned long long)c.first_diff);
      if (!f) return WDI_OOM;
      if (wd_finding_explain(f, N_("A server that serves precompressed files sends %s in place of %s, "
                                  "so the browser gets other bytes than the file on disk: a stale "
                                  "copy from an earlier export, or a broken one."),
                             names[i], orig) ||
          wd_finding_add_fix(f, N_("Compress the file again after every export, or delete the "
                                  "compressed copy."), NULL))
        return WDI_OOM;
    }
  }
  return 0;
}
