/*
 * The prober's transfers: libcurl's multi interface, several transfers at
 * once, each with a timeout, a redirect limit and a size limit. Bytes are
 * kept as received: curl is not asked to decode (no CURLOPT_ACCEPT_ENCODING)
 * so that Content-Encoding can be checked against the bytes; the request
 * says what a browser says (Accept-Encoding: gzip, deflate, br, zstd).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/decode.h"
#include "common/buf.h"
#include "common/i18n.h"
#include "common/str.h"
#include "net/net_int.h"
#include "wd_config.h"

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- decoding ------------------------------------------------------------ */

typedef struct grow_state {
  wd_buf *b;
  uint64_t limit;
} grow_state;

/* The sink: collect up to the limit (3: over the limit). */
static int grow(void *ctx, const uint8_t *p, size_t n) {
  grow_state *g = ctx;
  if ((uint64_t)g->b->len + n > g->limit) return 3;
  return wd_buf_append(g->b, p, n) ? WD_DECODE_NOMEM : 0;
}

int wdn_decode(const char *coding, const uint8_t *in, size_t n, uint64_t limit, uint8_t **out, size_t *out_len) {
  wd_buf b = WD_BUF_INIT;
  int r;
  grow_state g = {&b, limit};
  if (!strcasecmp(coding, "gzip") || !strcasecmp(coding, "x-gzip")) {
    r = wd_decode(WD_CODING_GZIP, in, n, grow, &g);
  } else if (!strcasecmp(coding, "deflate")) {
    /* a zlib stream as the RFC says, or raw deflate as some servers send */
    r = wd_decode(WD_CODING_ZLIB, in, n, grow, &g);
    if (r == WD_DECODE_CORRUPT) {
      wd_buf_reset(&b);
      r = wd_decode(WD_CODING_DEFLATE, in, n, grow, &g);
    }
  } else if (!strcasecmp(coding, "br")) {
    r = wd_decode(WD_CODING_BROTLI, in, n, grow, &g);
  } else if (!strcasecmp(coding, "zstd")) {
    r = wd_decode(WD_CODING_ZSTD, in, n, grow, &g);
  } else {
    r = 2;
  }
  if (r) {
    wd_buf_release(&b);
    return r;
  }
  *out = (uint8_t *)wd_buf_detach(&b, out_len);
  return *out ? 0 : -1;
}

const char *wdn_sniff(const uint8_t *p, size_t n) {
  if (n >= 4 && !memcmp(p, "\0asm", 4)) return "WebAssembly";
  if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return "gzip";
  if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4)) return "zstd";
  if (n >= 4 && !memcmp(p, "GDPC", 4)) return "Godot pack";
  size_t i = 0;
  if (n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) i = 3;
  while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
  if (i < n && p[i] == '<') return "HTML";
  return NULL;
}

/* ---- transfers ----------------------------------------------------------- */

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *user) {
  wdn_asset *a = user;
  size_t n = size * nmemb;
  if (wd_buf_append(&a->raw, ptr, n)) {
    a->too_big = a->raw.limit && a->raw.len + n > a->raw.limit;
    return 0; /* stops the transfer: CURLE_WRITE_ERROR */
  }
  return n;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
  (void)ultotal;
  (void)ulnow;
  wdn_asset *a = user;
  a->dltotal = dltotal;
  a->dlnow = dlnow;
  return 0;
}

wd_status wdn_fetcher_init(wdn_fetcher *f, const wd_probe_options *o, wd_error *err) {
  memset(f, 0, sizeof *f);
  f->o = o;
  if (!(f->multi = curl_multi_init())) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)(o->max_parallel ? o->max_parallel : 6));
  curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)(o->max_parallel ? o->max_parallel : 6));
  f->headers = curl_slist_append(NULL, "Accept-Encoding: gzip, deflate, br, zstd");
  if (!f->headers) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  for (uint32_t i = 0; i < o->nresolve; i++) {
    struct curl_slist *s = curl_slist_append(f->resolve, o->resolve[i]);
    if (!s) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    f->resolve = s;
  }
  f->last_progress_ms = 0;
  return WD_OK;
}

void wdn_fetcher_free(wdn_fetcher *f) {
  for (uint32_t i = 0; i < f->n; i++) {
    wdn_asset *a = f->v[i];
    if (a->easy) {
      curl_multi_remove_handle(f->multi, a->easy);
      curl_easy_cleanup(a->easy);
    }
    wd_buf_release(&a->raw);
    free(a->body_owned);
    /* the public strings are moved into the result, or freed by it */
    free(a);
  }
  free(f->v);
  if (f->multi) curl_multi_cleanup(f->multi);
  curl_slist_free_all(f->headers);
  curl_slist_free_all(f->resolve);
  memset(f, 0, sizeof *f);
}

wdn_asset *wdn_fetch_find(wdn_fetcher *f, const char *name) {
  for (uint32_t i = 0; i < f->n; i++)
    if (!strcmp(f->v[i]->pub.name, name)) return f->v[i];
  return NULL;
}

