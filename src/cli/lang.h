/*
 * The language of the command line: which message catalogue is active, the
 * --lang option, and JSON that carries the English prose next to the
 * localized one.
 *
 * Findings keep their message IDs and arguments, and the renderers write
 * them in English and in the active language from the same findings
 * (wd_render_options.language). The reports of inspect and link still word
 * their texts as they are built: their English JSON comes from a second
 * rendering with the messages category forced to "C".
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

/* Messages in English (on) or back in the chosen language (off). */
void wd_lang_english(bool on);

/* Walk `en` (the JSON of a run in English) and `loc` (the same JSON built
 * in the active language) in step, and next to every prose string of `en`
 * (keys message, explanation, text, tradeoff, summary, why) add
 * "<key>_localized" with the localized text. Engine messages and every
 * other key stay as they are. */
void wd_lang_json(cJSON *en, const cJSON *loc);

/* "language": the active language, after "schema" in a document's root
 * object; nothing when the messages are English. */
void wd_lang_json_root(cJSON *root);

#endif
