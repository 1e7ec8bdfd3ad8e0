/*
 * Precompressed siblings: a server with gzip_static / precompressed support
 * sends index.wasm.br (or .gz, .zst) in place of index.wasm. If the copy is
 * stale (left from an earlier export) or broken, the browser gets other
 * bytes than the file next to it: a CompileError, a LinkError that the
 * files on disk cannot explain, or a .pck from another build.
 */
#include <brotli/decode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "check/check_int.h"
#include "common/file.h"
#include "common/i18n.h"

typedef enum { CMP_SAME, CMP_DIFFERENT, CMP_CORRUPT, CMP_NOMEM } cmp_result;

/* Compare decompressed output chunk by chunk with the original. */
typedef struct cmp_state {
  const uint8_t *orig;
  uint64_t orig_size, pos;
  bool differ;
  uint64_t first_diff;
} cmp_state;

static void feed(cmp_state *c, const uint8_t *p, size_t n) {
  if (c->differ) return;
  if (c->pos + n > c->orig_size || memcmp(c->orig + c->pos, p, n) != 0) {
    c->differ = true;
    c->first_diff = c->pos;
    for (size_t i = 0; i < n && c->pos + i < c->orig_size; i++)
      if (c->orig[c->pos + i] != p[i]) {
        c->first_diff = c->pos + i;
        break;
      }
    return;
  }
  c->pos += n;
}

static cmp_result cmp_gzip(const uint8_t *in, uint64_t n, cmp_state *c) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return CMP_NOMEM;
  uint8_t buf[1 << 16];
  int rc = Z_OK;
  uint64_t left = n;
  const uint8_t *p = in;
  while (rc != Z_STREAM_END && !c->differ) {
    if (z.avail_in == 0) {
      if (left == 0) break;
      uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
      z.next_in = (Bytef *)p;
      z.avail_in = chunk;
      p += chunk;
      left -= chunk;
    }
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      return CMP_CORRUPT;
    }
    feed(c, buf, sizeof buf - z.avail_out);
  }
  inflateEnd(&z);
  if (c->differ) return CMP_DIFFERENT;
  if (rc != Z_STREAM_END) return CMP_CORRUPT;
  return c->pos == c->orig_size ? CMP_SAME : CMP_DIFFERENT;
}

static cmp_result cmp_brotli(const uint8_t *in, uint64_t n, cmp_state *c) {
  BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
  if (!s) return CMP_NOMEM;
  size_t avail_in = (size_t)n;
  const uint8_t *next_in = in;
  uint8_t buf[1 << 16];
  BrotliDecoderResult rc;
  do {
    size_t avail_out = sizeof buf;
    uint8_t *next_out = buf;
    rc = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, NULL);
    feed(c, buf, sizeof buf - avail_out);
  } while (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT && !c->differ);
  BrotliDecoderDestroyInstance(s);
  if (c->differ) return CMP_DIFFERENT;
  if (rc != BROTLI_DECODER_RESULT_SUCCESS) return CMP_CORRUPT;
  return c->pos == c->orig_size ? CMP_SAME : CMP_DIFFERENT;
}

static cmp_result cmp_zstd(const uint8_t *in, uint64_t n, cmp_state *c) {
  ZSTD_DStream *d = ZSTD_createDStream();
  if (!d) return CMP_NOMEM;
  ZSTD_inBuffer ib = {in, (size_t)n, 0};
  uint8_t buf[1 << 16];
  size_t rc = 1;
  while (!c->differ && (ib.pos < ib.size || rc != 0)) {
    ZSTD_outBuffer ob = {buf, sizeof buf, 0};
    size_t before = ib.pos;
    rc = ZSTD_decompressStream(d, &ob, &ib);
    if (ZSTD_isError(rc)) {
      ZSTD_freeDStream(d);
      return CMP_CORRUPT;
    }
    feed(c, buf, ob.pos);
    if (ob.pos == 0 && ib.pos == before) break; /* no progress: truncated */
  }
  ZSTD_freeDStream(d);
  if (c->differ) return CMP_DIFFERENT;
  if (rc != 0) return CMP_CORRUPT;
  return c->pos == c->orig_size ? CMP_SAME : CMP_DIFFERENT;
}

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a > b && strcmp(s + a - b, suf) == 0;
}

int wdi_check_precompressed(const char *dir, const char *const *names, uint32_t n,
                            wd_findings *out) {
  static const char *const exts[] = {".gz", ".br", ".zst"};
  for (uint32_t i = 0; i < n; i++) {
    for (size_t e = 0; e < 3; e++) {
      if (!ends_with(names[i], exts[e])) continue;
      size_t base = strlen(names[i]) - strlen(exts[e]);
      char orig[2048], path[4096];
      snprintf(orig, sizeof orig, "%.*s", (int)base, names[i]);
      bool have_orig = false;
      for (uint32_t k = 0; k < n; k++)
        if (!strcmp(names[k], orig)) have_orig = true;
      if (!have_orig) continue; /* served only compressed: nothing to compare */
      wd_file fc, fo;
      wd_error err;
      wd_error_clear(&err);
      snprintf(path, sizeof path, "%s/%s", dir, names[i]);
      if (wd_file_load(path, &fc, 0, &err)) continue;
      snprintf(path, sizeof path, "%s/%s", dir, orig);
      if (wd_file_load(path, &fo, 0, &err)) {
        wd_file_close(&fc);
        continue;
      }
      cmp_state c = {fo.data, fo.size, 0, false, 0};
      cmp_result r = e == 0 ? cmp_gzip(fc.data, fc.size, &c)
                   : e == 1 ? cmp_brotli(fc.data, fc.size, &c) : cmp_zstd(fc.data, fc.size, &c);
      wd_file_close(&fc);
      wd_file_close(&fo);
      if (r == CMP_NOMEM) return WDI_OOM;
      if (r == CMP_SAME) continue;
      wd_finding *f;
      if (r == CMP_CORRUPT)
        f = wd_findings_add(out, "WD206", WD_SEV_ERROR, names[i],
                            _("%s is not valid %s data"), names[i], exts[e] + 1);
      else
        f = wd_findings_add(out, "WD206", WD_SEV_ERROR, names[i],
                            _("%s does not decompress to %s (they differ from byte %llu)"), names[i],
                            orig, (unsigned long long)c.first_diff);
      if (!f) return WDI_OOM;
      if (wd_finding_explain(f, _("A server that serves precompressed files sends %s in place of %s, "
                                  "so the browser gets other bytes than the file on disk: a stale "
                                  "copy from an earlier export, or a broken one."),
                             names[i], orig) ||
          wd_finding_add_fix(f, _("Compress the file again after every export, or delete the "
                                  "compressed copy."), NULL))
        return WDI_OOM;
    }
  }
  return 0;
}
