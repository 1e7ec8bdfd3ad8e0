/*
 * The server: libmicrohttpd (epoll, a thread pool, sendfile) does HTTP; this
 * file maps requests to files beneath the root and builds the responses.
 *
 * Speed: every file's full response (headers and all) is built once and
 * kept, keyed by the path and checked against the file's identity (device,
 * inode, size, mtime, ctime) with one fstatat() per request. Small files
 * are kept in memory; large ones as an open descriptor that libmicrohttpd
 * sends with sendfile(). Responses are reference-counted by libmicrohttpd,
 * so one kept response serves every connection at once, and dropping it
 * from the cache never pulls it from under a connection still sending it.
 */
#include "common/buf.h"
#include "common/i18n.h"
#include "serve/serve_int.h"

/* ---- small helpers ---------------------------------------------------- */

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/* Parse an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); -1 otherwise. */
static time_t parse_http_date(const char *s) {
  static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  char mon[4];
  int day, year, h, m, sec;
  char gmt[4];
  if (strlen(s) != 29 || s[3] != ',') return -1;
  if (sscanf(s + 4, " %2d %3s %4d %2d:%2d:%2d %3s", &day, mon, &year, &h, &m, &sec, gmt) != 7) return -1;
  if (strcmp(gmt, "GMT") != 0) return -1;
  const char *p = strstr(months, mon);
  if (!p || (p - months) % 3 != 0 || strlen(mon) != 3) return -1;
  if (day < 1 || day > 31 || year < 1970 || h > 23 || m > 59 || sec > 60 || h < 0 || m < 0 || sec < 0) return -1;
  struct tm tm = {0};
  tm.tm_mday = day;
  tm.tm_mon = (int)((p - months) / 3);
  tm.tm_year = year - 1900;
  tm.tm_hour = h;
  tm.tm_min = m;
  tm.tm_sec = sec;
  return timegm(&tm);
}

static bool same_file(const variant *v, const struct stat *st) {
  return v->present && v->dev == st->st_dev && v->ino == st->st_ino && v->size == st->st_size &&
         v->mtime.tv_sec == st->st_mtim.tv_sec && v->mtime.tv_nsec == st->st_mtim.tv_nsec &&
         v->ctime.tv_sec == st->st_ctim.tv_sec && v->ctime.tv_nsec == st->st_ctim.tv_nsec;
}

static struct MHD_Response *text_response(const wd_server *s, const char *body) {
  struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
  if (!r) return NULL;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
  wdi_serve_add_common(s, r);
  return r;
}

/* A fixed response over a copy of `text` (kept in *copy, freed with the
   server); NULL when text is NULL or out of memory. */
static struct MHD_Response *owned_response(const wd_server *s, const char *text, const char *type, char **copy) {
  if (!text || !(*copy = strdup(text))) return NULL;
  struct MHD_Response *r = MHD_create_response_from_buffer(strlen(*copy), *copy, MHD_RESPMEM_PERSISTENT);
  if (!r) return NULL;
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  wdi_serve_add_common(s, r);
  return r;
}

/* ---- requests --------------------------------------------------------- */

typedef struct request {
  wd_server *s;
  struct MHD_Connection *c;
  const char *method, *url, *version;
  bool head;
  wd_serve_request log;
} request;

static void log_request(request *q, unsigned status, uint64_t bytes) {
  if (!q->s->o.log) return;
  char addr[INET6_ADDRSTRLEN] = "-";
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(q->c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (ci && ci->client_addr) {
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof addr);
    else if (sa->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, sizeof addr);
  }
  q->log.client = addr;
  q->log.method = q->method;
  q->log.path = q->url;
  q->log.version = q->version;
  q->log.status = status;
  q->log.bytes = q->head || status == 304 ? 0 : bytes;
  q->s->o.log(q->s->o.log_ctx, &q->log);
}

static enum MHD_Result send_shared(request *q, unsigned status, struct MHD_Response *r, uint64_t bytes) {
  if (!r) return MHD_NO;
  enum MHD_Result ok = MHD_queue_response(q->c, status, r);
  log_request(q, status, bytes);
  return ok;
}

