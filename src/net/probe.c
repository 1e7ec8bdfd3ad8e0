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
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/limits.h"
#include "common/str.h"
#include "common/buf.h"
#include "common/i18n.h"
#include "net/net_int.h"
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
static char *origin_of(const char *url) {
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

static const char *find_ci(const char *hay, const char *end, const char *needle) {
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

static void scan_page(probe *pr, const char *html, size_t len) {
  const char *end = html + len;
  for (const char *p = html; (p = find_ci(p, end, "<script"));) {
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
  for (const char *p = html; (p = find_ci(p, end, "<link"));) {
    const char *gt = memchr(p, '>', (size_t)(end - p));
    if (!gt) break;
    char *rel = attr(p + 5, gt, "rel");
    if (rel && !strcasecmp(rel, "manifest") && !pr->manifest) pr->manifest = attr(p + 5, gt, "href");
    free(rel);
    p = gt;
  }
}

/* ---- small helpers ---------------------------------------------------------- */

/* The MIME type essence: lower case, without parameters. */
static void essence(const char *ct, char *buf, size_t n) {
  size_t k = 0;
  if (ct)
    for (const char *s = ct; *s && *s != ';' && k + 1 < n; s++)
      if (*s != ' ' && *s != '\t') buf[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
  buf[k] = '\0';
}

static bool is_js_mime(const char *e) {
  static const char *const js[] = {
    "text/javascript", "application/javascript", "application/x-javascript", "application/ecmascript",
    "application/x-ecmascript", "text/ecmascript", "text/x-ecmascript", "text/x-javascript", "text/jscript",
    "text/livescript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
    "text/javascript1.4", "text/javascript1.5",
  };
  for (size_t i = 0; i < sizeof js / sizeof *js; i++)
    if (!strcmp(e, js[i])) return true;
  return false;
}

static const char *cistr(const char *hay, const char *needle) {
  return find_ci(hay, hay + strlen(hay), needle);
}

static bool mem_has(const uint8_t *p, size_t n, const char *s) {
  size_t k = strlen(s);
  if (!k || n < k) return false;
  for (size_t i = 0; i + k <= n; i++)
    if (p[i] == (uint8_t)s[0] && !memcmp(p + i, s, k)) return true;
  return false;
}

/* The first token of a header value, lower case ("same-origin"). */
static void token(const char *v, char *buf, size_t n) {
  size_t k = 0;
  if (v) {
    while (*v == ' ' || *v == '"') v++;
    for (; *v && *v != ';' && *v != ',' && *v != ' ' && *v != '"' && k + 1 < n; v++)
      buf[k++] = (char)(*v >= 'A' && *v <= 'Z' ? *v + 32 : *v);
  }
  buf[k] = '\0';
}

static bool is_script_kind(wd_asset_kind k) {
  return k == WD_ASSET_SCRIPT || k == WD_ASSET_GLUE || k == WD_ASSET_WORKER || k == WD_ASSET_WORKLET ||
         k == WD_ASSET_SERVICE_WORKER;
}

static bool is_binary_kind(wd_asset_kind k) {
  return k == WD_ASSET_ENGINE || k == WD_ASSET_ENGINE_SIDE || k == WD_ASSET_EXTENSION || k == WD_ASSET_PCK;
}

static bool ok_status(long s) { return s >= 200 && s < 300; }

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

/* What a finished transfer adds: the glue names the worklets and the worker;
 * an engine built for dynamic linking loads index.side.wasm. */
static int on_done(probe *pr, wdn_asset *a) {
  if (!ok_status(a->pub.status) || !a->pub.body_ok || a->pub.error) return 0;
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

/* ---- findings ------------------------------------------------------------------- */

static wd_finding *add(probe *pr, wd_finding_id id, wd_severity sev, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static wd_finding *add(probe *pr, wd_finding_id id, wd_severity sev, const char *file, const char *fmt, ...) {
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return wd_findings_add_as(pr->out, id, sev, file, "%s", msg);
}

static const char *kind_text(wd_asset_kind k) {
  switch (k) {
  case WD_ASSET_PAGE: return _("the page");
  case WD_ASSET_SCRIPT: return _("a script of the page");
  case WD_ASSET_GLUE: return _("the engine's JavaScript");
  case WD_ASSET_ENGINE: return _("the engine");
  case WD_ASSET_ENGINE_SIDE: return _("the engine's side module");
  case WD_ASSET_EXTENSION: return _("a GDExtension");
  case WD_ASSET_PCK: return _("the project data");
  case WD_ASSET_WORKER: return _("the threads' worker script");
  case WD_ASSET_WORKLET: return _("an audio worklet");
  case WD_ASSET_SERVICE_WORKER: return _("the service worker");
  case WD_ASSET_MANIFEST: return _("the web app manifest");
  case WD_ASSET_OTHER: return _("a file GODOT_CONFIG.fileSizes lists");
  }
  return "";
}

static int check_transfer(probe *pr, const wdn_asset *a) {
  const wd_probe_asset *x = &a->pub;
  const char *n = x->name;
  wd_finding *f;
  /* a script of another site (analytics, a widget) may not be needed by the game */
  wd_severity sev = x->kind == WD_ASSET_SCRIPT && x->cross_origin ? WD_SEV_WARNING : WD_SEV_ERROR;
  if (x->error) {
    f = add(pr, WD408, sev, n, _("%s could not be downloaded: %s"), n, x->error);
    if (!f) return -1;
    if (wd_finding_explain(f, _("%s (%s) failed the way it would fail in a browser, which then stays on the "
                                "loading screen if the game needs it.%s%s"),
                           n, kind_text(x->kind), strcmp(n, x->url) ? _(" The URL was ") : "",
                           strcmp(n, x->url) ? x->url : "") ||
        wd_finding_add_fix(f, _("Check that the server is up and answers for this file; a file over the host's "
                                "size limit or a proxy that cuts long transfers also end this way."),
                           NULL))
      return -1;
    return 0;
  }
  if (!ok_status(x->status)) {
    f = add(pr, WD401, sev, n, _("the server answers %s with HTTP %ld"), n, x->status);
    if (!f) return -1;
    const char *why;
    if (x->status == 404)
      why = _("The file is not on the server under this name: it was not uploaded, its name differs in case "
              "(most servers are case-sensitive), or the page was exported with another name.");
    else if (x->status == 403 || x->status == 401)
      why = _("The server refuses the file: its permissions (the web server's user must be able to read it), "
              "a deny rule for the extension, or a login in front of the folder.");
    else if (x->status >= 500)
      why = _("The server failed: a broken .htaccess (a directive from a module that is not enabled) answers "
              "500 for every file of its folder; the server's error log names the cause.");
    else
      why = _("The browser gets no file from this answer.");
    if (wd_finding_explain(f, _("%s is %s (%s). %s"), n, kind_text(x->kind), x->final_url, why) ||
        wd_finding_add_fix(f, _("Upload the whole export folder again, keeping the names Godot gave the files, "
                                "and make the files readable by the web server."),
                           NULL))
      return -1;
    return 0;
  }
  const char *looks = wdn_sniff(a->body, a->body_len);
  if (!x->body_ok) {
    f = add(pr, WD406, WD_SEV_ERROR, n, _("%s is sent with Content-Encoding: %s, but %s"), n,
            x->content_encoding, a->decode_msg);
    if (!f) return -1;
    if (wd_finding_set_engine_message(f, "net::ERR_CONTENT_DECODING_FAILED") ||
        wd_finding_explain(f, _("The browser undoes Content-Encoding before anything sees the bytes; when they "
                                "are not in that encoding the request fails (Chrome: "
                                "ERR_CONTENT_DECODING_FAILED) and the engine stops loading. Typical causes: a "
                                "precompressed .gz/.br copy served with the wrong encoding, or a header rule that "
                                "labels every file as compressed.")) ||
        wd_finding_add_fix(f, _("Send Content-Encoding only for bytes compressed that way: `webdoctor headers "
                                "--host HOST` writes rules that do."),
                           NULL))
      return -1;
    return 0;
  }
  /* compressed bytes the browser will not undo */
  bool still_compressed = looks && (!strcmp(looks, "gzip") || !strcmp(looks, "zstd"));
  const char *brotli_inside = NULL;
  if (!looks && is_binary_kind(x->kind) && a->body_len) {
    uint8_t *tmp = NULL;
    size_t tl = 0;
    if (wdn_decode("br", a->body, a->body_len, pr->o->max_size, &tmp, &tl) == 0) {
      const char *inner = wdn_sniff(tmp, tl);
      if (inner && (!strcmp(inner, "WebAssembly") || !strcmp(inner, "Godot pack"))) brotli_inside = "br";
    }
    free(tmp);
  }
  if ((still_compressed || brotli_inside) && !wd_ends_with(n, ".gz") && !wd_ends_with(n, ".br") && !wd_ends_with(n, ".zst")) {
    const char *what = brotli_inside ? "brotli" : looks;
    f = x->content_encoding
            ? add(pr, WD406, WD_SEV_ERROR, n, _("%s is compressed twice: after Content-Encoding: %s it is still %s data"),
                  n, x->content_encoding, what)
            : add(pr, WD406, WD_SEV_ERROR, n, _("%s is %s data sent without Content-Encoding"), n, what);
    if (!f) return -1;
    if (wd_finding_explain(f, _("The browser hands the compressed bytes to the engine as they are: a .wasm fails "
                                "to compile (\"expected magic word 00 61 73 6d\"), a .pck or a script is garbage. "
                                "The server sends a compressed copy (index.wasm.gz, or a file compressed in "
                                "place) without saying so.")) ||
        wd_finding_add_fix(f, _("Upload the uncompressed file under its own name and let the server pick "
                                "precompressed copies with the right Content-Encoding (`webdoctor headers --host "
                                "HOST`); on S3, set Content-Encoding in the object's metadata."),
                           NULL))
      return -1;
    return 0;
  }
  char ct[128];
  essence(x->content_type, ct, sizeof ct);
  if (looks && !strcmp(looks, "HTML") && x->kind != WD_ASSET_PAGE && x->kind != WD_ASSET_MANIFEST &&
      x->kind != WD_ASSET_OTHER) {
    f = add(pr, WD405, WD_SEV_ERROR, n, _("the server answers %s with an HTML page (%s, HTTP %ld)"), n,
            ct[0] ? ct : _("no Content-Type"), x->status);
    if (!f) return -1;
    if (wd_finding_explain(f, _("In place of %s the server sends an HTML page with a success status: a "
                                "single-page-app fallback (every unknown path answers index.html), a login or "
                                "error page. A .wasm then fails with \"expected magic word 00 61 73 6d, found 3c "
                                "...\" and a script with a SyntaxError."),
                           kind_text(x->kind)) ||
        wd_finding_add_fix(f, _("Upload the file; turn off the catch-all rewrite for the export's folder (Netlify "
                                "/* /index.html 200, try_files ... /index.html)."),
                           NULL))
      return -1;
    return 0;
  }
  /* Content-Type */
  if (x->kind == WD_ASSET_PAGE && strcmp(ct, "text/html") != 0 && strcmp(ct, "application/xhtml+xml") != 0) {
    f = add(pr, WD405, WD_SEV_ERROR, n, _("the page is sent as %s, not text/html"), ct[0] ? ct : _("no type"));
    if (!f || wd_finding_explain(f, _("Browsers show a page of another type as text or download it; the game "
                                      "never starts.")) ||
        wd_finding_add_fix(f, _("Serve .html files as text/html (the server's MIME types)."), NULL))
      return -1;
  } else if (x->kind == WD_ASSET_ENGINE && strcmp(ct, "application/wasm") != 0) {
    f = add(pr, WD405, WD_SEV_WARNING, n, _("%s is sent as %s, not application/wasm"), n, ct[0] ? ct : _("no type"));
    if (!f) return -1;
    if (wd_finding_set_engine_message(f, "TypeError: Failed to execute 'compile' on 'WebAssembly': Incorrect "
                                         "response MIME type. Expected 'application/wasm'.") ||
        wd_finding_explain(f, _("WebAssembly.instantiateStreaming() accepts only application/wasm: with another "
                                "type the engine cannot compile while downloading (Godot's loader and "
                                "Emscripten fall back to a slower path, or fail in custom loaders).")) ||
        wd_finding_add_fix(f, _("Map .wasm to application/wasm: `webdoctor headers --host HOST`."), NULL))
      return -1;
  } else if (is_script_kind(x->kind) && !is_js_mime(ct)) {
    bool strict = x->kind != WD_ASSET_SCRIPT && x->kind != WD_ASSET_GLUE;
    bool nosniff = x->nosniff && !strncasecmp(x->nosniff, "nosniff", 7);
    bool blocked = strict || nosniff || !strncmp(ct, "image/", 6) || !strncmp(ct, "audio/", 6) ||
                   !strncmp(ct, "video/", 6) || !strcmp(ct, "text/csv");
    f = add(pr, WD405, blocked ? WD_SEV_ERROR : WD_SEV_WARNING, n, _("%s is sent as %s, not as JavaScript"), n,
            ct[0] ? ct : _("no type"));
    if (!f) return -1;
    char em[600];
    snprintf(em, sizeof em,
             "Refused to execute script from '%s' because its MIME type ('%s') is not executable, and strict MIME "
             "type checking is enabled.",
             x->final_url, ct);
    if ((blocked && wd_finding_set_engine_message(f, em)) ||
        wd_finding_explain(f, blocked ? _("Browsers refuse to run %s when it is not sent with a JavaScript type "
                                          "(workers, worklets, service workers and modules always check; other "
                                          "scripts check under X-Content-Type-Options: nosniff).")
                                      : _("Browsers still run %s, but refuse it as soon as the server adds "
                                          "X-Content-Type-Options: nosniff."),
                           kind_text(x->kind)) ||
        wd_finding_add_fix(f, _("Serve .js files as text/javascript (the server's MIME types)."), NULL))
      return -1;
  }
  /* uncompressed large files */
  if ((x->kind == WD_ASSET_ENGINE || x->kind == WD_ASSET_PCK || x->kind == WD_ASSET_EXTENSION ||
       x->kind == WD_ASSET_ENGINE_SIDE) &&
      !x->content_encoding && a->body_len >= WD_UNCOMPRESSED_NOTE_SIZE) {
    char h[32];
    f = add(pr, WD409, WD_SEV_INFO, n, _("%s (%s) is sent uncompressed"), n, wd_format_size(a->body_len, h, sizeof h));
    if (!f || wd_finding_explain(f, _("The server did not compress it although the request accepted gzip, br "
                                      "and zstd; an engine .wasm shrinks to about a quarter with brotli.")) ||
        wd_finding_add_fix(f, _("Let the server compress (on the fly or precompressed copies): `webdoctor "
                                "headers --host HOST`."),
                           NULL))
      return -1;
  }
  return 0;
}

static const char *const coi_missing =
    "Cross-Origin Isolation - Check that the web server configuration sends the correct headers.\n"
    "SharedArrayBuffer - Check that the web server configuration sends the correct headers.";

static bool coep_isolating(const char *v) {
  char t[64];
  token(v, t, sizeof t);
  return !strcmp(t, "require-corp") || !strcmp(t, "credentialless");
}

static int check_page(probe *pr, wd_probe_result *res) {
  const wdn_asset *page = pr->page;
  const char *n = pr->page_name;
  wd_finding *f;
  /* secure context */
  if (!res->secure_context) {
    CURLU *u = curl_url();
    char *host = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, pr->page_url, 0) == CURLUE_OK)
      curl_url_get(u, CURLUPART_HOST, &host, 0);
    f = add(pr, WD404, WD_SEV_ERROR, n, _("the page is served over http:// from %s: not a secure context"),
            host ? host : "?");
    curl_free(host);
    curl_url_cleanup(u);
    if (!f) return -1;
    if (wd_finding_set_engine_message(f, "Secure Context - Check web server configuration (use HTTPS)") ||
        wd_finding_explain(f, _("Godot's page refuses to start outside a secure context, and browsers give "
                                "SharedArrayBuffer, service workers and audio worklets only to secure "
                                "contexts: https://, or http:// on localhost / 127.0.0.1 only.")) ||
        wd_finding_add_fix(f, _("Serve the page over HTTPS (Let's Encrypt, or a host that does it for you)."),
                           NULL))
      return -1;
  }
  /* cross-origin isolation */
  char coop[64];
  token(page->pub.coop, coop, sizeof coop);
  bool coop_ok = !strcmp(coop, "same-origin");
  bool coep_ok = coep_isolating(page->pub.coep);
  res->isolated = coop_ok && coep_ok && res->secure_context;
  const wdn_asset *sw = NULL;
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wdn_asset *a = pr->f.v[i];
    bool shim = a->pub.kind == WD_ASSET_SCRIPT && strstr(a->pub.name, WD_COI_SW_NAME);
    bool pwa = a->pub.kind == WD_ASSET_SERVICE_WORKER &&
               cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(pr->config, "ensureCrossOriginIsolationHeaders"));
    if ((shim || pwa) && ok_status(a->pub.status) && !a->pub.error) sw = a;
  }
  res->sw_isolation = sw != NULL && !res->isolated;
  if (pr->threads == 1 && !res->isolated) {
    char missing[256] = "";
    if (!coop_ok)
      snprintf(missing, sizeof missing, page->pub.coop ? _("Cross-Origin-Opener-Policy is '%s', not same-origin")
                                                       : _("no Cross-Origin-Opener-Policy%s"),
               page->pub.coop ? page->pub.coop : "");
    if (!coep_ok) {
      size_t k = strlen(missing);
      snprintf(missing + k, sizeof missing - k,
               page->pub.coep ? _("%sCross-Origin-Embedder-Policy is '%s', not require-corp")
                              : _("%sno Cross-Origin-Embedder-Policy%s"),
               k ? "; " : "", page->pub.coep ? page->pub.coep : "");
    }
    if (sw) {
      f = add(pr, WD402, WD_SEV_INFO, n,
              _("threaded export: %s makes the page cross-origin isolated after one reload (the page itself has %s)"),
              sw->pub.name, missing[0] ? missing : _("no isolation"));
      if (!f || wd_finding_explain(f, _("The service worker adds Cross-Origin-Opener-Policy and "
                                        "Cross-Origin-Embedder-Policy to the responses it passes, so the page "
                                        "works after it reloads itself once. Browsers without service workers "
                                        "(Firefox private windows) never get threads; headers from the server "
                                        "avoid both.")))
        return -1;
    } else {
      f = add(pr, WD402, WD_SEV_ERROR, n, _("threaded export, but the page is not cross-origin isolated: %s"),
              missing[0] ? missing : _("not a secure context"));
      if (!f) return -1;
      if (wd_finding_set_engine_message(f, coi_missing) ||
          wd_finding_explain(f, _("The engine's memory is shared (built with threads), which needs "
                                  "SharedArrayBuffer, which browsers give only to pages sent with "
                                  "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: "
                                  "require-corp (over HTTPS or on localhost). Godot's page then stops with "
                                  "\"The following features required to run Godot projects on the Web are "
                                  "missing\".")) ||
          wd_finding_add_fix(f, _("Send the two headers: `webdoctor headers --host HOST --dir EXPORT` writes the "
                                  "configuration for your server or host."),
                             _("keeps threads; isolation blocks cross-origin ads and embeds")) ||
          wd_finding_add_fix(f, _("On a host that cannot send headers (GitHub Pages, GitLab Pages): `webdoctor "
                                  "headers --host github-pages --dir EXPORT --write` installs a service worker "
                                  "that adds them."),
                             _("one reload on the first visit")) ||
          wd_finding_add_fix(f, _("Or export without threads (Web preset > Variant > Thread Support off, with "
                                  "nothreads builds of every GDExtension)."),
                             _("no headers needed anywhere; no threads")))
        return -1;
    }
  }
  /* what an isolated page blocks */
  bool require_corp = res->isolated || sw;
  bool have_worker = false;
  for (uint32_t i = 0; i < pr->f.n; i++) have_worker |= pr->f.v[i]->pub.kind == WD_ASSET_WORKER;
  char coep_page[64];
  token(page->pub.coep, coep_page, sizeof coep_page);
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wdn_asset *a = pr->f.v[i];
    const wd_probe_asset *x = &a->pub;
    if (x->kind == WD_ASSET_PAGE || !ok_status(x->status) || x->error) continue;
    char corp[64];
    token(x->corp, corp, sizeof corp);
    if (x->cross_origin) {
      if (x->kind == WD_ASSET_WORKER || x->kind == WD_ASSET_WORKLET || x->kind == WD_ASSET_SERVICE_WORKER) {
        f = add(pr, WD403, WD_SEV_ERROR, x->name, _("%s is on another origin (%s): browsers load it only from "
                                                       "the page's origin"),
                x->name, x->final_url);
        if (!f || wd_finding_explain(f, _("Workers, worklets and service workers must come from the page's own "
                                          "origin.")) ||
            wd_finding_add_fix(f, _("Serve every file of the export from the page's origin."), NULL))
          return -1;
        continue;
      }
      bool script = x->kind == WD_ASSET_SCRIPT || x->kind == WD_ASSET_GLUE;
      bool crossorigin_attr = false;
      for (uint32_t k = 0; k < pr->nscripts; k++)
        if (!strcmp(pr->scripts[k].ref, x->name)) crossorigin_attr = pr->scripts[k].crossorigin;
      char *acao_origin = x->acao && strcmp(x->acao, "*") ? origin_of(x->acao) : NULL;
      bool cors = x->acao && (!strcmp(x->acao, "*") || (acao_origin && !strcmp(acao_origin, pr->page_origin)));
      free(acao_origin);
      /* classic scripts need CORP only under COEP; what is fetch()ed needs CORS always */
      bool ok = script && !crossorigin_attr
                    ? !require_corp || !strcmp(corp, "cross-origin") || !strcmp(coep_page, "credentialless")
                    : cors;
      if (!ok) {
        f = add(pr, WD403, WD_SEV_ERROR, x->name,
                script && !crossorigin_attr
                    ? _("%s comes from another origin without Cross-Origin-Resource-Policy: the isolated page blocks it")
                    : _("%s comes from another origin without CORS (Access-Control-Allow-Origin): the page cannot "
                        "fetch it"),
                x->name);
        bool corp_case = script && !crossorigin_attr;
        if (!f ||
            (corp_case ? wd_finding_explain(f, _("%s is at %s. Under Cross-Origin-Embedder-Policy: require-corp a "
                                                 "script of another origin runs only if it opts in with "
                                                 "Cross-Origin-Resource-Policy: cross-origin."),
                                            x->name, x->final_url)
                       : wd_finding_explain(f, _("%s is at %s. The engine reads it with fetch(), and a page may "
                                                 "read a file of another origin only when that origin sends "
                                                 "Access-Control-Allow-Origin (CORS): the browser reports \"blocked "
                                                 "by CORS policy\" and the loading stops."),
                                            x->name, x->final_url)) ||
            wd_finding_add_fix(f, _("Have the other origin send Access-Control-Allow-Origin (and "
                                    "Cross-Origin-Resource-Policy: cross-origin), or serve the file from the "
                                    "page's origin."),
                               NULL))
          return -1;
      }
    } else if (res->isolated && pr->threads == 1 &&
               (x->kind == WD_ASSET_WORKER ||
                (x->kind == WD_ASSET_GLUE && !have_worker)) &&
               !coep_isolating(x->coep)) {
      f = add(pr, WD403, WD_SEV_ERROR, x->name,
              _("%s starts the threads' workers, but is sent without Cross-Origin-Embedder-Policy"), x->name);
      if (!f || wd_finding_explain(f, _("A dedicated worker of a page with Cross-Origin-Embedder-Policy: "
                                        "require-corp must be served with it too, or the browser refuses to "
                                        "start it and threads never run. Headers set for the page alone (a "
                                        "location for .html) miss the worker script.")) ||
          wd_finding_add_fix(f, _("Send COOP/COEP on every file of the export, not only the page: `webdoctor "
                                  "headers --host HOST`."),
                             NULL))
        return -1;
    }
  }
  /* long-lived caching of names that do not change between exports */
  {
    char files[512] = "", cc_seen[256] = "";
    uint32_t nl = 0;
    size_t fl = 0;
    long longest = 0;
    const char *first = NULL;
    for (uint32_t i = 0; i < pr->f.n; i++) {
      const wd_probe_asset *x = &pr->f.v[i]->pub;
      if (!ok_status(x->status) || x->error || !x->cache_control) continue;
      const char *cc = x->cache_control;
      const char *ma = cistr(cc, "max-age=");
      long max_age = ma ? strtol(ma + 8, NULL, 10) : -1;
      bool immutable = cistr(cc, "immutable") != NULL;
      if (cistr(cc, "no-cache") || cistr(cc, "no-store") || !(immutable || max_age > 86400)) continue;
      if (!nl) {
        first = x->name;
        snprintf(cc_seen, sizeof cc_seen, "%s", cc);
      }
      if (nl < 6) {
        int k = snprintf(files + fl, sizeof files - fl, "%s%s", nl ? ", " : "", x->name);
        if (k > 0) fl += (size_t)k < sizeof files - fl ? (size_t)k : sizeof files - fl - 1;
      }
      if (max_age > longest) longest = max_age;
      nl++;
    }
    if (nl) {
      char dur[64];
      if (longest > 86400) snprintf(dur, sizeof dur, _("%ld days"), longest / 86400);
      else snprintf(dur, sizeof dur, "%s", _("ever (immutable)"));
      f = nl == 1 ? add(pr, WD407, WD_SEV_WARNING, first,
                        _("%s may be reused from the cache for %s without asking the server"), first, dur)
                  : add(pr, WD407, WD_SEV_WARNING, NULL,
                        _("%u files may be reused from the cache for %s without asking the server (%s%s)"), nl, dur,
                        files, nl > 6 ? ", ..." : "");
      if (!f || wd_finding_explain(f, _("Cache-Control: %s. Godot gives its files the same names in every "
                                        "export, so after an update players keep old files next to new ones: an "
                                        "old index.wasm with a new .pck or extension fails to load or to link."),
                                   cc_seen) ||
          wd_finding_add_fix(f, _("Send Cache-Control: no-cache (revalidate on every load; unchanged files cost "
                                  "a 304): `webdoctor headers --host HOST`."),
                             _("long caching is safe only for names that change with the content")))
        return -1;
    }
  }
  /* heuristic caching: Last-Modified without Cache-Control or Expires */
  char list[512] = "";
  uint32_t nh = 0;
  size_t len = 0;
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wd_probe_asset *x = &pr->f.v[i]->pub;
    if (!ok_status(x->status) || x->error || x->cache_control || x->expires || !x->last_modified) continue;
    if (nh < 6) {
      int k = snprintf(list + len, sizeof list - len, "%s%s", nh ? ", " : "", x->name);
      if (k > 0) len += (size_t)k < sizeof list - len ? (size_t)k : sizeof list - len - 1;
    }
    nh++;
  }
  if (nh) {
    f = add(pr, WD407, WD_SEV_INFO, NULL, P_("%u file is sent without Cache-Control (%s%s): browsers guess how long to reuse it",
               "%u files are sent without Cache-Control (%s%s): browsers guess how long to reuse them", nh),
            nh, list, nh > 6 ? ", ..." : "");
    if (!f || wd_finding_explain(f, _("With Last-Modified and no Cache-Control, browsers reuse a file without "
                                      "asking for about a tenth of its age: a file uploaded a month ago stays "
                                      "three days after the next update, mixing builds.")) ||
        wd_finding_add_fix(f, _("Send Cache-Control: no-cache: `webdoctor headers --host HOST`."), NULL))
      return -1;
  }
  return 0;
}

