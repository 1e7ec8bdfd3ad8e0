/*
 * The language of the command line: which message catalogue is active, the
 * --lang option, and the "language" of a JSON document.
 *
 * Findings, link explanations and the reader's warnings keep their message
 * IDs and arguments (webdoctor/msg.h), and the renderers write them in
 * English and in the active language from the same values: JSON carries the
 * English prose with "<key>_localized" next to it (wd_render_options,
 * wd_link_report_options and wd_inspect_json take the active language).
 */
#ifndef WD_CLI_LANG_H
#define WD_CLI_LANG_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "webdoctor/check.h"

/* setlocale(LC_ALL, ""), bind the catalogue (installed, or the build tree's
 * for a binary run from the build tree), and pick the language from
 * LANGUAGE / LC_ALL / LC_MESSAGES / LANG even when the environment names a
 * locale that is not installed (see lang.c). */
void wd_lang_init(void);

/* --lang=LANG: "en" (or C/POSIX) for English, "zh_CN" (also zh, zh-CN,
 * zh-Hans...). Returns false when no catalogue speaks LANG; then
 * `available` (if not NULL) gets the languages there are, e.g. "en zh_CN". */
bool wd_lang_set(const char *lang, char *available, unsigned size);

/* The language of the active catalogue ("zh_CN"), or NULL when the messages
 * are English. */
const char *wd_lang_active(void);

/* "language": the active language, after "schema" in a document's root
 * object; nothing when the messages are English. */
void wd_lang_json_root(cJSON *root);

#endif
