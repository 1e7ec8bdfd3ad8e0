/*
 * libmicrohttpd and GnuTLS, loaded by the first call (common/dynlib.h): the
 * functions the server uses, each forwarding to the library's own. Only
 * `serve` calls them, so no other command maps these libraries and their
 * dependencies.
 *
 * MHD_start_daemon passes its options on through MHD_start_daemon_va; the
 * two information queries are called with the kinds that take no further
 * argument (MHD_DAEMON_INFO_BIND_PORT, MHD_CONNECTION_INFO_CLIENT_ADDRESS).
 */
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <stdarg.h>

#include "common/dynlib.h"
#include "serve/serve_int.h"

#ifndef WD_MHD_SONAME
#define WD_MHD_SONAME "libmicrohttpd.so.12"
#endif
#ifndef WD_GNUTLS_SONAME
#define WD_GNUTLS_SONAME "libgnutls.so.30"
#endif

static wd_dynlib mhd_lib = WD_DYNLIB_INIT(WD_MHD_SONAME);
static void mhd_once(void) { wd_dynlib_open(&mhd_lib); }
static wd_dynlib tls_lib = WD_DYNLIB_INIT(WD_GNUTLS_SONAME);
static void tls_once(void) { wd_dynlib_open(&tls_lib); }

wd_status wdi_serve_mhd_load(wd_error *err) { return wd_dynlib_load(&mhd_lib, mhd_once, err); }
wd_status wdi_serve_gnutls_load(wd_error *err) { return wd_dynlib_load(&tls_lib, tls_once, err); }

#define FWD(ret, name, params, args, fail) \
  WD_DYNLIB_FORWARD(mhd_lib, mhd_once, ret, name, params, args, fail)
#define FWD_VOID(name, params, args) WD_DYNLIB_FORWARD_VOID(mhd_lib, mhd_once, name, params, args)

FWD(enum MHD_Result, MHD_is_feature_supported, (enum MHD_FEATURE feature), (feature), MHD_NO)
FWD_VOID(MHD_stop_daemon, (struct MHD_Daemon *d), (d))
FWD(const char *, MHD_lookup_connection_value,
    (struct MHD_Connection *c, enum MHD_ValueKind kind, const char *key), (c, kind, key), NULL)
FWD(enum MHD_Result, MHD_queue_response,
    (struct MHD_Connection *c, unsigned int status, struct MHD_Response *r), (c, status, r), MHD_NO)
FWD(struct MHD_Response *, MHD_create_response_from_buffer,
    (size_t size, void *buffer, enum MHD_ResponseMemoryMode mode), (size, buffer, mode), NULL)
FWD(struct MHD_Response *, MHD_create_response_from_fd64, (uint64_t size, int fd), (size, fd), NULL)
FWD(struct MHD_Response *, MHD_create_response_from_fd_at_offset64,
    (uint64_t size, int fd, uint64_t offset), (size, fd, offset), NULL)
FWD(enum MHD_Result, MHD_add_response_header,
    (struct MHD_Response *r, const char *header, const char *content), (r, header, content), MHD_NO)
FWD_VOID(MHD_destroy_response, (struct MHD_Response *r), (r))

typedef struct MHD_Daemon *(*start_va_fn)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                          MHD_AccessHandlerCallback, void *, va_list);
typedef const union MHD_DaemonInfo *(*daemon_info_fn)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
typedef const union MHD_ConnectionInfo *(*conn_info_fn)(struct MHD_Connection *,
                                                        enum MHD_ConnectionInfoType, ...);

struct MHD_Daemon *MHD_start_daemon(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
                                    void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...) {
  start_va_fn f = (start_va_fn)wd_dynlib_sym(&mhd_lib, mhd_once, "MHD_start_daemon_va");
  if (!f) return NULL;
  va_list ap;
  va_start(ap, dh_cls);
  struct MHD_Daemon *d = f(flags, port, apc, apc_cls, dh, dh_cls, ap);
  va_end(ap);
  return d;
}

const union MHD_DaemonInfo *MHD_get_daemon_info(struct MHD_Daemon *d, enum MHD_DaemonInfoType type, ...) {
  daemon_info_fn f = (daemon_info_fn)wd_dynlib_sym(&mhd_lib, mhd_once, "MHD_get_daemon_info");
  return f ? f(d, type) : NULL;
}

const union MHD_ConnectionInfo *MHD_get_connection_info(struct MHD_Connection *c,
                                                        enum MHD_ConnectionInfoType type, ...) {
  conn_info_fn f = (conn_info_fn)wd_dynlib_sym(&mhd_lib, mhd_once, "MHD_get_connection_info");
  return f ? f(c, type) : NULL;
}

#undef FWD
#undef FWD_VOID
#define FWD(ret, name, params, args, fail) \
  WD_DYNLIB_FORWARD(tls_lib, tls_once, ret, name, params, args, fail)
#define FWD_VOID(name, params, args) WD_DYNLIB_FORWARD_VOID(tls_lib, tls_once, name, params, args)

FWD(const char *, gnutls_strerror, (int error), (error), "GnuTLS not loaded")
FWD(int, gnutls_x509_crt_init, (gnutls_x509_crt_t *cert), (cert), GNUTLS_E_INTERNAL_ERROR)
FWD(int, gnutls_x509_crt_import,
    (gnutls_x509_crt_t cert, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format),
    (cert, data, format), GNUTLS_E_INTERNAL_ERROR)
FWD_VOID(gnutls_x509_crt_deinit, (gnutls_x509_crt_t cert), (cert))
FWD(int, gnutls_x509_privkey_init, (gnutls_x509_privkey_t *key), (key), GNUTLS_E_INTERNAL_ERROR)
FWD(int, gnutls_x509_privkey_import2,
    (gnutls_x509_privkey_t key, const gnutls_datum_t *data, gnutls_x509_crt_fmt_t format,
     const char *password, unsigned int flags),
    (key, data, format, password, flags), GNUTLS_E_INTERNAL_ERROR)
FWD_VOID(gnutls_x509_privkey_deinit, (gnutls_x509_privkey_t key), (key))
FWD(int, gnutls_certificate_allocate_credentials, (gnutls_certificate_credentials_t *res), (res),
    GNUTLS_E_INTERNAL_ERROR)
FWD_VOID(gnutls_certificate_free_credentials, (gnutls_certificate_credentials_t sc), (sc))
FWD(int, gnutls_certificate_set_x509_key_mem2,
    (gnutls_certificate_credentials_t res, const gnutls_datum_t *cert, const gnutls_datum_t *key,
     gnutls_x509_crt_fmt_t type, const char *pass, unsigned int flags),
    (res, cert, key, type, pass, flags), GNUTLS_E_INTERNAL_ERROR)
