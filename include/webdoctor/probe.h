/*
 * `webdoctor probe URL`: check a deployed Godot web export as a browser
 * sees it.
 *
 * libcurl (multi interface, transfers in parallel) fetches the page, finds
 * GODOT_CONFIG in it, and follows it to every file the engine loads: the
 * page's scripts, the JS glue, the engine .wasm, the .pck, index.side.wasm,
 * the GDExtension side modules, the audio worklets, the pthread worker, the
 * service worker and the web app manifest. Each response is checked the way
 * a browser would use it (status, COOP/COEP/CORP/CORS, Content-Type,
 * Content-Encoding against the bytes, caching), then the bytes as received
 * go through the same checks as `webdoctor check` (sizes against fileSizes,
 * the link check of the wasm modules, the .pck). Findings are WD4xx for
 * HTTP and hosting, plus check's WD1xx/WD2xx about the files.
 */
#ifndef WEBDOCTOR_PROBE_H
#define WEBDOCTOR_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "webdoctor/check.h"
#include "webdoctor/error.h"
#include "webdoctor/finding.h"

typedef enum wd_asset_kind {
  WD_ASSET_PAGE = 0,        /* the HTML shell */
  WD_ASSET_SCRIPT,          /* another <script src> of the page */
  WD_ASSET_GLUE,            /* <executable>.js */
  WD_ASSET_ENGINE,          /* <executable>.wasm */
  WD_ASSET_ENGINE_SIDE,     /* <executable>.side.wasm */
  WD_ASSET_EXTENSION,       /* a GDExtension side module */
  WD_ASSET_PCK,             /* the main pack */
  WD_ASSET_WORKER,          /* the pthread worker script */
  WD_ASSET_WORKLET,         /* an audio worklet */
  WD_ASSET_SERVICE_WORKER,  /* GODOT_CONFIG.serviceWorker */
  WD_ASSET_MANIFEST,        /* <link rel="manifest"> */
  WD_ASSET_OTHER            /* another file fileSizes lists */
} wd_asset_kind;

typedef struct wd_probe_asset {
  wd_asset_kind kind;
  char *name;               /* as the page names it, relative to the page ("index.wasm") */
  char *url;                /* requested */
  char *final_url;          /* after redirects */
  long status;              /* HTTP status; 0 when there was no response */
  uint32_t redirects;
  bool cross_origin;        /* another origin than the page's */
  char *content_type, *content_encoding, *content_length, *cache_control, *expires;
  char *etag, *last_modified, *coop, *coep, *corp, *acao, *nosniff, *vary;
  uint64_t wire_bytes;      /* bytes received */
  uint64_t body_bytes;      /* after undoing Content-Encoding */
  bool body_ok;             /* the bytes decoded as declared */
  double seconds;
  char *error;              /* a transfer error ("timed out after 30 s"), or NULL */
} wd_probe_asset;

typedef struct wd_probe_progress {
  uint64_t done;            /* bytes received so far, all transfers */
  uint64_t total;           /* expected bytes (Content-Length, else fileSizes); 0 unknown */
  uint32_t files_done, files_total;
} wd_probe_progress;

typedef void (*wd_probe_progress_fn)(void *user, const wd_probe_progress *p);

typedef struct wd_probe_options {
  long timeout_ms;          /* per transfer, whole; default 120000 */
  long connect_timeout_ms;  /* default 10000 */
  long max_redirects;       /* per transfer; default 10 */
  uint64_t max_size;        /* per file, bytes; default 512 MiB */
  uint32_t max_parallel;    /* transfers at once; default 6 */
  bool no_code;             /* skip the instruction walk in the link check */
  bool insecure;            /* do not verify TLS certificates */
  const char *cacert;       /* CA bundle for TLS, or NULL */
  const char *const *resolve; /* curl --resolve entries "HOST:PORT:ADDRESS" */
  uint32_t nresolve;
  wd_probe_progress_fn progress; /* called from the transfer loop, or NULL */
  void *progress_user;
} wd_probe_options;

typedef struct wd_probe_result {
  char *url;                /* as given */
  char *final_url;          /* the page after redirects */
  bool secure_context;      /* https, or http on localhost / 127.0.0.0/8 / [::1] */
  int threads;              /* the engine's memory is shared: 1, 0, -1 unknown */
  bool isolated;            /* the page's headers make it cross-origin isolated */
  bool sw_isolation;        /* a service worker adds the headers (after a reload) */
  bool has_config;          /* the page holds GODOT_CONFIG */
  wd_check_summary summary; /* from the check of the received files */
  uint32_t nassets;
  wd_probe_asset *assets;   /* the page first, then in request order */
} wd_probe_result;

void wd_probe_options_init(wd_probe_options *o);

/* Probe `url`. Findings go to `out` (sorted); *res (may be NULL) gets the
 * transfers. Fails (exit status 2) on a bad URL (WD_ERR_USAGE) or when the
 * page cannot be fetched at all (WD_ERR_NETWORK: no such host, connection
 * refused, timeout, too many redirects, TLS); an HTTP error status on the
 * page, and anything about the other files, is a finding. */
wd_status wd_probe_url(const char *url, const wd_probe_options *o, wd_findings *out, wd_probe_result **res,
                       wd_error *err);
void wd_probe_result_free(wd_probe_result *r);

/* The "target" object of probe's JSON: check's summary plus the transfers. */
cJSON *wd_probe_result_json(const wd_probe_result *r);

/* A potentially trustworthy origin for a page without TLS: localhost,
 * *.localhost, 127.0.0.0/8, [::1]. */
bool wd_probe_host_is_local(const char *host);

const char *wd_asset_kind_key(wd_asset_kind k);

#endif
