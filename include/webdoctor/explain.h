/*
 * Explanations of link problems for people: what happened, why, and the
 * fixes ranked by what the files show. Strings are translated; engine texts
 * are quoted verbatim.
 */
#ifndef WEBDOCTOR_EXPLAIN_H
#define WEBDOCTOR_EXPLAIN_H

#include <stdbool.h>

#include "webdoctor/link.h"

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
  char text[2048];
  char tradeoff[256];
} wd_link_fix;

typedef struct wd_link_explanation {
  char summary[512];
  char why[1024];
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

void wd_link_explain(const wd_link_result *r, const wd_link_problem *p,
                     const wd_link_facts *facts, wd_link_explanation *out);

#endif