/* ---- the check of the received files -------------------------------------------- */

static bool plain_name(const char *n) {
  return n[0] && n[0] != '.' && !strchr(n, '/') && !strchr(n, '\\') && strlen(n) < 200;
}

/* Probe found the bytes unusable (compressed, an HTML page): check would
 * only see the consequence (WD100, WD202), so they are left out of it. */
static bool bytes_wrong(const probe *pr, const char *name) {
  for (uint32_t i = 0; i < pr->out->n; i++) {
    const wd_finding *f = &pr->out->v[i];
    if (f->file && !strcmp(f->file, name) && f->severity == WD_SEV_ERROR &&
        (f->code == WD405 || f->code == WD406))
      return true;
  }
  return false;
}

/* The bytes as received, in memory, through the same checks as `check`;
 * what this probe measured itself (isolation, limits, files it requested)
 * is left to its own findings (wd_check_options.served). */
static wd_status check_received(probe *pr, wd_probe_result *res, const wd_probe_options *o, wd_error *err) {
  wd_source_file *files = calloc(pr->f.n + 1, sizeof *files);
  const char **requested = calloc(pr->f.n + 1, sizeof *requested);
  wd_source *src = NULL;
  wd_findings got = WD_FINDINGS_INIT;
  wd_status s = WD_OK;
  if (!files || !requested) {
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
    goto done;
  }
  uint32_t nf = 0;
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wdn_asset *a = pr->f.v[i];
    const char *n = a->pub.kind == WD_ASSET_PAGE ? pr->page_name : a->pub.name;
    requested[i] = a->pub.name;
    if (!ok_status(a->pub.status) || a->pub.error || !a->pub.body_ok || !plain_name(n) || bytes_wrong(pr, n))
      continue;
    uint32_t k = 0;
    while (k < nf && strcmp(files[k].path, n) != 0) k++; /* the last response under a name wins */
    files[k] = (wd_source_file){n, a->body, a->body_len};
    if (k == nf) nf++;
  }
  if ((s = wd_source_open_memory(pr->page_url, files, nf, &src, err))) goto done;
  wd_check_options co = {.host = WD_HOST_UNKNOWN, .no_code = o->no_code, .served = true,
                         .measured = requested, .nmeasured = pr->f.n};
  wd_error cerr;
  wd_error_clear(&cerr);
  if ((s = wd_check_export_source(src, &co, &got, &res->summary, &cerr))) {
    *err = cerr;
    goto done;
  }
  if (wd_findings_move(pr->out, &got)) {
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
    goto done;
  }
  if (res->summary.threads >= 0) pr->threads = res->summary.threads;
