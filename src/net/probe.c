/*
 * `webdoctor probe URL` (see include/webdoctor/probe.h).
 *
 * The page is fetched first; GODOT_CONFIG (wd_export_find_config) names the
 * rest, which is fetched in parallel; the JS glue and the engine add what
 * they load (worklets, worker, index.side.wasm). Each response is checked as
 * a browser would use it. Then the bytes as received, in memory, form an
 * export source (webdoctor/source.h) that goes through
 * wd_check_export_source(), the same checks as `webdoctor check` (link, sizes
 * against fileSizes, .pck); the checks about hosting are left to the
 * measured ones here (wd_check_options.served: WD203 becomes WD402; WD201
 * for a file this probe fetched is a WD401/WD408 here).
 *
 * This file crawls: the URLs, the page's scripts and manifest, what each
 * response adds to the queue, the whole run and its JSON. probe_http.c
 * checks each response as a browser would use it (status, type, encoding,
 * headers, the page's isolation); probe_received.c puts the bytes received
 * through check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/limits.h"
#include "common/str.h"
#include "common/i18n.h"
#include "net/probe_int.h"
#include "webdoctor/export.h"
#include "webdoctor/headers.h"
#include "webdoctor/report.h"
#include "webdoctor/wasm.h"

#define OOM_IF(x)      \
  do {                 \
    if (x) goto oom;   \
  } while (0)

void wd_probe_options_init(wd_probe_options *o) {
  memset(o, 0, sizeof *o);
  o->timeout_ms = 120000;
  o->connect_timeout_ms = 10000;
  o->max_redirects = 10;
  o->max_size = WD_PROBE_DEFAULT_MAX_SIZE;
  o->max_parallel = 6;
}

const char *wd_asset_kind_key(wd_asset_kind k) {
  switch (k) {
  case WD_ASSET_PAGE: return "page";
  case WD_ASSET_SCRIPT: return "script";
  case WD_ASSET_GLUE: return "glue";
  case WD_ASSET_ENGINE: return "engine";
  case WD_ASSET_ENGINE_SIDE: return "engine-side";
  case WD_ASSET_EXTENSION: return "extension";
  case WD_ASSET_PCK: return "pck";
  case WD_ASSET_WORKER: return "worker";
  case WD_ASSET_WORKLET: return "worklet";
  case WD_ASSET_SERVICE_WORKER: return "service-worker";
  case WD_ASSET_MANIFEST: return "manifest";
  case WD_ASSET_OTHER: return "other";
  }
  return "?";
}

/* ---- URLs ------------------------------------------------------------------ */

bool wd_probe_host_is_local(const char *host) {
  if (!host) return false;
  size_t n = strlen(host);
  if (!strcasecmp(host, "localhost") || (n > 10 && !strcasecmp(host + n - 10, ".localhost"))) return true;
  if (!strcmp(host, "[::1]") || !strcmp(host, "::1")) return true;
  unsigned a, b, c, d;
  char tail;
  if (sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 && c < 256 && d < 256)
    return true;
  return false;
}

/* scheme://host:port of an absolute URL (caller frees), or NULL. */
char *wdn_origin_of(const char *url) {
  CURLU *u = curl_url();
  char *scheme = NULL, *host = NULL, *port = NULL, *o = NULL;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    size_t n = strlen(scheme) + strlen(host) + strlen(port) + 5;
    if ((o = malloc(n))) {
      snprintf(o, n, "%s://%s:%s", scheme, host, port);
      for (char *p = o; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
    }
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  curl_url_cleanup(u);
  return o;
}

/* `ref` resolved against `base` (caller frees with free()). */
static char *resolve(const char *base, const char *ref) {
  CURLU *u = curl_url();
  char *out = NULL, *r = NULL;
  if (u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
      curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_URL, &out, 0) == CURLUE_OK)
    r = wd_strdup(out);
  curl_free(out);
  curl_url_cleanup(u);
  return r;
}

/* ---- the page ---------------------------------------------------------------- */

