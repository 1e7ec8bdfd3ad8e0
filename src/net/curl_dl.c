/*
 * libcurl, loaded by the first call (common/dynlib.h): the functions the
 * prober uses, each forwarding to the library's own. Only `probe` calls
 * them, so no other command maps libcurl and its dependencies.
 *
 * The variadic ones take exactly one argument after the option, whose type
 * the option number encodes (CURLOPTTYPE_*, CURLINFO_* masks): it is read
 * as that type and passed on as it.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <stdarg.h>

#include "common/dynlib.h"
#include "net/net_int.h"

#ifndef WD_CURL_SONAME
#define WD_CURL_SONAME "libcurl.so.4"
#endif

static wd_dynlib curl_lib = WD_DYNLIB_INIT(WD_CURL_SONAME);
static void curl_once(void) { wd_dynlib_open(&curl_lib); }

wd_status wdn_curl_load(wd_error *err) { return wd_dynlib_load(&curl_lib, curl_once, err); }

#define FWD(ret, name, params, args, fail) \
  WD_DYNLIB_FORWARD(curl_lib, curl_once, ret, name, params, args, fail)
#define FWD_VOID(name, params, args) WD_DYNLIB_FORWARD_VOID(curl_lib, curl_once, name, params, args)

FWD(CURLcode, curl_global_init, (long flags), (flags), CURLE_FAILED_INIT)
FWD_VOID(curl_global_cleanup, (void), ())
FWD_VOID(curl_free, (void *p), (p))
FWD(struct curl_slist *, curl_slist_append, (struct curl_slist *l, const char *s), (l, s), NULL)
FWD_VOID(curl_slist_free_all, (struct curl_slist *l), (l))

FWD(CURL *, curl_easy_init, (void), (), NULL)
FWD_VOID(curl_easy_cleanup, (CURL *h), (h))
FWD(const char *, curl_easy_strerror, (CURLcode c), (c), "libcurl not loaded")
FWD(CURLHcode, curl_easy_header,
    (CURL *h, const char *name, size_t index, unsigned int origin, int request,
     struct curl_header **hout),
    (h, name, index, origin, request, hout), CURLHE_NOT_BUILT_IN)

FWD(CURLU *, curl_url, (void), (), NULL)
FWD_VOID(curl_url_cleanup, (CURLU *u), (u))
FWD(CURLUcode, curl_url_get, (CURLU *u, CURLUPart what, char **part, unsigned int flags),
    (u, what, part, flags), CURLUE_OUT_OF_MEMORY)
FWD(CURLUcode, curl_url_set, (CURLU *u, CURLUPart what, const char *part, unsigned int flags),
    (u, what, part, flags), CURLUE_OUT_OF_MEMORY)
FWD(const char *, curl_url_strerror, (CURLUcode c), (c), "libcurl not loaded")

FWD(CURLM *, curl_multi_init, (void), (), NULL)
FWD(CURLMcode, curl_multi_cleanup, (CURLM *m), (m), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_add_handle, (CURLM *m, CURL *h), (m, h), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_remove_handle, (CURLM *m, CURL *h), (m, h), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_perform, (CURLM *m, int *running), (m, running), CURLM_BAD_HANDLE)
FWD(CURLMcode, curl_multi_poll,
    (CURLM *m, struct curl_waitfd extra[], unsigned int nextra, int timeout_ms, int *ret),
    (m, extra, nextra, timeout_ms, ret), CURLM_BAD_HANDLE)
FWD(CURLMsg *, curl_multi_info_read, (CURLM *m, int *left), (m, left), NULL)

typedef void (*any_fn)(void);
typedef CURLcode (*setopt_fn)(CURL *, CURLoption, ...);
typedef CURLMcode (*msetopt_fn)(CURLM *, CURLMoption, ...);
typedef CURLcode (*getinfo_fn)(CURL *, CURLINFO, ...);

/* The one argument after an option numbered `opt`, by its type. */
#define PASS_OPTION(call, opt, ap)                                        \
  ((opt) < CURLOPTTYPE_OBJECTPOINT     ? call(va_arg(ap, long))           \
   : (opt) < CURLOPTTYPE_FUNCTIONPOINT ? call(va_arg(ap, void *))         \
   : (opt) < CURLOPTTYPE_OFF_T         ? call(va_arg(ap, any_fn))         \
   : (opt) < CURLOPTTYPE_BLOB          ? call(va_arg(ap, curl_off_t))     \
                                       : call(va_arg(ap, void *)))

CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...) {
  setopt_fn f = (setopt_fn)wd_dynlib_sym(&curl_lib, curl_once, "curl_easy_setopt");
  if (!f) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, opt);
#define CALL(v) f(h, opt, v)
  CURLcode c = PASS_OPTION(CALL, (int)opt, ap);
#undef CALL
  va_end(ap);
  return c;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...) {
  msetopt_fn f = (msetopt_fn)wd_dynlib_sym(&curl_lib, curl_once, "curl_multi_setopt");
  if (!f) return CURLM_BAD_HANDLE;
  va_list ap;
  va_start(ap, opt);
#define CALL(v) f(m, opt, v)
  CURLMcode c = PASS_OPTION(CALL, (int)opt, ap);
#undef CALL
  va_end(ap);
  return c;
}

/* Every CURLINFO_* takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...) {
  getinfo_fn f = (getinfo_fn)wd_dynlib_sym(&curl_lib, curl_once, "curl_easy_getinfo");
  if (!f) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, info);
  void *out = va_arg(ap, void *);
  va_end(ap);
  return f(h, info, out);
}
