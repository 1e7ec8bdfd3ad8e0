/* Internals of src/deploy: the plan builder and helpers the files share. */
#ifndef WD_DEPLOY_INT_H
#define WD_DEPLOY_INT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "common/buf.h"
#include "webdoctor/export.h"
#include "webdoctor/headers.h"

#define COOP "Cross-Origin-Opener-Policy"
#define COEP "Cross-Origin-Embedder-Policy"
#define COOP_VALUE "same-origin"
#define COEP_VALUE "require-corp"
#define CACHE_VALUE "no-cache"
#define BLOCK_BEGIN "BEGIN webdoctor"
#define BLOCK_END "END webdoctor"

/* The text written, or NULL (and nothing kept) when any write failed. */
char *wdi_deploy_finish(wd_buf *b, int rc);
/* cJSON printed (formatted, with a final newline), freeing j; NULL on out of memory. */
char *wdi_deploy_print_json(cJSON *j);
const char *wdi_deploy_threads_line(const wd_headers_plan *p);

/* one generator per host (generators.c): the file's text, or NULL on out of memory */
char *wdi_gen_nginx(const wd_headers_plan *p);
char *wdi_gen_apache(const wd_headers_plan *p);
char *wdi_gen_caddy(const wd_headers_plan *p);
char *wdi_gen_lighttpd(const wd_headers_plan *p);
char *wdi_gen_iis(const wd_headers_plan *p);
char *wdi_gen_headers_file(const wd_headers_plan *p, const char *hostkey, const char *hostname);
char *wdi_gen_vercel(const wd_headers_plan *p);
char *wdi_gen_firebase(const wd_headers_plan *p);
char *wdi_gen_azure(const wd_headers_plan *p);
char *wdi_gen_cloudfront(const wd_headers_plan *p);

#endif
