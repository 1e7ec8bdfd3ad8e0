/* Internals of the server (server.c: requests, start and stop; cache.c: the
 * kept responses; helpers.c: what both use). */
#ifndef WD_SERVE_INT_H
#define WD_SERVE_INT_H

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include "common/buf.h"
#include "common/i18n.h"
#include "webdoctor/serve.h"


#define CACHE_BUCKETS 4096u
#define MEM_BODY_MAX (128u * 1024u)        /* files up to this are kept in memory */
#define INJECT_MAX (16u * 1024u * 1024u)   /* larger HTML is served as it is */
#define VARIANT_RECHECK_NS 1000000000ull    /* look for new .br/.gz copies every second */
#define SCRIPT_TAG "<script src=\"" WD_SERVE_SCRIPT_PATH "\"></script>"

typedef struct variant {
  bool present;
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime, ctime;
  int fd;                          /* ours, for ranges of large files; -1 otherwise */
  char *body;                      /* ours, for ranges of small files (what was sent) */
  size_t body_len;
  char etag[80];
  char last_modified[32];
  struct MHD_Response *full;       /* 200 */
  struct MHD_Response *not_modified; /* 304 */
} variant;

typedef struct entry {
  struct entry *next;
  uint64_t hash;
  char *rel;
  const char *type;
  bool injected;                   /* identity body carries the script */
  unsigned avail;                  /* 1u << wd_encoding of present variants */
  uint64_t checked_ns;             /* when the variants were last looked for */
  size_t mem;
  variant v[WD_ENC_COUNT];
} entry;

struct wd_server {
  struct MHD_Daemon *daemon;
  int rootfd;
  bool openat2_ok;
  uint16_t port;
  wd_serve_options o;
  char *findings_json, *findings_json_zh;
  char *report_html;
  const char *coep_value;
  size_t cache_cap;
  pthread_mutex_t lock;
  size_t cache_bytes;
  entry *buckets[CACHE_BUCKETS];
  struct MHD_Response **r_app; /* one per o.app file */
  struct MHD_Response *r_script, *r_findings, *r_findings_zh, *r_report, *r_400, *r_403, *r_404, *r_405, *r_500, *r_options;
};

/* helpers.c */
uint64_t wdi_serve_now_ns(void);
/* RFC 9110 IMF-fixdate, independent of the locale. */
void wdi_serve_http_date(time_t t, char out[32]);
int wdi_serve_open_beneath(const wd_server *s, const char *rel, int flags);
void wdi_serve_add_common(const wd_server *s, struct MHD_Response *r);

/* cache.c: the kept responses, found, cleared, added and built */
entry *wdi_serve_cache_find(wd_server *s, const char *rel, uint64_t h);
void wdi_serve_cache_clear(wd_server *s);
void wdi_serve_cache_put(wd_server *s, entry *n);
entry *wdi_serve_entry_build(wd_server *s, const char *rel, uint64_t h, int *err_no);

/* Load libmicrohttpd, GnuTLS (mhd_dl.c): the first use of either. */
wd_status wdi_serve_mhd_load(wd_error *err);
wd_status wdi_serve_gnutls_load(wd_error *err);

#endif
