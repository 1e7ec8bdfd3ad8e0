/*
 * libzip, loaded by the first call (common/dynlib.h): the functions the
 * .zip reader (source_zip.c) and the project checks use, each forwarding
 * to the library's own. libzip brings libcrypto, whose relocations were
 * most of the dynamic loader's work at every start (21,113 of 22,567 once
 * libcurl and libmicrohttpd were gone), for commands that read no .zip.
 */
#include <zip.h>

#include "common/dynlib.h"
#include "common/source_int.h"

/* The native build (CMakeLists.txt) names the library to load; a build
 * that compiles libzip in (the web app, cmake/web.cmake) has nothing to
 * load and no forwarders. */
#ifndef WD_ZIP_SONAME
wd_status wdi_zip_load(wd_error *err) {
  (void)err;
  return WD_OK;
}
#else
static wd_dynlib zip_lib = WD_DYNLIB_INIT(WD_ZIP_SONAME);
static void zip_once(void) { wd_dynlib_open(&zip_lib); }

wd_status wdi_zip_load(wd_error *err) { return wd_dynlib_load(&zip_lib, zip_once, err); }

#define FWD(ret, name, params, args, fail) \
  WD_DYNLIB_FORWARD(zip_lib, zip_once, ret, name, params, args, fail)
#define FWD_VOID(name, params, args) WD_DYNLIB_FORWARD_VOID(zip_lib, zip_once, name, params, args)

/* zip_t *zip_open(...) with the error code set when the library is missing */
typedef zip_t *(*zip_open_fn)(const char *, int, int *);
zip_t *zip_open(const char *path, int flags, int *errorp) {
  zip_open_fn f = (zip_open_fn)wd_dynlib_sym(&zip_lib, zip_once, "zip_open");
  if (!f) {
    if (errorp) *errorp = ZIP_ER_INTERNAL;
    return NULL;
  }
  return f(path, flags, errorp);
}

FWD_VOID(zip_discard, (zip_t *z), (z))
FWD(zip_error_t *, zip_get_error, (zip_t *z), (z), NULL)
FWD(int, zip_error_code_zip, (const zip_error_t *e), (e), ZIP_ER_INTERNAL)
FWD_VOID(zip_error_fini, (zip_error_t *e), (e))
FWD_VOID(zip_error_init, (zip_error_t *e), (e))
FWD(const char *, zip_error_strerror, (zip_error_t *e), (e), "libzip not loaded")
FWD(int, zip_fclose, (zip_file_t *f), (f), ZIP_ER_INTERNAL)
FWD(zip_error_t *, zip_file_get_error, (zip_file_t *f), (f), NULL)
FWD(int, zip_file_get_external_attributes,
    (zip_t *z, zip_uint64_t index, zip_flags_t flags, zip_uint8_t *opsys, zip_uint32_t *attr),
    (z, index, flags, opsys, attr), -1)
FWD(zip_file_t *, zip_fopen_index, (zip_t *z, zip_uint64_t index, zip_flags_t flags), (z, index, flags),
    NULL)
FWD(zip_int64_t, zip_fread, (zip_file_t *f, void *buf, zip_uint64_t n), (f, buf, n), -1)
FWD(zip_int64_t, zip_get_num_entries, (zip_t *z, zip_flags_t flags), (z, flags), -1)
FWD(zip_int64_t, zip_name_locate, (zip_t *z, const char *name, zip_flags_t flags), (z, name, flags), -1)
FWD(zip_t *, zip_open_from_source, (zip_source_t *src, int flags, zip_error_t *e), (src, flags, e), NULL)
FWD(zip_source_t *, zip_source_buffer_create,
    (const void *data, zip_uint64_t len, int freep, zip_error_t *e), (data, len, freep, e), NULL)
FWD_VOID(zip_source_free, (zip_source_t *src), (src))
FWD(int, zip_stat_index, (zip_t *z, zip_uint64_t index, zip_flags_t flags, zip_stat_t *st),
    (z, index, flags, st), -1)
FWD_VOID(zip_stat_init, (zip_stat_t *st), (st))
FWD(const char *, zip_strerror, (zip_t *z), (z), "libzip not loaded")
FWD(int, zip_compression_method_supported, (zip_int32_t method, int compress), (method, compress), 0)
#endif
