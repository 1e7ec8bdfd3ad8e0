/*
 * `webdoctor fix`: make a Godot project's Web export load, by editing
 * export_presets.cfg and the .gdextension files, safely.
 *
 * A strategy picks the side of the thread divide:
 *  - nothreads: Thread Support off in the Web presets; each .gdextension's
 *    web.debug.wasm32 / web.release.wasm32 point at builds without threads
 *    that are in the project (their memory is not shared), and the threaded
 *    builds stay reachable under web.debug.threads.wasm32 /
 *    web.release.threads.wasm32;
 *  - threads: Thread Support on; the PWA service worker adds the
 *    cross-origin isolation headers when the host cannot send them; each
 *    .gdextension's web.*.threads.wasm32 keys point at threaded builds;
 *  - auto: nothreads when every extension has a build without threads,
 *    threads when one only exists threaded.
 *
 * wd_fix_plan_make() reads everything and computes the new text of every
 * file to change, without writing; wd_fix_apply() writes them: each file
 * through a temporary file in its folder (written, fsync'ed, renamed over
 * the original, the folder fsync'ed), after a copy of the original as
 * FILE.bak (FILE.bak.1, ... when a backup exists: none is ever overwritten),
 * and only if the file is still what was read (size, modification time and
 * content). Each file is then wholly old or wholly new, whenever the process
 * is stopped. Edits change only the bytes of the values they set (or insert
 * one line); every other byte is kept.
 *
 * Nothing here prints.
 */
#ifndef WEBDOCTOR_FIX_H
#define WEBDOCTOR_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "webdoctor/check.h"
#include "webdoctor/error.h"
#include "webdoctor/finding.h"

typedef enum wd_fix_strategy {
  WD_FIX_AUTO = 0,
  WD_FIX_NOTHREADS,
  WD_FIX_THREADS
} wd_fix_strategy;

/* "auto", "nothreads", "threads" (stable, untranslated) */
const char *wd_fix_strategy_name(wd_fix_strategy s);
bool wd_fix_strategy_parse(const char *s, wd_fix_strategy *out);

typedef struct wd_fix_options {
  wd_fix_strategy strategy;
  const char *preset;      /* only the Web preset of this name; NULL: every Web preset */
  wd_host host;            /* where the export will be served; WD_HOST_UNKNOWN if not said */
} wd_fix_options;

/* One change, for people: which key of which file, from what to what. */
typedef struct wd_fix_change {
  char *section;           /* "preset.0.options", "libraries" */
  char *key;               /* "variant/thread_support" */
  char *old_value;         /* the value text as written, or NULL when the key was added */
  char *new_value;         /* the value text written */
  char *why;               /* one line, translated */
} wd_fix_change;

/* A file to change. */
typedef struct wd_fix_file {
  char *rel;               /* relative to the project: "addons/x/x.gdextension" */
  char *path;              /* on disk */
  char *old_text;          /* as read */
  size_t old_len;
  char *new_text;          /* to write */
  size_t new_len;
  /* what was read: the write is refused when any of these changed */
  uint64_t dev, ino, size;
  int64_t mtime_sec, mtime_nsec;
  uint32_t mode;
  uint32_t nchanges;
  wd_fix_change *changes;
  bool written;            /* set by wd_fix_apply */
  char *backup;            /* set by wd_fix_apply: the copy of old_text, ".bak" or ".bak.N"
                              appended to rel (a backup is never overwritten: ".bak" is the
                              file before the first fix) */
} wd_fix_file;

/* What fix cannot do by editing: an extension without the builds the
 * strategy needs, and what to do about it. */
typedef struct wd_fix_missing {
  char *extension;         /* relative path of the .gdextension */
  bool threads;            /* true: no threaded build; false: no build without threads */
  char *advice;            /* translated, one paragraph */
} wd_fix_missing;

typedef struct wd_fix_plan {
  char *dir;
  wd_fix_strategy asked;
  wd_fix_strategy strategy;    /* as decided (never AUTO) */
  char *reason;                /* why this strategy (translated) */
  wd_msg reason_msg;           /* the same as a message, for another language */
  wd_host host;
  uint32_t npresets;           /* Web presets changed or checked */
  char **presets;              /* their names */
  uint32_t nfiles;             /* files to change (with changes only) */
  wd_fix_file *files;
  uint32_t nmissing;
  wd_fix_missing *missing;
  uint32_t nkept;              /* what was left alone on purpose, and why (translated) */
  char **kept;
  char *headers_advice;        /* threads: what the server must send; else NULL */
  char *headers_command;       /* threads: "webdoctor headers --host KEY" (HOST when unknown); else NULL */
  wd_findings before;          /* `check` of the project before the fix */
  wd_findings after;           /* after wd_fix_apply (empty before) */
  bool checked_after;
} wd_fix_plan;

/* Read the project at `dir` and compute the changes. Fails with
 * WD_ERR_USAGE (not a Godot project, no Web preset, unknown --preset),
 * WD_ERR_MALFORMED (a file that must be edited cannot be parsed; err names
 * file:line:column), WD_ERR_IO or WD_ERR_NOMEM. */
wd_status wd_fix_plan_make(const char *dir, const wd_fix_options *o, wd_fix_plan **out, wd_error *err);
void wd_fix_plan_free(wd_fix_plan *p);

/* Write the plan's files, in order; then run `check` again into p->after.
 * Refuses before writing anything when a file or its folder is not
 * writable; refuses a file (WD_ERR_CONFLICT) that changed since it was read
 * (files written before it stay written: each is complete and has its .bak).
 * Stray temporary files of an interrupted earlier run (.NAME.wdfix-*) next
 * to a file being written are removed.
 *
 * For tests only: WEBDOCTOR_FIX_KILL_AT=N in the environment makes the
 * process kill itself with SIGKILL at its Nth write step (steps are counted
 * from 1 over every file: create, write, fsync, rename, fsync folder, for
 * the .bak and then the file); WEBDOCTOR_FIX_STEP_DELAY_MS=N sleeps N ms
 * before every step, so a test can kill it from outside at random times. */
wd_status wd_fix_apply(wd_fix_plan *p, wd_error *err);

/* The number of write steps wd_fix_apply takes for this plan. */
uint32_t wd_fix_steps(const wd_fix_plan *p);

/* Every change as one unified diff ("--- a/FILE", "+++ b/FILE", hunks with
 * 3 lines of context), files in plan order. malloc'ed, NUL-terminated; NULL
 * when out of memory. "" when there is nothing to change. */
char *wd_fix_diff(const wd_fix_plan *p);

/* A unified diff of two texts, by lines (Myers' O(ND) algorithm).
 * Returns "" for equal texts; NULL when out of memory. A last line without
 * a line ending is marked "\ No newline at end of file", as diff(1) does. */
char *wd_diff_unified(const char *a, size_t alen, const char *b, size_t blen, const char *a_name,
                      const char *b_name, unsigned context);

/* The plan as JSON (schema webdoctor.fix/1, docs/json.md). */
cJSON *wd_fix_json(const wd_fix_plan *p, bool applied);

#endif
