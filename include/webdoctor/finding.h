/*
 * Findings: what `check` (and `probe`, `serve`) report.
 *
 * A finding has a stable ID (WD1xx wasm/link, WD2xx export folder, WD3xx
 * project, WD4xx HTTP/hosting), a severity, a location (file and byte
 * offset, or line and column), a message, an explanation, and fixes ranked
 * best first. The same list feeds every renderer (webdoctor/report.h).
 * src/finding/catalogue.def lists every ID; docs/findings.md documents them.
 */
#ifndef WEBDOCTOR_FINDING_H
#define WEBDOCTOR_FINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "webdoctor/msg.h"

typedef enum wd_severity {
  WD_SEV_INFO = 0,
  WD_SEV_WARNING = 1,
  WD_SEV_ERROR = 2
} wd_severity;

/* One constant per finding ID (WD101...), from src/finding/catalogue.def:
 * a finding of an ID the catalogue does not have does not compile. */
typedef enum wd_finding_id {
#define WD_FINDING(id, key, sev, also, title, sevdoc, doc) id,
#include "../../src/finding/catalogue.def" /* the library's one table */
#undef WD_FINDING
  WD_FINDING_COUNT
} wd_finding_id;

/* Texts are messages rendered late (webdoctor/msg.h): each renderer writes
 * them in its language with wd_msg_str. */
typedef struct wd_finding_fix {
  wd_msg text;
  wd_msg tradeoff;   /* tradeoff.id NULL: none */
} wd_finding_fix;

/* What one browser engine prints, verbatim. */
typedef struct wd_finding_engine_text {
  const char *engine;    /* "Chrome 156 (V8)", static */
  char *text;            /* one line */
} wd_finding_engine_text;

typedef struct wd_finding {
  wd_finding_id code;
  const char *id;        /* "WD101", static (the catalogue's) */
  wd_severity severity;
  char *file;            /* relative to the checked folder, or NULL */
  uint64_t offset;       /* byte offset when has_offset */
  bool has_offset;
  uint32_t line, column; /* 1-based, 0 = unknown */
  wd_msg message;        /* one line */
  wd_msg explanation;    /* explanation.id NULL: none */
  char *engine_message;  /* the browsers' exact texts (verbatim), may be NULL: one
                            "engine: text" line per engine_texts entry, or one text
                            set with wd_finding_set_engine_message */
  uint32_t nengine_texts;
  wd_finding_engine_text *engine_texts;
  uint32_t nfixes;
  wd_finding_fix *fixes;
} wd_finding;

typedef struct wd_findings {
  uint32_t n, cap;
  wd_finding *v;
} wd_findings;

#define WD_FINDINGS_INIT {0, 0, NULL}

/* Add a finding of the catalogue's severity for its ID. `fmt` is the
 * message ID, untranslated (N_("...")), and its arguments are kept
 * (webdoctor/msg.h: strings copied, W_("word") for a translatable word);
 * each renderer translates. Returns the new finding (to set the location or
 * add fixes) or NULL on out of memory. */
wd_finding *wd_findings_add(wd_findings *fs, wd_finding_id id, const char *file, const char *fmt, ...)
  __attribute__((format(printf, 4, 5)));
/* The same for a message with a count: wd_findings_addn(fs, id, file, n,
 * NP_("%u file of %s", "%u files of %s"), n, name). */
wd_finding *wd_findings_addn(wd_findings *fs, wd_finding_id id, const char *file, unsigned long n,
                             const char *one, const char *other, ...) __attribute__((format(printf, 5, 7)));
/* The same with a message made beforehand, which is taken (left empty). */
wd_finding *wd_findings_add_msg(wd_findings *fs, wd_finding_id id, wd_severity sev, const char *file,
                                wd_msg *msg);
/* The same with one of the other severities the catalogue documents for the
 * ID ("also"); any other severity is a programming error (assert), and a
 * release build then keeps the catalogue's. */
wd_finding *wd_findings_add_as(wd_findings *fs, wd_finding_id id, wd_severity sev, const char *file,
                               const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The explanation and the fixes: message IDs as for wd_findings_add. A fix
 * and its trade-off take no arguments (wd_finding_add_fix_msg for those). */
int wd_finding_explain(wd_finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int wd_finding_explain_msg(wd_finding *f, wd_msg *msg); /* taken */
int wd_finding_add_fix(wd_finding *f, const char *text, const char *tradeoff);
/* tradeoff may be NULL or empty; both are taken */
int wd_finding_add_fix_msg(wd_finding *f, wd_msg *text, wd_msg *tradeoff);
int wd_finding_set_engine_message(wd_finding *f, const char *msg);
/* Add what `engine` (a static name) prints; engine_message gets its line. */
int wd_finding_add_engine_text(wd_finding *f, const char *engine, const char *text);
void wd_findings_free(wd_findings *fs);
/* Append every finding of `from` to `to`, leaving `from` empty; -1 on out
 * of memory (both unchanged). */
int wd_findings_move(wd_findings *to, wd_findings *from);
/* Stable order: severity (errors first), then ID, then file, then position,
 * then the message in the active language. */
void wd_findings_sort(wd_findings *fs);
/* The order of wd_findings_sort with the message in English (english) or
 * the active language, for two findings. */
int wd_finding_cmp(const wd_finding *a, const wd_finding *b, bool english);
uint32_t wd_findings_count(const wd_findings *fs, wd_severity sev);

/* A finding's texts written in one language: English (english) or the
 * active one. */
typedef struct wd_finding_texts {
  char *message;
  char *explanation;     /* NULL: none */
  uint32_t nfixes;
  char **fix;            /* nfixes texts */
  char **tradeoff;       /* nfixes, each NULL when the fix has none */
} wd_finding_texts;

/* 0, or -1 on out of memory (then *t is empty). */
int wd_finding_texts_make(const wd_finding *f, bool english, wd_finding_texts *t);
void wd_finding_texts_free(wd_finding_texts *t);

/* The catalogue: every ID with its key, title (translatable), severity, the
 * other severities it may have, and its documentation line. */
typedef struct wd_rule {
  const char *id;
  const char *key;       /* short stable name, "shared-memory-mismatch" */
  const char *title;     /* N_() */
  wd_severity severity;
  unsigned also;         /* bit (1u << severity) for each other allowed severity */
  const char *severity_doc; /* docs/findings.md's severity column */
  const char *doc;          /* docs/findings.md's "what" column */
} wd_rule;

const wd_rule *wd_rule_of(wd_finding_id id);
/* By ID text ("WD101"); NULL when the catalogue has no such ID. */
const wd_rule *wd_rule_get(const char *id);
const wd_rule *wd_rules(uint32_t *count);

#endif