const char *wdn_find_ci(const char *hay, const char *end, const char *needle) {
  size_t n = strlen(needle);
  for (const char *p = hay; p + n <= end; p++) {
    size_t k = 0;
    while (k < n && (p[k] | 0x20) == (needle[k] | 0x20)) k++;
    if (k == n) return p;
  }
  return NULL;
}

/* The value of attribute `name` in the tag [tag, end) (caller frees). */
static char *attr(const char *tag, const char *end, const char *name) {
  size_t n = strlen(name);
  for (const char *p = tag; p + n < end; p++) {
    if ((p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n' && p[-1] != '\r') || strncasecmp(p, name, n) != 0)
      continue;
    const char *q = p + n;
    while (q < end && *q == ' ') q++;
    if (q >= end || *q != '=') {
      if (q >= end || *q == ' ' || *q == '/' || *q == '\t' || *q == '\n') return wd_strdup(""); /* bare attribute */
      continue;
    }
    q++;
    while (q < end && *q == ' ') q++;
    const char *v = q, *ve;
    if (q < end && (*q == '"' || *q == '\'')) {
      char quote = *q;
      v = q + 1;
      ve = memchr(v, quote, (size_t)(end - v));
      if (!ve) return NULL;
    } else {
      ve = v;
      while (ve < end && *ve != ' ' && *ve != '>') ve++;
    }
    char *s = malloc((size_t)(ve - v) + 1);
    if (s) {
      memcpy(s, v, (size_t)(ve - v));
      s[ve - v] = '\0';
    }
    return s;
  }
  return NULL;
}

static void scan_page(probe *pr, const char *html, size_t len) {
  const char *end = html + len;
  for (const char *p = html; (p = wdn_find_ci(p, end, "<script"));) {
    const char *gt = memchr(p, '>', (size_t)(end - p));
    if (!gt) break;
    char *src = attr(p + 7, gt, "src");
    if (src && src[0] && pr->nscripts < 32) {
      char *co = attr(p + 7, gt, "crossorigin");
      pr->scripts[pr->nscripts].ref = src;
      pr->scripts[pr->nscripts].crossorigin = co != NULL;
      pr->nscripts++;
      free(co);
      if (strstr(src, WD_COI_SW_NAME)) pr->sw_shim = true;
    } else {
      free(src);
    }
    p = gt;
  }
  for (const char *p = html; (p = wdn_find_ci(p, end, "<link"));) {
    const char *gt = memchr(p, '>', (size_t)(end - p));
    if (!gt) break;
    char *rel = attr(p + 5, gt, "rel");
    if (rel && !strcasecmp(rel, "manifest") && !pr->manifest) pr->manifest = attr(p + 5, gt, "href");
    free(rel);
    p = gt;
  }
}

/* Whether the bytes hold the text s. */
static bool mem_has(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s);
  if (!k || n < k) return false;
  for (size_t i = 0; i + k <= n; i++)
    if (p[i] == (uint8_t)s[0] && !memcmp(p + i, s, k)) return true;
  return false;
}

/* ---- queueing ------------------------------------------------------------------ */

static uint64_t listed_size(const probe *pr, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(pr->config, "fileSizes"), name);
  return cJSON_IsNumber(v) && v->valuedouble > 0 ? (uint64_t)v->valuedouble : 0;
}

/* 0, or -1 on out of memory; a reference that is no URL is skipped. */
static int queue(probe *pr, wd_asset_kind kind, const char *ref) {
  char *url = resolve(pr->page_url, ref);
  if (!url) return 0;
  wdn_asset *a = wdn_fetch_add(&pr->f, kind, ref, url, listed_size(pr, ref), NULL);
  free(url);
  return a ? 0 : -1;
}

static int queue_suffix(probe *pr, wd_asset_kind kind, const char *suffix) {
  char name[1024];
  snprintf(name, sizeof name, "%s%s", pr->executable, suffix);
  return queue(pr, kind, name);
}

/* The quoted names ending in ".gz" that a page or script mentions (a gzip
 * plugin's loader fetches index.pck.gz and inflates it itself): each is
 * fetched like the page's other files. A name is what sits between matching
 * quotes, without spaces or ':' (relative), at most 200 bytes; 16 at most. */
