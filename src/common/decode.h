/*
 * Streaming decompression of a whole buffer (gzip, zlib, raw deflate,
 * Brotli, Zstandard) into a sink, 64 KiB at a time. Both users need the
 * bytes as they come: the precompressed-sibling check compares them with
 * the original and stops at the first difference, the HTTP fetcher
 * collects them up to a limit. Neither needs the whole output at once.
 */
#ifndef WD_COMMON_DECODE_H
#define WD_COMMON_DECODE_H

#include <stddef.h>
#include <stdint.h>

typedef enum wd_coding {
  WD_CODING_GZIP,    /* RFC 1952 */
  WD_CODING_ZLIB,    /* RFC 1950 (HTTP "deflate" as the RFC says) */
  WD_CODING_DEFLATE, /* raw RFC 1951 (HTTP "deflate" as some servers send it) */
  WD_CODING_BROTLI,  /* RFC 7932 */
  WD_CODING_ZSTD     /* RFC 8878 */
} wd_coding;

enum {
  WD_DECODE_OK = 0,       /* the stream ended where the input did */
  WD_DECODE_CORRUPT = 1,  /* bad data, truncated; for Brotli, bytes after the end */
  WD_DECODE_NOMEM = -1
};

/* Called with each piece of output; return 0 to go on, anything else to
   stop: wd_decode returns that value. */
typedef int (*wd_decode_sink)(void *ctx, const uint8_t *p, size_t n);

int wd_decode(wd_coding coding, const uint8_t *in, size_t n, wd_decode_sink sink, void *ctx);

#endif