static enum MHD_Result send_owned(request *q, unsigned status, struct MHD_Response *r, uint64_t bytes) {
  if (!r) return MHD_NO;
  enum MHD_Result ok = MHD_queue_response(q->c, status, r);
  MHD_destroy_response(r);
  log_request(q, status, bytes);
  return ok;
}

static enum MHD_Result send_errno(request *q, int e) {
  if (e == EACCES || e == EPERM) return send_shared(q, 403, q->s->r_403, 14);
  return send_shared(q, 404, q->s->r_404, 14);
}

static void buf_put_url_escaped(wd_buf *b, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
        strchr("-._~/!$&'()*+,;=:@", *p)) {
      if (wd_buf_putc(b, (char)*p)) return;
    } else if (wd_buf_printf(b, "%%%02X", *p)) {
      return;
    }
  }
}

static void buf_put_html_escaped(wd_buf *b, const char *s) {
  for (; *s; s++) {
    int rc;
    switch (*s) {
    case '&': rc = wd_buf_puts(b, "&amp;"); break;
    case '<': rc = wd_buf_puts(b, "&lt;"); break;
    case '>': rc = wd_buf_puts(b, "&gt;"); break;
    case '"': rc = wd_buf_puts(b, "&quot;"); break;
    case '\'': rc = wd_buf_puts(b, "&#39;"); break;
    default: rc = wd_buf_putc(b, *s); break;
    }
    if (rc) return;
  }
}

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum MHD_Result send_listing(request *q, const char *rel) {
  int fd = wdi_serve_open_beneath(q->s, rel, O_RDONLY | O_DIRECTORY);
  if (fd < 0) return send_errno(q, errno);
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return send_shared(q, 500, q->s->r_500, 0);
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL && n < 100000) {
    if (de->d_name[0] == '.') continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      char **nn = realloc(names, cap * sizeof *names);
      if (!nn) break;
      names = nn;
    }
    struct stat st;
    bool dir = fstatat(dirfd(d), de->d_name, &st, 0) == 0 && S_ISDIR(st.st_mode);
    size_t l = strlen(de->d_name);
    char *nm = malloc(l + 2);
    if (!nm) break;
    memcpy(nm, de->d_name, l);
    nm[l] = dir ? '/' : '\0';
    nm[l + 1] = '\0';
    names[n++] = nm;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, cmp_names);
  wd_buf b = WD_BUF_INIT;
  int rc = wd_buf_puts(&b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>");
  char shown[PATH_MAX + 4];
  snprintf(shown, sizeof shown, "/%s%s", rel, rel[0] ? "/" : "");
  buf_put_html_escaped(&b, shown);
  rc |= wd_buf_puts(&b, "</title><style>body{font:15px system-ui,sans-serif;margin:2em}"
                        "a{text-decoration:none}li{margin:.2em 0}</style></head><body><h1>");
  buf_put_html_escaped(&b, shown);
  rc |= wd_buf_puts(&b, "</h1><ul>\n");
  if (rel[0]) rc |= wd_buf_puts(&b, "<li><a href=\"../\">../</a></li>\n");
  for (size_t i = 0; i < n; i++) {
    rc |= wd_buf_puts(&b, "<li><a href=\"");
    wd_buf b2 = WD_BUF_INIT;
    buf_put_url_escaped(&b2, names[i]);
    /* "./" keeps a name with a colon from reading as a scheme */
    rc |= wd_buf_printf(&b, "./%s\">", b2.data);
    wd_buf_release(&b2);
    buf_put_html_escaped(&b, names[i]);
    rc |= wd_buf_puts(&b, "</a></li>\n");
    free(names[i]);
  }
  free(names);
  rc |= wd_buf_puts(&b, "</ul></body></html>\n");
  if (rc) {
    wd_buf_release(&b);
    return send_shared(q, 500, q->s->r_500, 0);
  }
  size_t len = 0;
  char *body = wd_buf_detach(&b, &len);
  struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
  if (!r) {
    free(body);
    return MHD_NO;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
  wdi_serve_add_common(q->s, r);
  return send_owned(q, 200, r, len);
}

static enum MHD_Result send_redirect_dir(request *q, const char *rel) {
  wd_buf b = WD_BUF_INIT;
  if (wd_buf_putc(&b, '/')) return MHD_NO;
  buf_put_url_escaped(&b, rel);
  if (wd_buf_putc(&b, '/')) {
    wd_buf_release(&b);
    return MHD_NO;
  }
  struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (r) {
    MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, b.data);
    wdi_serve_add_common(q->s, r);
  }
  wd_buf_release(&b);
  return send_owned(q, 301, r, 0);
}

