/*
 * Shared libraries loaded when first used (dlopen), for what only some
 * commands need: libcurl (probe), libmicrohttpd and GnuTLS (serve). The
 * program is not linked against them, so the dynamic loader neither maps
 * nor relocates them and their dependency chains (about 30 libraries:
 * Kerberos, LDAP, SSH, nghttp2...) for the offline commands; their
 * functions are defined by small forwarders (src/net/curl_dl.c,
 * src/serve/mhd_dl.c) that look the real ones up in the loaded library.
 */
#ifndef WD_DYNLIB_H
#define WD_DYNLIB_H

#include <pthread.h>
#include <stdbool.h>

#include "webdoctor/error.h"

typedef struct wd_dynlib {
  const char *soname;       /* "libcurl.so.4" */
  pthread_once_t once;
  void *handle;             /* NULL when it could not be loaded */
  char why[256];            /* dlerror() then */
} wd_dynlib;

#define WD_DYNLIB_INIT(soname) {soname, PTHREAD_ONCE_INIT, NULL, ""}

/* Load it (once; thread-safe). On failure: WD_ERR_UNSUPPORTED naming the
 * library and why. */
wd_status wd_dynlib_load(wd_dynlib *lib, void (*once_fn)(void), wd_error *err);
/* The loader the once_fn of `lib` calls. */
void wd_dynlib_open(wd_dynlib *lib);
/* The address of `name` in the library (loading it first), or NULL. */
void *wd_dynlib_sym(wd_dynlib *lib, void (*once_fn)(void), const char *name);

/* A forwarder: `ret name params` calls the library's `name` with `args`,
 * or returns `fail` when the library or the function is missing. The
 * address is looked up once. `lib` and `once` name the wd_dynlib and its
 * once function. */
#define WD_DYNLIB_FORWARD(lib, once, ret, name, params, args, fail)       \
  ret name params {                                                       \
    typedef ret (*name##_fn) params;                                      \
    static name##_fn _Atomic wd_fn_;                                      \
    name##_fn wd_f_ = wd_fn_;                                             \
    if (!wd_f_) {                                                         \
      wd_f_ = (name##_fn)wd_dynlib_sym(&(lib), once, #name);              \
      if (!wd_f_) return fail;                                            \
      wd_fn_ = wd_f_;                                                     \
    }                                                                     \
    return wd_f_ args;                                                    \
  }
#define WD_DYNLIB_FORWARD_VOID(lib, once, name, params, args)             \
  void name params {                                                      \
    typedef void (*name##_fn) params;                                     \
    static name##_fn _Atomic wd_fn_;                                      \
    name##_fn wd_f_ = wd_fn_;                                             \
    if (!wd_f_) {                                                         \
      wd_f_ = (name##_fn)wd_dynlib_sym(&(lib), once, #name);              \
      if (!wd_f_) return;                                                 \
      wd_fn_ = wd_f_;                                                     \
    }                                                                     \
    wd_f_ args;                                                           \
  }

#endif
