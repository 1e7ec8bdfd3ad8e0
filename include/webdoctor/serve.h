/*
 * `webdoctor serve`: a local static server for web exports, built on
 * libmicrohttpd (which parses HTTP; nothing here does).
 *
 * What it adds on top of a plain file server:
 *   - the cross-origin isolation headers threaded exports need
 *     (Cross-Origin-Opener-Policy, -Embedder-Policy, -Resource-Policy);
 *   - the right Content-Type for everything a web export holds;
 *   - precompressed copies (.br, .zst, .gz beside a file) chosen by
 *     Accept-Encoding, with Vary;
 *   - ETag / Last-Modified / If-None-Match / If-Modified-Since / Range /
 *     If-Range / HEAD, and Cache-Control: no-cache (always revalidate);
 *   - request paths resolved by one strict function
 *     (wd_serve_resolve_path) and files opened beneath the root only
 *     (openat2 RESOLVE_BENEATH), so nothing outside the root is served;
 *   - the in-page diagnosis script injected into HTML pages, and the check
 *     findings as JSON and check's HTML report under the reserved prefix
 *     /__webdoctor/.
 *
 * The library never prints: each request is reported to a callback.
 */
#ifndef WEBDOCTOR_SERVE_H
#define WEBDOCTOR_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The reserved URL prefix: never looked up in the served folder. */
#define WD_SERVE_PREFIX "/__webdoctor/"
#define WD_SERVE_SCRIPT_PATH "/__webdoctor/diagnose.js"
#define WD_SERVE_FINDINGS_PATH "/__webdoctor/findings.json"
#define WD_SERVE_FINDINGS_ZH_PATH "/__webdoctor/findings.zh.json"
#define WD_SERVE_REPORT_PATH "/__webdoctor/report.html"
/* The web app (build/web-app), when the caller gives its files: each at
 * WD_SERVE_APP_PATH + its name, index.html also at WD_SERVE_APP_PATH. */
#define WD_SERVE_APP_PATH "/__webdoctor/app/"

/* ---- pure helpers (unit-tested and fuzzed) ---------------------------- */

typedef enum wd_path_verdict {
  WD_PATH_OK = 0,       /* out holds a safe relative path ("" = the root) */
  WD_PATH_BAD = 1,      /* malformed: answer 400 */
  WD_PATH_HIDDEN = 2    /* a dot-file or dot-folder: answer 404 */
} wd_path_verdict;

/* Resolve the request-target as the client sent it (raw bytes, before any
 * decoding; the query string may still be attached) to a path relative to
 * the served root. The result has no leading or trailing '/', no empty,
 * "." or ".." segment, no byte below 0x20 or 0x7f, no backslash, and is
 * valid UTF-8 without overlong forms or surrogates; segments starting with
 * '.' are refused (WD_PATH_HIDDEN) except ".well-known". Accepts the
 * origin form "/a/b?q" and the absolute form "http://host/a/b" (RFC 9112
 * 3.2.2). Percent escapes are decoded once; an escaped '/' ("%2F") is
 * refused, so no decoded byte can change how the path is split.
 * *trailing_slash tells whether the path ended in '/'. out_size must be at
 * least len + 1; the result is never longer than the input. */
wd_path_verdict wd_serve_resolve_path(const char *target, size_t len, char *out, size_t out_size,
                                      bool *trailing_slash);

/* The Content-Type for a file name (by its extension, case-insensitive);
 * "application/octet-stream" when unknown. */
const char *wd_serve_mime_type(const char *name);
/* Whether a type is worth compressing (text, JSON, wasm, SVG...). */
bool wd_serve_mime_compressible(const char *type);

/* Content codings the server has precompressed copies for. */
typedef enum wd_encoding {
  WD_ENC_IDENTITY = 0,
  WD_ENC_BR = 1,
  WD_ENC_ZSTD = 2,
  WD_ENC_GZIP = 3,
  WD_ENC_COUNT = 4
} wd_encoding;

/* ".br", ".zst", ".gz" ("" for identity); and the coding's token. */
const char *wd_encoding_suffix(wd_encoding e);
const char *wd_encoding_token(wd_encoding e);

/* Pick the coding to send from an Accept-Encoding value (NULL = header
 * absent: identity) among `available` (a bit mask of 1u << wd_encoding;
 * identity is always available). Honours q-values (q=0 refuses) and "*";
 * among equal q the server prefers br, then zstd, then gzip. Returns
 * WD_ENC_IDENTITY when nothing better is acceptable. */
wd_encoding wd_serve_pick_encoding(const char *accept_encoding, unsigned available);

typedef enum wd_range_verdict {
  WD_RANGE_NONE = 0,        /* no usable Range: send the whole file (200) */
  WD_RANGE_OK = 1,          /* one satisfiable range: send 206 */
  WD_RANGE_UNSATISFIABLE = 2 /* send 416 with Content-Range: bytes *\/size */
} wd_range_verdict;