static int queue_gz_names(probe *pr, const uint8_t *body, size_t len) {
  unsigned n = 0;
  for (size_t i = 3; i + 1 < len && n < 16; i++) {
    uint8_t q = body[i + 1];
    if (body[i] != 'z' || body[i - 1] != 'g' || body[i - 2] != '.' || (q != '"' && q != '\'' && q != '`'))
      continue;
    size_t b = i - 2;
    while (b > 0 && i - b < 200 && body[b - 1] > ' ' && body[b - 1] != ':' && body[b - 1] != '"' &&
           body[b - 1] != '\'' && body[b - 1] != '`')
      b--;
    if (b == 0 || body[b - 1] != q || b == i - 2) continue;
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(i + 1 - b), (const char *)body + b);
    if (queue(pr, WD_ASSET_OTHER, name)) return -1;
    n++;
  }
  return 0;
}

/* What a finished transfer adds: the glue names the worklets and the worker;
 * an engine built for dynamic linking loads index.side.wasm; the glue and the
 * page's own scripts may name .gz files. */
static int on_done(probe *pr, wdn_asset *a) {
  if (!wdn_ok_status(a->pub.status) || !a->pub.body_ok || a->pub.error) return 0;
  if ((a->pub.kind == WD_ASSET_GLUE || (a->pub.kind == WD_ASSET_SCRIPT && !a->pub.cross_origin)) &&
      queue_gz_names(pr, a->body, a->body_len))
    return -1;
  if (a->pub.kind == WD_ASSET_GLUE) {
    if (mem_has(a->body, a->body_len, "godot.audio.worklet.js") &&
        queue_suffix(pr, WD_ASSET_WORKLET, ".audio.worklet.js"))
      return -1;
    if (mem_has(a->body, a->body_len, "godot.audio.position.worklet.js") &&
        queue_suffix(pr, WD_ASSET_WORKLET, ".audio.position.worklet.js"))
      return -1;
    if ((mem_has(a->body, a->body_len, "godot.worker.js") || mem_has(a->body, a->body_len, ".worker.js\"")) &&
        queue_suffix(pr, WD_ASSET_WORKER, ".worker.js"))
      return -1;
  } else if (a->pub.kind == WD_ASSET_ENGINE && !strcmp(wdn_sniff(a->body, a->body_len) ? wdn_sniff(a->body, a->body_len) : "", "WebAssembly")) {
    wd_read_options ro = {.skip_code = true};
    wd_module *m = NULL;
    wd_error err;
    wd_error_clear(&err);
    if (wd_module_parse(a->body, a->body_len, &ro, &m, &err) == WD_OK) {
      const wd_limits *l = wd_module_memory0(m, NULL);
      if (l) pr->threads = l->shared ? 1 : 0;
      bool dlink = wd_module_role_of(m) == WD_ROLE_EMSCRIPTEN_MAIN;
      wd_module_free(m);
      if (dlink && queue_suffix(pr, WD_ASSET_ENGINE_SIDE, ".side.wasm")) return -1;
    }
  }
  return 0;
}