static enum MHD_Result send_range(request *q, const entry *e, const variant *v, wd_encoding enc, uint64_t first,
                                  uint64_t last) {
  uint64_t len = last - first + 1;
  struct MHD_Response *r;
  if (v->body) {
    r = MHD_create_response_from_buffer((size_t)len, v->body + first, MHD_RESPMEM_MUST_COPY);
  } else {
    int fd = fcntl(v->fd, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return send_shared(q, 500, q->s->r_500, 0);
    r = MHD_create_response_from_fd_at_offset64(len, fd, first);
    if (!r) close(fd);
  }
  if (!r) return MHD_NO;
  char cr[96];
  uint64_t total = v->body ? v->body_len : (uint64_t)v->size;
  snprintf(cr, sizeof cr, "bytes %llu-%llu/%llu", (unsigned long long)first, (unsigned long long)last,
           (unsigned long long)total);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, e->type);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, v->etag);
  MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, v->last_modified);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
  if (enc) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, wd_encoding_token(enc));
  if (e->avail & ~1u) MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
  wdi_serve_add_common(q->s, r);
  return send_owned(q, 206, r, len);
}

static enum MHD_Result send_unsatisfiable(request *q, uint64_t size) {
  struct MHD_Response *r = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (!r) return MHD_NO;
  char cr[64];
  snprintf(cr, sizeof cr, "bytes */%llu", (unsigned long long)size);
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_RANGE, cr);
  wdi_serve_add_common(q->s, r);
  return send_owned(q, 416, r, 0);
}

/* Serve a regular file whose stat is `st` (st NULL: the file is missing, but
 * precompressed copies may exist). */
static enum MHD_Result send_file(request *q, const char *rel, const struct stat *st) {
  wd_server *s = q->s;
  uint64_t h = hash_str(rel);
  const char *ae = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
  const char *inm = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
  const char *ims = inm ? NULL : MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
  const char *range = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);

  pthread_mutex_lock(&s->lock);
  entry *e = wdi_serve_cache_find(s, rel, h);
  if (!e || !same_file(&e->v[0], st) || wdi_serve_now_ns() - e->checked_ns > VARIANT_RECHECK_NS) {
    pthread_mutex_unlock(&s->lock);
    int err_no = 0;
    entry *n = wdi_serve_entry_build(s, rel, h, &err_no);
    if (!n) return err_no ? send_errno(q, err_no) : send_shared(q, 500, s->r_500, 0);
    pthread_mutex_lock(&s->lock);
    wdi_serve_cache_put(s, n);
    e = n;
  }
  wd_encoding enc = e->injected ? WD_ENC_IDENTITY : wd_serve_pick_encoding(ae, e->avail);
  variant *v = &e->v[enc];
  if (enc) q->log.encoding = wd_encoding_token(enc);
  q->log.injected = e->injected && enc == WD_ENC_IDENTITY;
  bool not_modified = false;
  if (inm) {
    not_modified = wd_serve_etag_matches(inm, v->etag);
  } else if (ims) {
    time_t t = parse_http_date(ims);
    not_modified = t >= 0 && v->mtime.tv_sec <= t;
  }
  enum MHD_Result res;
  if (not_modified) {
    res = send_shared(q, 304, v->not_modified, 0);
  } else {
    uint64_t first = 0, last = 0;
    uint64_t total = v->body ? v->body_len : (uint64_t)v->size;
    wd_range_verdict rv = WD_RANGE_NONE;
    if (range) {
      const char *ifr = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_RANGE);
      bool use = true;
      if (ifr) {
        if (ifr[0] == '"') use = !strcmp(ifr, v->etag); /* strong comparison */
        else use = !strcmp(ifr, v->last_modified);
      }
      if (use) rv = wd_serve_parse_range(range, total, &first, &last);
    }
    if (rv == WD_RANGE_OK) res = send_range(q, e, v, enc, first, last);
    else if (rv == WD_RANGE_UNSATISFIABLE) res = send_unsatisfiable(q, total);
    else res = send_shared(q, 200, v->full, total);
  }
  pthread_mutex_unlock(&s->lock);
  return res;
}