done:
  wd_findings_free(&got);
  wd_source_free(src);
  free(files);
  free(requested);
  return s;
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
  if (!u) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  char *scheme = NULL;
  CURLUcode rc = curl_url_set(u, CURLUPART_URL, url, 0);
  wd_status s = WD_OK;
  if (rc != CURLUE_OK) {
    if (!strstr(url, "://"))
      s = wd_error_set(err, WD_ERR_USAGE, _("'%s' is not a URL: give it with its scheme, e.g. http://%s"), url, url);
    else
      s = wd_error_set(err, WD_ERR_USAGE, _("'%s' is not a valid URL: %s"), url, curl_url_strerror(rc));
  } else if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
             (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0)) {
    s = wd_error_set(err, WD_ERR_USAGE, _("'%s' is not an http:// or https:// URL"), url);
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
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return wd_error_set(err, WD_ERR_NETWORK, "%s", _("cannot initialise libcurl"));
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
    s = wd_error_set(err, WD_ERR_NETWORK, _("cannot fetch the page: %s"),
                     a && a->pub.error ? a->pub.error : _("no response"));
    goto done;
  }
  OOM_IF(!(pr.page_url = wd_strdup(pr.page->pub.final_url)) || !(pr.page_origin = origin_of(pr.page_url)) ||
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
  if (ok_status(pr.page->pub.status) && pr.page->pub.body_ok && !pr.page->pub.error) {
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
    while ((a = wdn_fetch_next(&pr.f))) OOM_IF(on_done(&pr, a));
  }
  for (uint32_t i = 0; i < pr.f.n; i++) {
    wdn_asset *x = pr.f.v[i];
    char *o = x->pub.final_url ? origin_of(x->pub.final_url) : NULL;
    x->pub.cross_origin = o && strcmp(o, pr.page_origin) != 0;
    free(o);
  }
  /* findings: every transfer, then the files, then the page as a whole */
  for (uint32_t i = 0; i < pr.f.n; i++) OOM_IF(check_transfer(&pr, pr.f.v[i]));
  if (pr.config) {
    if ((s = check_received(&pr, res, opts, err))) goto done;
  } else if (ok_status(pr.page->pub.status) && !pr.page->pub.error) {
    wd_finding *f = add(&pr, WD212, WD_SEV_ERROR, pr.page_name,
                        _("%s has no GODOT_CONFIG: it is not a Godot web export's page"), pr.page_url);
    OOM_IF(!f);
    OOM_IF(wd_finding_explain(f, _("A Godot web export's page (index.html) holds GODOT_CONFIG in a script, "
                                   "which names the engine and the files it loads. On itch.io and similar "
                                   "sites, probe the address of the game's frame (html.itch.zone/...), not "
                                   "of the store page.")));
    OOM_IF(wd_finding_add_fix(f, _("Give the URL of the exported index.html."), NULL));
  }
  if (pr.config && ok_status(pr.page->pub.status)) OOM_IF(check_page(&pr, res));
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
  s = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
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
