/* What the request handlers and the cache share: time, dates, opening beneath the root, common headers. */
#include "serve/serve_int.h"

/* ---- small helpers ---------------------------------------------------- */

uint64_t wdi_serve_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* RFC 9110 IMF-fixdate, independent of the locale. */
void wdi_serve_http_date(time_t t, char out[32]) {
  static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  struct tm tm;
  gmtime_r(&t, &tm);
  snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[tm.tm_wday % 7], tm.tm_mday, mo[tm.tm_mon % 12],
           tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int wdi_serve_open_beneath(const wd_server *s, const char *rel, int flags) {
  const char *path = rel[0] ? rel : ".";
  if (s->openat2_ok) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOCTTY);
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    return (int)syscall(SYS_openat2, s->rootfd, path, &how, sizeof how);
  }
  /* Kernels before 5.6: resolve every link and require the result to be
   * the root or under it (racy against a concurrent rename, not against a
   * static tree). */
  char full[PATH_MAX], real[PATH_MAX], rootreal[PATH_MAX];
  if (!realpath(s->o.root, rootreal)) return -1;
  if ((size_t)snprintf(full, sizeof full, "%s/%s", rootreal, path) >= sizeof full) {
    errno = ENAMETOOLONG;
    return -1;
  }
  if (!realpath(full, real)) return -1;
  size_t n = strlen(rootreal);
  if (strncmp(real, rootreal, n) != 0 || (real[n] != '\0' && real[n] != '/' && n > 1)) {
    errno = EXDEV;
    return -1;
  }
  return open(real, flags | O_CLOEXEC | O_NOCTTY);
}

void wdi_serve_add_common(const wd_server *s, struct MHD_Response *r) {
  if (s->coep_value) {
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Embedder-Policy", s->coep_value);
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

