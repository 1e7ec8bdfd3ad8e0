#include "common/decode.h"

#include <brotli/decode.h>
#include <stdbool.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

static int zlib_decode(int wbits, const uint8_t *in, size_t n, wd_decode_sink sink, void *ctx) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, wbits) != Z_OK) return WD_DECODE_NOMEM;
  uint8_t buf[1 << 16];
  int rc = Z_OK, r = WD_DECODE_OK;
  size_t left = n;
  const uint8_t *p = in;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0) {
      if (!left) break;
      uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left; /* avail_in is 32 bits */
      z.next_in = (Bytef *)p;
      z.avail_in = chunk;
      p += chunk;
      left -= chunk;
    }
    z.next_out = buf;
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      r = rc == Z_MEM_ERROR ? WD_DECODE_NOMEM : WD_DECODE_CORRUPT;
      break;
    }
    if ((r = sink(ctx, buf, sizeof buf - z.avail_out))) break;
  }
  inflateEnd(&z);
  /* Bytes after the end of a gzip member are ignored, as browsers do. */
  if (!r && rc != Z_STREAM_END) r = WD_DECODE_CORRUPT;
  return r;
}

static int brotli_decode(const uint8_t *in, size_t n, wd_decode_sink sink, void *ctx) {
  BrotliDecoderState *s = BrotliDecoderCreateInstance(NULL, NULL, NULL);
  if (!s) return WD_DECODE_NOMEM;
  size_t avail_in = n;
  const uint8_t *next_in = in;
  uint8_t buf[1 << 16];
  BrotliDecoderResult rc;
  int r = WD_DECODE_OK;
  do {
    size_t avail_out = sizeof buf;
    uint8_t *next_out = buf;
    rc = BrotliDecoderDecompressStream(s, &avail_in, &next_in, &avail_out, &next_out, NULL);
    if ((r = sink(ctx, buf, sizeof buf - avail_out))) break;
  } while (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT);
  BrotliDecoderDestroyInstance(s);
  if (!r && (rc != BROTLI_DECODER_RESULT_SUCCESS || avail_in != 0)) r = WD_DECODE_CORRUPT;
  return r;
}

static int zstd_decode(const uint8_t *in, size_t n, wd_decode_sink sink, void *ctx) {
  ZSTD_DStream *d = ZSTD_createDStream();
  if (!d) return WD_DECODE_NOMEM;
  ZSTD_inBuffer ib = {in, n, 0};
  uint8_t buf[1 << 16];
  size_t rc = 1;
  int r = WD_DECODE_OK;
  while (ib.pos < ib.size || rc != 0) {
    ZSTD_outBuffer ob = {buf, sizeof buf, 0};
    size_t before = ib.pos;
    rc = ZSTD_decompressStream(d, &ob, &ib);
    if (ZSTD_isError(rc)) {
      r = WD_DECODE_CORRUPT;
      break;
    }
    if ((r = sink(ctx, buf, ob.pos))) break;
    if (ob.pos == 0 && ib.pos == before) break; /* no progress: truncated */
  }
  ZSTD_freeDStream(d);
  if (!r && rc != 0) r = WD_DECODE_CORRUPT;
  return r;
}

int wd_decode(wd_coding coding, const uint8_t *in, size_t n, wd_decode_sink sink, void *ctx) {
  switch (coding) {
  case WD_CODING_GZIP:
    if (n < 2 || in[0] != 0x1f || in[1] != 0x8b) return WD_DECODE_CORRUPT;
    return zlib_decode(16 + MAX_WBITS, in, n, sink, ctx);
  case WD_CODING_ZLIB: return zlib_decode(MAX_WBITS, in, n, sink, ctx);
  case WD_CODING_DEFLATE: return zlib_decode(-MAX_WBITS, in, n, sink, ctx);
  case WD_CODING_BROTLI: return brotli_decode(in, n, sink, ctx);
  case WD_CODING_ZSTD:
    if (n < 4 || memcmp(in, "\x28\xb5\x2f\xfd", 4) != 0) return WD_DECODE_CORRUPT;
    return zstd_decode(in, n, sink, ctx);
  }
  return WD_DECODE_CORRUPT;
}