static int queue_config(probe *pr) {
  const cJSON *c = pr->config;
  /* the glue first, so that it is fetched as the glue and not as a page script */
  if (queue_suffix(pr, WD_ASSET_GLUE, ".js")) return -1;
  for (uint32_t i = 0; i < pr->nscripts; i++)
    if (queue(pr, WD_ASSET_SCRIPT, pr->scripts[i].ref)) return -1;
  if (queue_suffix(pr, WD_ASSET_ENGINE, ".wasm")) return -1;
  const cJSON *mp = cJSON_GetObjectItemCaseSensitive(c, "mainPack");
  if (cJSON_IsString(mp) && mp->valuestring[0]) {
    if (queue(pr, WD_ASSET_PCK, mp->valuestring)) return -1;
  } else if (queue_suffix(pr, WD_ASSET_PCK, ".pck")) {
    return -1;
  }
  const cJSON *libs = cJSON_GetObjectItemCaseSensitive(c, "gdextensionLibs"), *it;
  char side[1024];
  snprintf(side, sizeof side, "%s.side.wasm", pr->executable);
  if ((cJSON_GetArraySize(libs) > 0 || listed_size(pr, side)) && queue(pr, WD_ASSET_ENGINE_SIDE, side)) return -1;
  cJSON_ArrayForEach(it, libs)
    if (cJSON_IsString(it) && it->valuestring[0] && queue(pr, WD_ASSET_EXTENSION, it->valuestring)) return -1;
  const cJSON *sw = cJSON_GetObjectItemCaseSensitive(c, "serviceWorker");
  if (cJSON_IsString(sw) && sw->valuestring[0] && queue(pr, WD_ASSET_SERVICE_WORKER, sw->valuestring)) return -1;
  if (pr->manifest && pr->manifest[0] && queue(pr, WD_ASSET_MANIFEST, pr->manifest)) return -1;
  cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(c, "fileSizes"))
    if (it->string && queue(pr, wd_ends_with(it->string, ".wasm") ? WD_ASSET_EXTENSION : WD_ASSET_OTHER, it->string))
      return -1;
  return 0;
}

/* ---- the whole probe --------------------------------------------------------------- */

static void asset_free(wd_probe_asset *x) {
  free(x->name);
  free(x->url);
  free(x->final_url);
  free(x->content_type);
  free(x->content_encoding);
  free(x->content_length);
  free(x->cache_control);
  free(x->expires);
  free(x->etag);
  free(x->last_modified);
  free(x->coop);
  free(x->coep);
  free(x->corp);
  free(x->acao);
  free(x->nosniff);
  free(x->vary);
  free(x->error);
}

void wd_probe_result_free(wd_probe_result *r) {
  if (!r) return;
  for (uint32_t i = 0; i < r->nassets; i++) asset_free(&r->assets[i]);
  free(r->assets);
  free(r->url);
  free(r->final_url);
  free(r);
}

static wd_status check_url(const char *url, wd_error *err) {
  CURLU *u = curl_url();
  if (!u) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  char *scheme = NULL;
  CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, 0);
  wd_status s = WD_OK;
  if (rc != CURLUE_OK) {
    if (!strstr(url, "://"))
      s = wd_error_set(err, WD_ERR_USAGE, N_("'%s' is not a URL: give it with its scheme, e.g. http://%s"), url, url);
    else
      s = wd_error_set(err, WD_ERR_USAGE, N_("'%s' is not a valid URL: %s"), url, curl_url_strerror(rc));
  } else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
             (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
    s = wd_error_set(err, WD_ERR_USAGE, N_("'%s' is not an http:// or https:// URL"), url);
  }
  curl_free(scheme);
  curl_url_cleanup(u);
  return s;
}

/* The page's file name: the last path segment, index.html for a folder. */
static char *page_file_name(const char *url) {
  CURLU *u = curl_url();
  char *path = NULL, *r = NULL;
  if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK && curl_url_get(u, CURLUPART_PATH, &path, 0) == CURLUE_OK) {
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    if (!*b) r = wd_strdup("index.html");
    else if (wd_ends_with(b, ".html") || wd_ends_with(b, ".htm")) r = wd_strdup(b);
    else {
      size_t n = strlen(b) + 6;
      if ((r = malloc(n))) snprintf(r, n, "%s.html", b);
    }
  }
  curl_free(path);
  curl_url_cleanup(u);
  return r;
}

