/*
 * Internals of the JSON renderers (src/report/): a text written in English
 * under its key, followed by "<key>_localized" in the active language.
 */
#ifndef WD_REPORT_JSON_INT_H
#define WD_REPORT_JSON_INT_H

#include <cjson/cJSON.h>

#include "webdoctor/msg.h"

/* key: en; then key_localized: loc when loc is not NULL */
void wdi_json_add_text(cJSON *o, const char *key, const char *en, const char *loc);
/* key: m in English ("" for an empty message); then key_localized: m in the
 * active language when `language` is not NULL */
void wdi_json_add_msg(cJSON *o, const char *key, const wd_msg *m, const char *language);

#endif