wdn_asset *wdn_fetch_add(wdn_fetcher *f, wd_asset_kind kind, const char *name, const char *url, uint64_t expected,
                         bool *added) {
  if (added) *added = false;
  for (uint32_t i = 0; i < f->n; i++)
    if (!strcmp(f->v[i]->pub.url, url)) return f->v[i];
  if (f->n == f->cap) {
    uint32_t cap = f->cap ? f->cap * 2 : 16;
    wdn_asset **v = realloc(f->v, cap * sizeof *v);
    if (!v) return NULL;
    f->v = v;
    f->cap = cap;
  }
  wdn_asset *a = calloc(1, sizeof *a);
  if (!a) return NULL;
  a->raw = (wd_buf)WD_BUF_INIT;
  a->raw.limit = (size_t)f->o->max_size;
  a->pub.kind = kind;
  a->expected = expected;
  a->pub.name = wd_strdup(name);
  a->pub.url = wd_strdup(url);
  a->easy = curl_easy_init();
  if (!a->pub.name || !a->pub.url || !a->easy) goto fail;
  CURL *e = a->easy;
  curl_easy_setopt(e, CURLOPT_URL, url);
  curl_easy_setopt(e, CURLOPT_PRIVATE, a);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, a);
  curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(e, CURLOPT_XFERINFODATA, a);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, a->errbuf);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS, f->o->max_redirects);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->o->timeout_ms);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->o->connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->o->max_size);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->headers);
  curl_easy_setopt(e, CURLOPT_USERAGENT, "webdoctor/" WD_VERSION_STRING " (probe)");
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  if (f->resolve) curl_easy_setopt(e, CURLOPT_RESOLVE, f->resolve);
  if (f->o->insecure) {
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (f->o->cacert) curl_easy_setopt(e, CURLOPT_CAINFO, f->o->cacert);
  if (curl_multi_add_handle(f->multi, e) != CURLM_OK) goto fail;
  f->v[f->n++] = a;
  f->active++;
  if (added) *added = true;
  return a;
fail:
  if (a->easy) curl_easy_cleanup(a->easy);
  free(a->pub.name);
  free(a->pub.url);
  free(a);
  return NULL;
}

/* A header of the last response (after redirects); repeated lines joined
 * with ", " as HTTP allows. */
