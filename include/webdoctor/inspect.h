/*
 * `webdoctor inspect`: render what a module is, for people (text) and for
 * programs (JSON, schema "webdoctor.inspect/1", documented in docs/json.md).
 */
#ifndef WEBDOCTOR_INSPECT_H
#define WEBDOCTOR_INSPECT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "webdoctor/term.h"
#include "webdoctor/wasm.h"

#define WD_INSPECT_SCHEMA "webdoctor.inspect/1"

typedef struct wd_inspect_options {
  bool summary;   /* the one-screen overview */
  bool sections;  /* full section list */
  bool imports;   /* full import list */
  bool exports;   /* full export list */
  bool features;  /* features with where each comes from and browser versions */
} wd_inspect_options;

/* Print `m` (shown as `name`) to t->out. */
void wd_inspect_text(const wd_module *m, const char *name, const wd_inspect_options *o,
                     const wd_term *t);

/* Everything about `m` as a JSON object (caller owns it); NULL on OOM.
 * Texts are in English; with `language` (the active language, "zh_CN"),
 * each is followed by its "<key>_localized" twin in that language. */
cJSON *wd_inspect_json(const wd_module *m, const char *name, const char *language);

/* Facts shared by the renderers ------------------------------------- */

/* The tool versions recorded in the producers section, e.g.
 * "Emscripten 3.1.64, clang 19.0.0"; "" when absent. */
void wd_module_producers_str(const wd_module *m, char *buf, unsigned size);

#endif
