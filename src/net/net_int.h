/* Internals of the prober (not installed). */
#ifndef WD_NET_INT_H
#define WD_NET_INT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "webdoctor/probe.h"

/* One transfer. The public part is copied into the result. */
typedef struct wdn_asset {
  wd_probe_asset pub;
  CURL *easy;
  wd_buf raw;               /* the bytes as received (limit: max_size) */
  bool too_big;             /* stopped at the size limit */
  uint64_t expected;        /* fileSizes, 0 unknown */
  curl_off_t dlnow, dltotal;
  char errbuf[CURL_ERROR_SIZE];
  long curl_code;           /* CURLcode of the transfer */
  /* the body after Content-Encoding: points into raw or is owned */
  const uint8_t *body;
  size_t body_len;
  uint8_t *body_owned;
  char decode_msg[256];     /* why the bytes do not decode as declared */
  char decode_msg_en[256];  /* the same in English (the finding quoting it renders either) */
  char error_en[600];       /* pub.error in English */
  bool done;
} wdn_asset;

typedef struct wdn_fetcher {
  CURLM *multi;
  const wd_probe_options *o;
  struct curl_slist *headers, *resolve;
  wdn_asset **v;
  uint32_t n, cap;
  uint32_t active;
  uint32_t ndone;
  long last_progress_ms;
} wdn_fetcher;

wd_status wdn_fetcher_init(wdn_fetcher *f, const wd_probe_options *o, wd_error *err);
/* Load libcurl (curl_dl.c): before the first use. */
wd_status wdn_curl_load(wd_error *err);
void wdn_fetcher_free(wdn_fetcher *f);
/* Queue a transfer (started at the next wdn_fetch_next). NULL on out of
 * memory. An URL already queued returns the existing transfer. */
wdn_asset *wdn_fetch_add(wdn_fetcher *f, wd_asset_kind kind, const char *name, const char *url, uint64_t expected,
                         bool *added);
/* Run the transfers until one finishes; return it (headers read, body
 * decoded), or NULL when none is left. */
wdn_asset *wdn_fetch_next(wdn_fetcher *f);
/* Find a transfer by name. */
wdn_asset *wdn_fetch_find(wdn_fetcher *f, const char *name);

/* Undo one Content-Encoding ("gzip", "x-gzip", "deflate", "br", "zstd").
 * Returns 0 and a malloc'd buffer, 1 when the bytes are not in that
 * encoding, 2 for an unknown encoding, 3 at the size limit, -1 on out of
 * memory. */
int wdn_decode(const char *coding, const uint8_t *in, size_t n, uint64_t limit, uint8_t **out, size_t *out_len);

/* What the first bytes look like: "WebAssembly", "gzip", "HTML"... */
const char *wdn_sniff(const uint8_t *p, size_t n);

#endif
