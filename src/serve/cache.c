/*
 * The kept responses: every file's full response (headers and all) is built
 * once, keyed by its path and checked against the file's identity; small
 * files in memory, large ones as a descriptor for sendfile().
 */
#include "serve/serve_int.h"

/* ---- the cache --------------------------------------------------------- */

static void variant_free(variant *v) {
  if (v->full) MHD_destroy_response(v->full);
  if (v->not_modified) MHD_destroy_response(v->not_modified);
  if (v->fd >= 0) close(v->fd);
  free(v->body);
  memset(v, 0, sizeof *v);
  v->fd = -1;
}

static void entry_free(entry *e) {
  if (!e) return;
  for (int k = 0; k < WD_ENC_COUNT; k++) variant_free(&e->v[k]);
  free(e->rel);
  free(e);
}

/* Caller holds the lock. */
entry *wdi_serve_cache_find(wd_server *s, const char *rel, uint64_t h) {
  for (entry *e = s->buckets[h % CACHE_BUCKETS]; e; e = e->next)
    if (e->hash == h && !strcmp(e->rel, rel)) return e;
  return NULL;
}

/* Drop every cached entry. */
void wdi_serve_cache_clear(wd_server *s) {
  for (unsigned b = 0; b < CACHE_BUCKETS; b++) {
    entry *e = s->buckets[b];
    while (e) {
      entry *next = e->next;
      entry_free(e);
      e = next;
    }
    s->buckets[b] = NULL;
  }
  s->cache_bytes = 0;
}

/* Caller holds the lock. Replaces an entry for the same path. */
void wdi_serve_cache_put(wd_server *s, entry *n) {
  entry **pp = &s->buckets[n->hash % CACHE_BUCKETS];
  for (entry *e = *pp; e; pp = &e->next, e = e->next) {
    if (e->hash == n->hash && !strcmp(e->rel, n->rel)) {
      *pp = e->next;
      s->cache_bytes -= e->mem;
      entry_free(e);
      break;
    }
  }
  /* over budget: start again (simple, and rare for one export) */
  if (s->cache_bytes + n->mem > s->cache_cap) wdi_serve_cache_clear(s);
  pp = &s->buckets[n->hash % CACHE_BUCKETS];
  n->next = *pp;
  *pp = n;
  s->cache_bytes += n->mem;
}

static bool read_all(int fd, char *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = pread(fd, buf + got, n - got, (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += (size_t)r;
  }
  return true;
}

/* Fill one variant from an open file (fd is taken). Returns false when the
 * file cannot be used (not regular, read error, out of memory). */
static bool variant_load(wd_server *s, entry *e, wd_encoding enc, int fd, bool inject, size_t *mem) {
  variant *v = &e->v[enc];
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return false;
  }
  v->present = true;
  v->dev = st.st_dev;
  v->ino = st.st_ino;
  v->size = st.st_size;
  v->mtime = st.st_mtim;
  v->ctime = st.st_ctim;
  v->fd = -1;
  uint64_t mt = (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec;
  snprintf(v->etag, sizeof v->etag, "\"%llx-%llx-%llx%s%s%s\"", (unsigned long long)st.st_ino,
           (unsigned long long)mt, (unsigned long long)st.st_size, enc ? "-" : "", enc ? wd_encoding_token(enc) : "",
           inject ? "-wd" : "");
  wdi_serve_http_date(st.st_mtim.tv_sec, v->last_modified);
  struct MHD_Response *r = NULL;
  uint64_t size = (uint64_t)st.st_size;
  if (inject || size <= MEM_BODY_MAX) {
    size_t extra = inject ? strlen(SCRIPT_TAG) : 0;
    char *body = malloc((size_t)size + extra + 1);
    if (!body || !read_all(fd, body, (size_t)size)) {
      free(body);
      close(fd);
      v->present = false;
      return false;
    }
    close(fd);
    size_t len = (size_t)size;
    if (inject) {
      size_t at = wd_serve_inject_offset(body, len);
      memmove(body + at + extra, body + at, len - at);
      memcpy(body + at, SCRIPT_TAG, extra);
      len += extra;
      e->injected = true;
    }
    v->body = body;
    v->body_len = len;
    r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_PERSISTENT);
    *mem += len + 1024;
  } else {
    int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (dupfd < 0) {
      close(fd);
      v->present = false;
      return false;
    }
    v->fd = fd;
    r = MHD_create_response_from_fd64(size, dupfd); /* takes dupfd */
    if (!r) close(dupfd);
    *mem += 1024;
  }
  if (!r) {
    variant_free(v);
    return false;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, e->type);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, v->etag);
  MHD_add_response_header(r, MHD_HTTP_HEADER_LAST_MODIFIED, v->last_modified);
  MHD_add_response_header(r, MHD_HTTP_HEADER_ACCEPT_RANGES, "bytes");
  if (enc) MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_ENCODING, wd_encoding_token(enc));
  v->full = r;
  struct MHD_Response *nm = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
  if (nm) {
    MHD_add_response_header(nm, MHD_HTTP_HEADER_ETAG, v->etag);
    MHD_add_response_header(nm, MHD_HTTP_HEADER_LAST_MODIFIED, v->last_modified);
    v->not_modified = nm;
  }
  return true;
}

