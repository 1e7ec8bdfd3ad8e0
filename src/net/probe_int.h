/* Internals shared by the prober's files: probe.c (the crawl, the whole
 * run, JSON), probe_http.c (each response as a browser uses it),
 * probe_received.c (the bytes received, through check). */
#ifndef WD_NET_PROBE_INT_H
#define WD_NET_PROBE_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "net/net_int.h"
#include "webdoctor/finding.h"
#include "webdoctor/probe.h"

typedef struct page_ref {
  char *ref;
  bool crossorigin;
} page_ref;

typedef struct probe {
  const wd_probe_options *o;
  wdn_fetcher f;
  wd_findings *out;
  char *page_url;        /* final */
  char *page_origin;
  char *page_name;
  wdn_asset *page;
  cJSON *config;
  char *executable;
  uint32_t nscripts;
  page_ref scripts[32];
  char *manifest;
  bool sw_shim;          /* the page loads coi-serviceworker.js */
  int threads;
} probe;

/* probe.c */
/* scheme://host:port of an absolute URL (caller frees), or NULL. */
char *wdn_origin_of(const char *url);
/* The first case-insensitive occurrence of needle in [hay, end), or NULL. */
const char *wdn_find_ci(const char *hay, const char *end, const char *needle);

/* probe_http.c */
/* The MIME type essence: lower case, without parameters. */
void wdn_essence(const char *ct, char *buf, size_t n);
bool wdn_is_js_mime(const char *essence);
const char *wdn_cistr(const char *hay, const char *needle);
/* The first token of a header value, lower case ("same-origin"). */
void wdn_token(const char *v, char *buf, size_t n);
bool wdn_is_script_kind(wd_asset_kind k);
bool wdn_is_binary_kind(wd_asset_kind k);
bool wdn_ok_status(long status);
/* A finding of this probe, with the message formatted first. */
wd_finding *wdn_add(probe *pr, wd_finding_id id, wd_severity sev, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* One response as a browser would use it; -1 when out of memory. */
int wdn_check_transfer(probe *pr, const wdn_asset *a);
/* The page: cross-origin isolation, the service worker, the manifest...;
 * -1 when out of memory. */
int wdn_check_page(probe *pr, wd_probe_result *res);

/* probe_received.c */
/* The bytes as received, in memory, through the same checks as `check`. */
wd_status wdn_check_received(probe *pr, wd_probe_result *res, const wd_probe_options *o, wd_error *err);

#endif