static enum MHD_Result serve_path(request *q, const char *rel, bool trailing) {
  wd_server *s = q->s;
  struct stat st;
  if (fstatat(s->rootfd, rel[0] ? rel : ".", &st, 0) != 0) {
    int e = errno;
    if (e == ENOENT) {
      /* only a precompressed copy? it can be served to a client that takes it */
      char vp[PATH_MAX];
      for (int k = 1; k < WD_ENC_COUNT; k++) {
        if ((size_t)snprintf(vp, sizeof vp, "%s%s", rel, wd_encoding_suffix((wd_encoding)k)) >= sizeof vp) break;
        struct stat vst;
        if (fstatat(s->rootfd, vp, &vst, 0) == 0 && S_ISREG(vst.st_mode)) {
          const char *ae = MHD_lookup_connection_value(q->c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
          if (wd_serve_pick_encoding(ae, 1u << k) == (wd_encoding)k) {
            int fd = wdi_serve_open_beneath(s, vp, O_RDONLY | O_NONBLOCK);
            struct stat fst;
            if (fd < 0) continue;
            if (fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
              close(fd);
              continue;
            }
            struct MHD_Response *r = MHD_create_response_from_fd64((uint64_t)fst.st_size, fd);
            if (!r) {
              close(fd);
              return MHD_NO;
            }
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, wd_serve_mime_type(rel));
            MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, wd_encoding_token((wd_encoding)k));
            MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
            wdi_serve_add_common(s, r);
            q->log.encoding = wd_encoding_token((wd_encoding)k);
            return send_owned(q, 200, r, (uint64_t)fst.st_size);
          }
        }
      }
    }
    return send_errno(q, e);
  }
  if (S_ISDIR(st.st_mode)) {
    /* the folder must itself be beneath the root (a link out is not) */
    int fd = wdi_serve_open_beneath(s, rel, O_RDONLY | O_DIRECTORY);
    if (fd < 0) return send_errno(q, errno);
    close(fd);
    if (!trailing && rel[0]) return send_redirect_dir(q, rel);
    char idx[PATH_MAX];
    if ((size_t)snprintf(idx, sizeof idx, "%s%sindex.html", rel, rel[0] ? "/" : "") >= sizeof idx)
      return send_shared(q, 404, s->r_404, 14);
    struct stat ist;
    if (fstatat(s->rootfd, idx, &ist, 0) == 0 && S_ISREG(ist.st_mode)) return send_file(q, idx, &ist);
    return send_listing(q, rel);
  }
  if (!S_ISREG(st.st_mode)) return send_shared(q, 404, s->r_404, 14);
  if (trailing) return send_shared(q, 404, s->r_404, 14); /* "file.html/" */
  return send_file(q, rel, &st);
}