wd_status wd_probe_url(const char *url, const wd_probe_options *opts, wd_findings *out, wd_probe_result **res_out,
                       wd_error *err) {
  if (res_out) *res_out = NULL;
  wd_probe_options defaults;
  if (!opts) {
    wd_probe_options_init(&defaults);
    opts = &defaults;
  }
  wd_status ls = wdn_curl_load(err);
  if (ls) return ls;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return wd_error_set(err, WD_ERR_NETWORK, "%s", W_("cannot initialise libcurl"));
  wd_status s = check_url(url, err);
  if (s) {
    curl_global_cleanup();
    return s;
  }
  probe pr;
  memset(&pr, 0, sizeof pr);
  pr.o = opts;
  pr.out = out;
  pr.threads = -1;
  wd_probe_result *res = calloc(1, sizeof *res);
  if (!res || !(res->url = wd_strdup(url))) goto oom;
  res->threads = -1;
  res->summary.threads = -1;
  if ((s = wdn_fetcher_init(&pr.f, opts, err))) goto done;

  /* the page */
  pr.page = wdn_fetch_add(&pr.f, WD_ASSET_PAGE, url, url, 0, NULL);
  OOM_IF(!pr.page);
  wdn_asset *a = wdn_fetch_next(&pr.f);
  if (!a || a->pub.status == 0 || a->pub.error) {
    wd_error_set_file(err, url);
    s = wd_error_set(err, WD_ERR_NETWORK, N_("cannot fetch the page: %s"),
                     a && a->pub.error ? a->pub.error : W_("no response"));
    goto done;
  }
  OOM_IF(!(pr.page_url = wd_strdup(pr.page->pub.final_url)) || !(pr.page_origin = wdn_origin_of(pr.page_url)) ||
         !(pr.page_name = page_file_name(pr.page_url)));
  free(pr.page->pub.name);
  OOM_IF(!(pr.page->pub.name = wd_strdup(pr.page_name)));
  OOM_IF(!(res->final_url = wd_strdup(pr.page_url)));
  {
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, pr.page_url, 0) == CURLUE_OK) {
      curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
      curl_url_get(u, CURLUPART_HOST, &host, 0);
    }
    res->secure_context = (scheme && !strcasecmp(scheme, "https")) || wd_probe_host_is_local(host);
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
  }
  if (wdn_ok_status(pr.page->pub.status) && pr.page->pub.body_ok && !pr.page->pub.error) {
    const char *html = (const char *)pr.page->body;
    size_t hlen = pr.page->body_len;
    wd_error cerr;
    wd_error_clear(&cerr);
    pr.config = wd_export_find_config(html, hlen, NULL, &cerr);
    scan_page(&pr, html, hlen);
  }
  if (pr.config) {
    res->has_config = true;
    const cJSON *exe = cJSON_GetObjectItemCaseSensitive(pr.config, "executable");
    OOM_IF(!(pr.executable = wd_strdup(cJSON_IsString(exe) && exe->valuestring[0] ? exe->valuestring : "index")));
    OOM_IF(queue_config(&pr));
    OOM_IF(queue_gz_names(&pr, pr.page->body, pr.page->body_len)); /* fetched before page_url was known */
    while ((a = wdn_fetch_next(&pr.f))) OOM_IF(on_done(&pr, a));
  }
  for (uint32_t i = 0; i < pr.f.n; i++) {
    wdn_asset *x = pr.f.v[i];
    char *o = x->pub.final_url ? wdn_origin_of(x->pub.final_url) : NULL;
    x->pub.cross_origin = o && strcmp(o, pr.page_origin) != 0;
    free(o);
  }
  /* findings: every transfer, then the files, then the page as a whole */
  for (uint32_t i = 0; i < pr.f.n; i++) OOM_IF(wdn_check_transfer(&pr, pr.f.v[i]));
  if (pr.config) {
    if ((s = wdn_check_received(&pr, res, opts, err))) goto done;
  } else if (wdn_ok_status(pr.page->pub.status) && !pr.page->pub.error) {
    wd_finding *f = wdn_add(&pr, WD212, WD_SEV_ERROR, pr.page_name,
                        N_("%s has no GODOT_CONFIG: it is not a Godot web export's page"), pr.page_url);
    OOM_IF(!f);
    OOM_IF(wd_finding_explain(f, N_("A Godot web export's page (index.html) holds GODOT_CONFIG in a script, "
                                   "which names the engine and the files it loads. On itch.io and similar "
                                   "sites, probe the address of the game's frame (html.itch.zone/...), not "
                                   "of the store page.")));
    OOM_IF(wd_finding_add_fix(f, N_("Give the URL of the exported index.html."), NULL));
  }
  if (pr.config && wdn_ok_status(pr.page->pub.status)) OOM_IF(wdn_check_page(&pr, res));
  res->threads = pr.threads;
  /* the transfers into the result (moved) */
  res->assets = calloc(pr.f.n ? pr.f.n : 1, sizeof *res->assets);
  OOM_IF(!res->assets);
  for (uint32_t i = 0; i < pr.f.n; i++) {
    res->assets[i] = pr.f.v[i]->pub;
    memset(&pr.f.v[i]->pub, 0, sizeof pr.f.v[i]->pub);
  }
  res->nassets = pr.f.n;
  wd_findings_sort(out);
  goto done;