/* Parse a Range header ("bytes=0-99", "bytes=100-", "bytes=-500") for a
 * representation of `size` bytes. Only single ranges are honoured: a
 * multi-range or malformed value gives WD_RANGE_NONE (RFC 9110 14.2 lets a
 * server ignore Range). */
wd_range_verdict wd_serve_parse_range(const char *range, uint64_t size, uint64_t *first, uint64_t *last);

/* Whether an If-None-Match value matches `etag` (weak comparison, "*"
 * matches anything). */
bool wd_serve_etag_matches(const char *if_none_match, const char *etag);

/* Where the diagnosis script goes in an HTML page: right after the <head>
 * start tag, else after <html>, else after a leading doctype, else 0.
 * Comments and case are handled; the page is otherwise untouched. */
size_t wd_serve_inject_offset(const char *html, size_t len);

/* The diagnosis script served at WD_SERVE_SCRIPT_PATH. */
extern const char wd_serve_diagnose_js[];
extern const size_t wd_serve_diagnose_js_len;

/* ---- the server ------------------------------------------------------- */

typedef enum wd_coep {
  WD_COEP_REQUIRE_CORP = 0,
  WD_COEP_CREDENTIALLESS = 1,
  WD_COEP_OFF = 2            /* send no isolation headers at all */
} wd_coep;

/* One finished request, for the access log. Strings are valid only during
 * the callback; `path` is the raw request-target (untrusted bytes). */
typedef struct wd_serve_request {
  const char *client;        /* "127.0.0.1" or "::1" */
  const char *method;
  const char *path;
  const char *version;       /* "HTTP/1.1" */
  unsigned status;
  uint64_t bytes;            /* body bytes to be sent (0 for HEAD and 304) */
  const char *encoding;      /* "br", "gzip", "zstd" or NULL */
  bool injected;             /* the diagnosis script was added */
} wd_serve_request;

typedef void (*wd_serve_log_fn)(void *ctx, const wd_serve_request *r);

/* A file the server carries in memory (the web app's). */
typedef struct wd_serve_file {
  const char *name;          /* "index.html", "webdoctor.wasm" */
  const uint8_t *data;       /* borrowed: must outlive the server */
  size_t len;
} wd_serve_file;

typedef struct wd_serve_options {
  const char *root;          /* the folder to serve */
  const char *bind;          /* address to listen on; NULL = "127.0.0.1" */
  uint16_t port;             /* 0 = any free port (see wd_server_port) */
  wd_coep coep;
  bool inject;               /* add the diagnosis script to HTML pages */
  const char *findings_json; /* served at WD_SERVE_FINDINGS_PATH; NULL = 404 */
  const char *findings_json_zh; /* the same in Chinese, at WD_SERVE_FINDINGS_ZH_PATH;
                                NULL = findings_json there too */
  const char *report_html;   /* served at WD_SERVE_REPORT_PATH; NULL = 404 */
  const wd_serve_file *app;  /* the web app's files, under WD_SERVE_APP_PATH */
  uint32_t napp;
  const char *tls_cert_pem;  /* both set: HTTPS (GnuTLS through libmicrohttpd) */
  const char *tls_key_pem;
  unsigned threads;          /* worker threads; 0 = one per CPU */
  unsigned cache_mb;         /* in-memory cache for small files; 0 = 64 */
  wd_serve_log_fn log;       /* may be NULL; called from worker threads */
  void *log_ctx;
} wd_serve_options;

typedef struct wd_server wd_server;

/* Whether the linked libmicrohttpd was built with TLS support. */
bool wd_serve_tls_available(void);
/* Check a TLS certificate and key (PEM texts, read from cert_path and
 * key_path, which the messages name) the way the server will use them:
 * each file holds what its place needs, the key is not encrypted, and the
 * key belongs to the certificate. Says plainly when the two are swapped. */
wd_status wd_serve_tls_check(const char *cert_pem, size_t cert_len, const char *cert_path, const char *key_pem,
                             size_t key_len, const char *key_path, wd_error *err);
/* Whether an address is a loopback address (127.0.0.0/8, ::1, "localhost"). */
bool wd_serve_is_loopback(const char *addr);

/* Start serving in background threads. Fails when the root is not a
 * readable folder, the address cannot be parsed or bound, or TLS is asked
 * for without support. */
wd_status wd_serve_start(const wd_serve_options *o, wd_server **out, wd_error *err);
/* The port actually bound. */
uint16_t wd_server_port(const wd_server *s);
/* Stop accepting, close every connection, join the threads, free. */
void wd_serve_stop(wd_server *s);

#ifdef __cplusplus
}
#endif
#endif