/* Finish the headers of every variant once the set is known (Vary). */
static void entry_finish(const wd_server *s, entry *e) {
  bool vary = (e->avail & ~1u) != 0;
  for (int k = 0; k < WD_ENC_COUNT; k++) {
    variant *v = &e->v[k];
    if (!v->present) continue;
    if (v->full) {
      if (vary) MHD_add_response_header(v->full, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
      wdi_serve_add_common(s, v->full);
    }
    if (v->not_modified) {
      if (vary) MHD_add_response_header(v->not_modified, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
      wdi_serve_add_common(s, v->not_modified);
    }
  }
}

/* Build the entry for a path: the file (opened beneath the root) and its
 * precompressed copies. *err_no gets errno when the file itself cannot be
 * opened; returns NULL then (or on out of memory). */
entry *wdi_serve_entry_build(wd_server *s, const char *rel, uint64_t h, int *err_no) {
  entry *e = calloc(1, sizeof *e);
  if (!e) return NULL;
  for (int k = 0; k < WD_ENC_COUNT; k++) e->v[k].fd = -1;
  e->rel = strdup(rel);
  if (!e->rel) {
    free(e);
    return NULL;
  }
  e->hash = h;
  e->type = wd_serve_mime_type(rel);
  e->checked_ns = wdi_serve_now_ns();
  bool is_html = !strncmp(e->type, "text/html", 9);
  size_t mem = sizeof *e + strlen(rel);
  int fd = wdi_serve_open_beneath(s, rel, O_RDONLY | O_NONBLOCK);
  if (fd < 0) {
    *err_no = errno;
    entry_free(e);
    return NULL;
  }
  struct stat st;
  bool inject = false;
  if (s->o.inject && is_html && fstat(fd, &st) == 0 && st.st_size <= (off_t)INJECT_MAX) inject = true;
  if (!variant_load(s, e, WD_ENC_IDENTITY, fd, inject, &mem)) {
    *err_no = EACCES;
    entry_free(e);
    return NULL;
  }
  e->avail = 1u;
  size_t rl = strlen(rel);
  char *vp = malloc(rl + 8);
  if (vp) {
    for (int k = 1; k < WD_ENC_COUNT; k++) {
      memcpy(vp, rel, rl);
      strcpy(vp + rl, wd_encoding_suffix((wd_encoding)k));
      int vfd = wdi_serve_open_beneath(s, vp, O_RDONLY | O_NONBLOCK);
      if (vfd < 0) continue;
      /* a copy older than its file is stale: never serve it */
      if (fstat(vfd, &st) != 0 || !S_ISREG(st.st_mode) ||
          st.st_mtim.tv_sec < e->v[0].mtime.tv_sec ||
          (st.st_mtim.tv_sec == e->v[0].mtime.tv_sec && st.st_mtim.tv_nsec < e->v[0].mtime.tv_nsec)) {
        close(vfd);
        continue;
      }
      if (variant_load(s, e, (wd_encoding)k, vfd, false, &mem)) e->avail |= 1u << k;
    }
    free(vp);
  }
  e->mem = mem;
  entry_finish(s, e);
  return e;
}
