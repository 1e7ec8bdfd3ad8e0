/*
 * Renderers of a link result: text for people, JSON for programs (schema
 * "webdoctor.link/1", docs/json.md).
 */
#ifndef WEBDOCTOR_LINK_REPORT_H
#define WEBDOCTOR_LINK_REPORT_H

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "webdoctor/explain.h"
#include "webdoctor/link.h"
#include "webdoctor/term.h"

#define WD_LINK_SCHEMA "webdoctor.link/1"

typedef struct wd_link_report_options {
  unsigned engines;       /* bit (1u << wd_engine) per engine to show; 0 = all */
  wd_link_call call;
  const wd_link_facts *facts;
  bool verbose;           /* also list what loads without problems */
  /* the first file given was not the main module: that file, and the
   * main module found later (said before the result) */
  const char *moved_first;
  const char *main_path;
  /* JSON: the active language ("zh_CN"), whose texts are written next to
   * the English ones (text_localized...) with "language" at the root;
   * NULL: English only */
  const char *language;
} wd_link_report_options;

void wd_link_text(const wd_link_result *r, const wd_link_report_options *o, const wd_term *t);
cJSON *wd_link_json(const wd_link_result *r, const wd_link_report_options *o);

#endif