oom:
  s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
done:
  for (uint32_t i = 0; i < pr.f.n; i++) asset_free(&pr.f.v[i]->pub);
  wdn_fetcher_free(&pr.f);
  for (uint32_t i = 0; i < pr.nscripts; i++) free(pr.scripts[i].ref);
  free(pr.manifest);
  free(pr.page_url);
  free(pr.page_origin);
  free(pr.page_name);
  free(pr.executable);
  cJSON_Delete(pr.config);
  curl_global_cleanup();
  if (s || !res_out) wd_probe_result_free(res);
  else *res_out = res;
  return s;
}

/* ---- JSON ------------------------------------------------------------------------ */

static void add_str_or_null(cJSON *o, const char *k, const char *v) {
  if (v) cJSON_AddStringToObject(o, k, v);
  else cJSON_AddNullToObject(o, k);
}

cJSON *wd_probe_result_json(const wd_probe_result *r) {
  cJSON *o = wd_check_summary_json(&r->summary);
  if (!o) return NULL;
  cJSON_DeleteItemFromObjectCaseSensitive(o, "kind");
  cJSON_AddStringToObject(o, "kind", "url");
  cJSON_AddStringToObject(o, "url", r->url);
  add_str_or_null(o, "final_url", r->final_url);
  cJSON_AddBoolToObject(o, "secure_context", r->secure_context);
  cJSON_AddBoolToObject(o, "cross_origin_isolated", r->isolated);
  cJSON_AddBoolToObject(o, "service_worker_isolation", r->sw_isolation);
  cJSON *arr = cJSON_AddArrayToObject(o, "transfers");
  for (uint32_t i = 0; i < r->nassets; i++) {
    const wd_probe_asset *x = &r->assets[i];
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "kind", wd_asset_kind_key(x->kind));
    cJSON_AddStringToObject(t, "name", x->name ? x->name : "");
    cJSON_AddStringToObject(t, "url", x->url ? x->url : "");
    add_str_or_null(t, "final_url", x->final_url);
    cJSON_AddNumberToObject(t, "status", (double)x->status);
    cJSON_AddNumberToObject(t, "redirects", x->redirects);
    cJSON_AddBoolToObject(t, "cross_origin", x->cross_origin);
    cJSON_AddNumberToObject(t, "wire_bytes", (double)x->wire_bytes);
    cJSON_AddNumberToObject(t, "body_bytes", (double)x->body_bytes);
    cJSON_AddNumberToObject(t, "seconds", x->seconds);
    add_str_or_null(t, "error", x->error);
    cJSON *h = cJSON_AddObjectToObject(t, "headers");
    add_str_or_null(h, "content-type", x->content_type);
    add_str_or_null(h, "content-encoding", x->content_encoding);
    add_str_or_null(h, "content-length", x->content_length);
    add_str_or_null(h, "cache-control", x->cache_control);
    add_str_or_null(h, "etag", x->etag);
    add_str_or_null(h, "last-modified", x->last_modified);
    add_str_or_null(h, "cross-origin-opener-policy", x->coop);
    add_str_or_null(h, "cross-origin-embedder-policy", x->coep);
    add_str_or_null(h, "cross-origin-resource-policy", x->corp);
    add_str_or_null(h, "access-control-allow-origin", x->acao);
    cJSON_AddItemToArray(arr, t);
  }
  return o;
}
