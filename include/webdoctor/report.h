/*
 * Renderers of findings: text, JSON, SARIF, GitHub workflow annotations,
 * and the JSON of what a check looked at (its summary and load chain).
 * They depend on the finding values only, never on the checks that made them.
 */
#ifndef WEBDOCTOR_REPORT_H
#define WEBDOCTOR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "webdoctor/check.h"
#include "webdoctor/finding.h"
#include "webdoctor/term.h"

typedef struct wd_render_options {
  const char *subject;   /* what was checked, e.g. the folder path */
  bool quiet;            /* only the summary line (text), no info findings */
  const char *language;  /* JSON: the active language ("zh_CN"), whose texts are
                            written next to the English ones (message_localized...)
                            with "language" at the root; NULL: English only */
} wd_render_options;

void wd_findings_text(const wd_findings *fs, const wd_render_options *o, const wd_term *t);
cJSON *wd_findings_json(const wd_findings *fs, const wd_render_options *o);
cJSON *wd_findings_sarif(const wd_findings *fs, const wd_render_options *o);
/* ::error file=...,line=...::message lines for GitHub Actions */
void wd_findings_github(const wd_findings *fs, const wd_render_options *o, FILE *out);

#define WD_CHECK_SCHEMA "webdoctor.check/1"

/* The check summary ("target" in the JSON of check, probe and serve). */
cJSON *wd_check_summary_json(const wd_check_summary *s);
/* The stable key of a chain node's kind, as in JSON and the HTML report:
   "page", "glue", "main", "engine-side", "extension", "preset", "template". */
const char *wd_chain_kind_key(wd_chain_kind k);

#endif