/* A file of the web app: "" (the folder) is its index.html. */
static enum MHD_Result send_app(request *q, const char *name, bool trailing) {
  wd_server *s = q->s;
  if (!name[0] && !trailing) return send_redirect_dir(q, "__webdoctor/app");
  if (!name[0]) name = "index.html";
  for (uint32_t i = 0; i < s->o.napp; i++)
    if (!strcmp(s->o.app[i].name, name)) return send_shared(q, 200, s->r_app[i], s->o.app[i].len);
  return send_shared(q, 404, s->r_404, 14);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)upload_data;
  wd_server *s = cls;
  bool get = !strcmp(method, MHD_HTTP_METHOD_GET);
  bool head = !strcmp(method, MHD_HTTP_METHOD_HEAD);
  if (get || head) {
    /* Answer on the second call, once the request is complete: a response
     * queued from the first call makes libmicrohttpd close the connection
     * (no keep-alive). A body sent with GET is read and dropped. */
    static int marker;
    if (*con_cls == NULL) {
      *con_cls = &marker;
      return MHD_YES;
    }
    if (*upload_data_size) {
      *upload_data_size = 0;
      return MHD_YES;
    }
  }
  request q;
  memset(&q, 0, sizeof q);
  q.s = s;
  q.c = c;
  q.method = method;
  q.url = url;
  q.version = version;
  q.head = head;
  if (!get && !head) {
    /* other methods are answered at once (and the connection closed) */
    if (!strcmp(method, MHD_HTTP_METHOD_OPTIONS)) return send_shared(&q, 204, s->r_options, 0);
    return send_shared(&q, 405, s->r_405, 23);
  }
  size_t len = strlen(url);
  char stackbuf[1024];
  char *rel = len < sizeof stackbuf ? stackbuf : malloc(len + 1);
  if (!rel) return MHD_NO;
  bool trailing = false;
  wd_path_verdict pv = wd_serve_resolve_path(url, len, rel, len + 1, &trailing);
  enum MHD_Result res;
  if (pv == WD_PATH_BAD) {
    res = send_shared(&q, 400, s->r_400, 16);
  } else if (pv == WD_PATH_HIDDEN) {
    res = send_shared(&q, 404, s->r_404, 14);
  } else if (!strncmp(rel, "__webdoctor", 11) && (rel[11] == '\0' || rel[11] == '/')) {
    if (!strcmp(rel, &WD_SERVE_SCRIPT_PATH[1])) res = send_shared(&q, 200, s->r_script, wd_serve_diagnose_js_len);
    else if (!strcmp(rel, &WD_SERVE_FINDINGS_PATH[1]) && s->r_findings)
      res = send_shared(&q, 200, s->r_findings, strlen(s->findings_json));
    else if (!strcmp(rel, &WD_SERVE_FINDINGS_ZH_PATH[1]) && (s->r_findings_zh || s->r_findings))
      res = s->r_findings_zh ? send_shared(&q, 200, s->r_findings_zh, strlen(s->findings_json_zh))
                             : send_shared(&q, 200, s->r_findings, strlen(s->findings_json));
    else if (!strcmp(rel, &WD_SERVE_REPORT_PATH[1]) && s->r_report)
      res = send_shared(&q, 200, s->r_report, strlen(s->report_html));
    else if (s->o.napp && !strncmp(rel, "__webdoctor/app", 15) && (rel[15] == '\0' || rel[15] == '/'))
      res = send_app(&q, rel[15] ? rel + 16 : "", trailing);
    else res = send_shared(&q, 404, s->r_404, 14);
  } else {
    res = serve_path(&q, rel, trailing);
  }
  if (rel != stackbuf) free(rel);
  return res;
}

/* Keep the request-target as sent: wd_serve_resolve_path decodes it. */
static size_t no_unescape(void *cls, struct MHD_Connection *c, char *s) {
  (void)cls;
  (void)c;
  return strlen(s);
}

/* ---- start and stop --------------------------------------------------- */

bool wd_serve_tls_available(void) { return MHD_is_feature_supported(MHD_FEATURE_TLS) == MHD_YES; }

