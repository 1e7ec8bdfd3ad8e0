/*
 * Findings: what `check` (and `probe`, `serve`) report.
 *
 * A finding has a stable ID (WD1xx wasm/link, WD2xx export folder, WD3xx
 * project, WD4xx HTTP/hosting), a severity, a location (file and byte
 * offset, or line and column), a message, an explanation, and fixes ranked
 * best first. The same list feeds every renderer: text, JSON, SARIF,
 * GitHub workflow annotations. docs/findings.md lists every ID.
 */
#ifndef WEBDOCTOR_FINDING_H
#define WEBDOCTOR_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "webdoctor/term.h"

typedef enum wd_severity {
  WD_SEV_INFO = 0,
  WD_SEV_WARNING = 1,
  WD_SEV_ERROR = 2
} wd_severity;

typedef struct wd_finding_fix {
  char *text;
  char *tradeoff;   /* may be NULL */
} wd_finding_fix;

typedef struct wd_finding {
  const char *id;        /* "WD101", static */
  wd_severity severity;
  char *file;            /* relative to the checked folder, or NULL */
  uint64_t offset;       /* byte offset when has_offset */
  bool has_offset;
  uint32_t line, column; /* 1-based, 0 = unknown */
  char *message;         /* one line */
  char *explanation;     /* may be NULL */
  char *engine_message;  /* the browser's exact text (verbatim), may be NULL */
  uint32_t nfixes;
  wd_finding_fix *fixes;
} wd_finding;

typedef struct wd_findings {
  uint32_t n, cap;
  wd_finding *v;
} wd_findings;

#define WD_FINDINGS_INIT {0, 0, NULL}

/* Add a finding; strings are copied. Returns the new finding (to set the
 * location or add fixes) or NULL on out of memory. */
wd_finding *wd_findings_add(wd_findings *fs, const char *id, wd_severity sev, const char *file,
                            const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int wd_finding_explain(wd_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wd_finding_add_fix(wd_finding *f, const char *text, const char *tradeoff);
int wd_finding_set_engine_message(wd_finding *f, const char *msg);
void wd_findings_free(wd_findings *fs);
/* Stable order: severity (errors first), then ID, then file, then position. */
void wd_findings_sort(wd_findings *fs);
uint32_t wd_findings_count(const wd_findings *fs, wd_severity sev);

/* The catalogue: every ID with its title (translatable) and default severity. */
typedef struct wd_rule {
  const char *id;
  const char *key;       /* short stable name, "shared-memory-mismatch" */
  const char *title;     /* N_() */
  wd_severity severity;
} wd_rule;

const wd_rule *wd_rule_get(const char *id);
const wd_rule *wd_rules(uint32_t *count);

/* ---- renderers -------------------------------------------------------- */

typedef struct wd_render_options {
  const char *subject;   /* what was checked, e.g. the folder path */
  bool quiet;            /* only the summary line (text), no info findings */
} wd_render_options;

void wd_findings_text(const wd_findings *fs, const wd_render_options *o, const wd_term *t);
cJSON *wd_findings_json(const wd_findings *fs, const wd_render_options *o);
cJSON *wd_findings_sarif(const wd_findings *fs, const wd_render_options *o);
/* ::error file=...,line=...::message lines for GitHub Actions */
void wd_findings_github(const wd_findings *fs, const wd_render_options *o, FILE *out);

#define WD_CHECK_SCHEMA "webdoctor.check/1"

#endif
