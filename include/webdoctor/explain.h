/*
 * Explanations of link problems for people: what happened, why, and the
 * fixes ranked by what the files show. Texts are messages rendered late
 * (webdoctor/msg.h): written in a language with wd_msg_str; engine texts
 * are quoted verbatim.
 */
#ifndef WEBDOCTOR_EXPLAIN_H
#define WEBDOCTOR_EXPLAIN_H

#include <stdbool.h>

#include "webdoctor/link.h"
#include "webdoctor/msg.h"

#define WD_LINK_MAX_FIXES 3

typedef enum wd_fix_kind {
  WD_FIX_NOTHREADS = 0, /* turn threads off: nothreads templates and extension builds */
  WD_FIX_THREADS,       /* turn threads on: threaded builds + COOP/COEP */
  WD_FIX_REBUILD,       /* rebuild a module to match the other */
  WD_FIX_REEXPORT,      /* use files of one build / export again */
  WD_FIX_ADD_FILE       /* ship a missing file */
} wd_fix_kind;

typedef struct wd_link_fix {
  wd_fix_kind kind;
  wd_msg text;
  wd_msg tradeoff;
} wd_link_fix;

typedef struct wd_link_explanation {
  wd_msg summary;
  wd_msg why;
  unsigned nfixes;
  wd_link_fix fixes[WD_LINK_MAX_FIXES];
} wd_link_explanation;

/* Facts from outside the modules that change the ranking of fixes. */
typedef struct wd_link_facts {
  bool threads_needed;    /* the project needs threads: prefer turning them on */
  bool prefer_nothreads;  /* e.g. every extension has a nothreads build */
  const char *alt_build;  /* the builds of the side module with the engine's
                             thread setting that are in the project, as the
                             .gdextension keys `fix` sets: "KEY = \"res://...\"; ...";
                             or NULL */
} wd_link_facts;

/* Fills *out, to be freed with wd_link_explanation_free; a text that does
 * not fit in memory is left empty. */
void wd_link_explain(const wd_link_result *r, const wd_link_problem *p,
                     const wd_link_facts *facts, wd_link_explanation *out);
void wd_link_explanation_free(wd_link_explanation *e);

#endif