bool wd_serve_is_loopback(const char *addr) {
  if (!addr) return true;
  if (!strcmp(addr, "localhost")) return true;
  struct in_addr a4;
  struct in6_addr a6;
  if (inet_pton(AF_INET, addr, &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  if (inet_pton(AF_INET6, addr, &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return false;
}

static void free_server(wd_server *s) {
  if (!s) return;
  wdi_serve_cache_clear(s);
  struct MHD_Response *rs[] = {s->r_script, s->r_findings, s->r_findings_zh, s->r_report, s->r_400, s->r_403,
                               s->r_404,    s->r_405,      s->r_500, s->r_options};
  for (size_t i = 0; i < sizeof rs / sizeof *rs; i++)
    if (rs[i]) MHD_destroy_response(rs[i]);
  for (uint32_t i = 0; s->r_app && i < s->o.napp; i++)
    if (s->r_app[i]) MHD_destroy_response(s->r_app[i]);
  free(s->r_app);
  if (s->rootfd >= 0) close(s->rootfd);
  pthread_mutex_destroy(&s->lock);
  free(s->findings_json);
  free(s->findings_json_zh);
  free(s->report_html);
  free((char *)s->o.root);
  free(s);
}

static bool probe_openat2(int rootfd) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  int fd = (int)syscall(SYS_openat2, rootfd, ".", &how, sizeof how);
  if (fd < 0) return false;
  close(fd);
  return true;
}

wd_status wd_serve_start(const wd_serve_options *o, wd_server **out, wd_error *err) {
  *out = NULL;
  if (!o || !o->root) return wd_error_set(err, WD_ERR_USAGE, "%s", W_("no folder to serve"));
  if ((o->tls_cert_pem != NULL) != (o->tls_key_pem != NULL))
    return wd_error_set(err, WD_ERR_USAGE, "%s", W_("TLS needs both a certificate and a key"));
  wd_status ls = wdi_serve_mhd_load(err);
  if (ls) return ls;
  if (o->tls_cert_pem && !wd_serve_tls_available())
    return wd_error_set(err, WD_ERR_UNSUPPORTED, "%s",
                        W_("this libmicrohttpd was built without TLS (GnuTLS) support: --tls is unavailable"));
  wd_server *s = calloc(1, sizeof *s);
  if (!s) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  pthread_mutex_init(&s->lock, NULL);
  s->rootfd = -1;
  s->o = *o;
  s->o.root = strdup(o->root);
  if (!s->o.root) {
    free_server(s);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  s->rootfd = open(o->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (s->rootfd < 0) {
    int e = errno;
    wd_error_set_file(err, o->root);
    free_server(s);
    return wd_error_set(err, WD_ERR_IO, N_("cannot open the folder to serve: %s"), strerror(e));
  }
  s->openat2_ok = probe_openat2(s->rootfd);
  s->cache_cap = (size_t)(o->cache_mb ? o->cache_mb : 64) * 1024u * 1024u;
  s->coep_value = o->coep == WD_COEP_OFF ? NULL : o->coep == WD_COEP_CREDENTIALLESS ? "credentialless" : "require-corp";

  s->r_script = MHD_create_response_from_buffer(wd_serve_diagnose_js_len, (void *)wd_serve_diagnose_js,
                                                MHD_RESPMEM_PERSISTENT);
  if (s->r_script) {
    MHD_add_response_header(s->r_script, MHD_HTTP_HEADER_CONTENT_TYPE, "text/javascript; charset=utf-8");
    wdi_serve_add_common(s, s->r_script);
  }
  s->r_findings = owned_response(s, o->findings_json, "application/json", &s->findings_json);
  s->r_findings_zh = owned_response(s, o->findings_json_zh, "application/json", &s->findings_json_zh);
  s->r_report = owned_response(s, o->report_html, "text/html; charset=utf-8", &s->report_html);
  bool app_ok = true;
  if (o->napp) {
    s->r_app = calloc(o->napp, sizeof *s->r_app);
    app_ok = s->r_app != NULL;
    for (uint32_t i = 0; app_ok && i < o->napp; i++) {
      struct MHD_Response *r =
          MHD_create_response_from_buffer(o->app[i].len, (void *)o->app[i].data, MHD_RESPMEM_PERSISTENT);
      if (!(s->r_app[i] = r)) app_ok = false;
      else {
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, wd_serve_mime_type(o->app[i].name));
        /* the app's own policy, for its worker too (a worker's policy comes
           from its response, not from the page's <meta>) */
        MHD_add_response_header(r, "Content-Security-Policy",
                                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
                                "connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
                                "base-uri 'none'; form-action 'none'");
        wdi_serve_add_common(s, r);
      }
    }
  }
  if (!app_ok) s->o.napp = 0;
  s->r_400 = text_response(s, "400 bad request\n");
  s->r_403 = text_response(s, "403 forbidden\n");
  s->r_404 = text_response(s, "404 not found\n");
  s->r_405 = text_response(s, "405 method not allowed\n");
  s->r_500 = text_response(s, "");
  s->r_options = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (s->r_options) wdi_serve_add_common(s, s->r_options);
  if (s->r_405) MHD_add_response_header(s->r_405, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, OPTIONS");
  if (s->r_options) MHD_add_response_header(s->r_options, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, OPTIONS");
  if (!s->r_script || !s->r_400 || !s->r_403 || !s->r_404 || !s->r_405 || !s->r_500 || !s->r_options ||
      (o->findings_json && !s->r_findings) || (o->findings_json_zh && !s->r_findings_zh) ||
      (o->report_html && !s->r_report) || !app_ok) {
    free_server(s);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }

  /* the address */
  const char *bind = o->bind ? o->bind : "127.0.0.1";
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  char portstr[8];
  snprintf(portstr, sizeof portstr, "%u", (unsigned)o->port);
  int gai = getaddrinfo(bind, portstr, &hints, &ai);
  if (gai != 0 || !ai) {
    free_server(s);
    return wd_error_set(err, WD_ERR_USAGE, N_("cannot use the address '%s': %s"), bind, gai_strerror(gai));
  }
  struct sockaddr_storage ss;
  memset(&ss, 0, sizeof ss);
  memcpy(&ss, ai->ai_addr, ai->ai_addrlen < sizeof ss ? ai->ai_addrlen : sizeof ss);
  bool v6 = ai->ai_family == AF_INET6;
  freeaddrinfo(ai);

  unsigned threads = o->threads;
  if (!threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    threads = n > 0 ? (unsigned)n : 1;
  }
  if (threads > 64) threads = 64;
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
  if (v6) flags |= MHD_USE_IPv6;
  if (o->tls_cert_pem) flags |= MHD_USE_TLS;
  struct MHD_OptionItem opts[16];
  int n = 0;
  opts[n++] = (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &ss};
  opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_TIMEOUT, 60, NULL};
  opts[n++] = (struct MHD_OptionItem){MHD_OPTION_CONNECTION_LIMIT, 4096, NULL};
  opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024, NULL};
  if (threads > 1) opts[n++] = (struct MHD_OptionItem){MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)threads, NULL};
  if (o->tls_cert_pem) {
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)o->tls_cert_pem};
    opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)o->tls_key_pem};
  }
  opts[n++] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
  s->daemon = MHD_start_daemon(flags, o->port, NULL, NULL, on_request, s, MHD_OPTION_UNESCAPE_CALLBACK,
                               no_unescape, NULL, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
  if (!s->daemon) {
    int e = errno;
    free_server(s);
    if (o->tls_cert_pem)
      return wd_error_set(err, WD_ERR_IO, N_("cannot start the HTTPS server on %s port %u (a bad certificate or key, or %s)"),
                          bind, (unsigned)o->port, strerror(e));
    return wd_error_set(err, WD_ERR_IO, N_("cannot listen on %s port %u: %s"), bind, (unsigned)o->port,
                        strerror(e));
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : o->port;
  *out = s;
  return WD_OK;
}

uint16_t wd_server_port(const wd_server *s) { return s ? s->port : 0; }

void wd_serve_stop(wd_server *s) {
  if (!s) return;
  if (s->daemon) MHD_stop_daemon(s->daemon);
  s->daemon = NULL;
  free_server(s);
}