static char *header(CURL *e, const char *name) {
  struct curl_header *h;
  if (curl_easy_header(e, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK) return NULL;
  size_t amount = h->amount;
  wd_buf b = WD_BUF_INIT;
  int rc = wd_buf_puts(&b, h->value);
  for (size_t i = 1; i < amount && !rc; i++) {
    if (curl_easy_header(e, name, i, CURLH_HEADER, -1, &h) != CURLHE_OK) break;
    rc = wd_buf_printf(&b, ", %s", h->value);
  }
  if (rc) {
    wd_buf_release(&b);
    return NULL;
  }
  return wd_buf_detach(&b, NULL);
}

/* fmt in English into en and in the active language into loc: a finding
 * that quotes the text renders it in either language. */
static void say2(char *en, size_t en_size, char *loc, size_t loc_size, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void say2(char *en, size_t en_size, char *loc, size_t loc_size, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  vsnprintf(en, en_size, fmt, ap);
  vsnprintf(loc, loc_size, _(fmt), aq);
  va_end(aq);
  va_end(ap);
}

static void transfer_error(wdn_asset *a, const wdn_fetcher *f, CURLcode rc) {
  char msg[600], lim[WD_SIZE_STR_MAX];
  char *en = a->error_en;
  size_t enz = sizeof a->error_en;
  switch (rc) {
  case CURLE_OPERATION_TIMEDOUT:
    say2(en, enz, msg, sizeof msg, N_("timed out after %ld s (%s)"), f->o->timeout_ms / 1000,
         a->errbuf[0] ? a->errbuf : curl_easy_strerror(rc));
    break;
  case CURLE_TOO_MANY_REDIRECTS:
    say2(en, enz, msg, sizeof msg, N_("more than %ld redirects"), f->o->max_redirects);
    break;
  case CURLE_WRITE_ERROR:
    if (!a->too_big) goto other;
    /* fall through */
  case CURLE_FILESIZE_EXCEEDED:
    say2(en, enz, msg, sizeof msg, N_("larger than the size limit (%s; --max-size)"),
         wd_format_size(f->o->max_size, lim, sizeof lim));
    break;
  default:
  other:
    /* libcurl's own text, in English in every language */
    snprintf(msg, sizeof msg, "%s", a->errbuf[0] ? a->errbuf : curl_easy_strerror(rc));
    snprintf(en, enz, "%s", msg);
  }
  a->pub.error = wd_strdup(msg);
}

static void finish(wdn_fetcher *f, wdn_asset *a, CURLcode rc) {
  CURL *e = a->easy;
  a->done = true;
  a->curl_code = rc;
  long status = 0, redirects = 0;
  char *eff = NULL;
  double secs = 0;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
  curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &eff);
  curl_easy_getinfo(e, CURLINFO_TOTAL_TIME, &secs);
  a->pub.status = status;
  a->pub.redirects = (uint32_t)redirects;
  a->pub.final_url = wd_strdup(eff ? eff : a->pub.url);
  a->pub.seconds = secs;
  a->pub.wire_bytes = a->raw.len;
  if (status) {
    a->pub.content_type = header(e, "Content-Type");
    a->pub.content_encoding = header(e, "Content-Encoding");
    a->pub.content_length = header(e, "Content-Length");
    a->pub.cache_control = header(e, "Cache-Control");
    a->pub.expires = header(e, "Expires");
    a->pub.etag = header(e, "ETag");
    a->pub.last_modified = header(e, "Last-Modified");
    a->pub.coop = header(e, "Cross-Origin-Opener-Policy");
    a->pub.coep = header(e, "Cross-Origin-Embedder-Policy");
    a->pub.corp = header(e, "Cross-Origin-Resource-Policy");
    a->pub.acao = header(e, "Access-Control-Allow-Origin");
    a->pub.nosniff = header(e, "X-Content-Type-Options");
    a->pub.vary = header(e, "Vary");
  }
  if (rc != CURLE_OK) transfer_error(a, f, rc);
  curl_multi_remove_handle(f->multi, e);
  curl_easy_cleanup(e);
  a->easy = NULL;
  f->active--;
  f->ndone++;

  /* undo Content-Encoding, last applied first */
  a->body = (const uint8_t *)a->raw.data;
  a->body_len = a->raw.len;
  a->pub.body_ok = true;
  const char *ce = a->pub.content_encoding;
  if (ce && rc == CURLE_OK) {
    char codings[8][32];
    int nc = 0;
    for (const char *s = ce; *s && nc < 8;) {
      while (*s == ' ' || *s == ',') s++;
      size_t k = 0;
      while (s[k] && s[k] != ',' && s[k] != ' ') k++;
      if (k && k < 32) {
        memcpy(codings[nc], s, k);
        codings[nc][k] = '\0';
        if (strcasecmp(codings[nc], "identity")) nc++;
      }
      s += k;
    }
    for (int i = nc - 1; i >= 0; i--) {
      uint8_t *out = NULL;
      size_t olen = 0;
      int d = wdn_decode(codings[i], a->body, a->body_len, f->o->max_size, &out, &olen);
      if (d) {
        a->pub.body_ok = false;
        const char *looks = wdn_sniff(a->body, a->body_len);
        char *en = a->decode_msg_en, *loc = a->decode_msg;
        size_t enz = sizeof a->decode_msg_en, locz = sizeof a->decode_msg;
        if (d == 2)
          say2(en, enz, loc, locz, N_("browsers do not know the encoding '%s'"), codings[i]);
        else if (d == 3)
          say2(en, enz, loc, locz, N_("larger than the size limit once decoded"));
        else if (d < 0)
          say2(en, enz, loc, locz, N_("out of memory"));
        else if (looks)
          say2(en, enz, loc, locz, N_("the bytes are not %s data: they are %s"), codings[i], looks);
        else
          say2(en, enz, loc, locz, N_("the bytes are not valid %s data"), codings[i]);
        break;
      }
      free(a->body_owned);
      a->body_owned = out;
      a->body = out;
      a->body_len = olen;
    }
  }
  a->pub.body_bytes = a->pub.body_ok ? a->body_len : 0;
}

static void report_progress(wdn_fetcher *f, bool force) {
  if (!f->o->progress) return;
  long t = now_ms();
  if (!force && t - f->last_progress_ms < 100) return;
  f->last_progress_ms = t;
  wd_probe_progress p = {0, 0, f->ndone, f->n};
  for (uint32_t i = 0; i < f->n; i++) {
    const wdn_asset *a = f->v[i];
    uint64_t now = a->done ? a->raw.len : (uint64_t)(a->dlnow > 0 ? a->dlnow : 0);
    uint64_t total = a->dltotal > 0 ? (uint64_t)a->dltotal : a->done ? a->raw.len : a->expected;
    p.done += now;
    p.total += total > now ? total : now;
  }
  f->o->progress(f->o->progress_user, &p);
}

wdn_asset *wdn_fetch_next(wdn_fetcher *f) {
  for (;;) {
    int left = 0;
    CURLMsg *m;
    while ((m = curl_multi_info_read(f->multi, &left))) {
      if (m->msg != CURLMSG_DONE) continue;
      wdn_asset *a = NULL;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&a);
      CURLcode rc = m->data.result;
      finish(f, a, rc);
      report_progress(f, true);
      return a;
    }
    if (!f->active) return NULL;
    int running = 0;
    if (curl_multi_perform(f->multi, &running) != CURLM_OK) return NULL;
    report_progress(f, false);
    if (running) curl_multi_poll(f->multi, NULL, 0, 100, NULL);
  }
}
