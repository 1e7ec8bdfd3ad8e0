/* The cross-origin-isolation service worker (coi-serviceworker.js), embedded
 * by the build (cmake/embed.cmake). */
#include <stddef.h>

#include "webdoctor/headers.h"

extern const char wd_coi_sw_source[];

const char *wd_coi_serviceworker_js(void) { return wd_coi_sw_source; }
