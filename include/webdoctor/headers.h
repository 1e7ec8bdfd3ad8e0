/*
 * `webdoctor headers`: the configuration a hosting service or web server
 * needs to serve a Godot web export: cross-origin isolation (COOP/COEP)
 * for threaded exports, application/wasm, precompressed files, caching;
 * for hosts that cannot send headers, a service worker that adds them; for
 * upload sites, step-by-step instructions.
 *
 * wd_headers_plan_make() decides what to write (it reads the export when
 * given a folder); wd_headers_write() writes it: through a temporary file
 * and a rename, merging with what is there (a marked block in text formats,
 * keys in JSON formats) and never replacing an existing file without a
 * backup. Nothing that must not be published lands in the export folder:
 * server configuration and every backup go to the folder beside it,
 * EXPORT.webdoctor (wd_headers_outside_dir()).
 */
#ifndef WEBDOCTOR_HEADERS_H
#define WEBDOCTOR_HEADERS_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "webdoctor/check.h"
#include "webdoctor/error.h"

#define WD_HEADERS_SCHEMA "webdoctor.headers/1"

/* How a planned file is combined with one that exists. */
typedef enum wd_headers_merge {
  WD_MERGE_REPLACE = 0,   /* the file is ours: replaced (after a backup) */
  WD_MERGE_BLOCK,         /* text: our lines between "BEGIN webdoctor" / "END webdoctor" markers */
  WD_MERGE_JSON,          /* JSON: our keys set, the others kept */
  WD_MERGE_HTML_SCRIPT    /* the HTML shell: a <script src> added at the top of <head> */
} wd_headers_merge;

typedef enum wd_threads_source {
  WD_THREADS_FROM_OPTION = 0, /* --threads / --no-threads */
  WD_THREADS_FROM_ENGINE,     /* the engine .wasm's memory is shared (or not) */
  WD_THREADS_FROM_SHELL,      /* GODOT_THREADS_ENABLED in the HTML shell */
  WD_THREADS_DEFAULT,         /* nothing to read: assumed without threads */
  WD_THREADS_FROM_PRESET      /* --dir is a Godot project: its Web preset's Thread Support */
} wd_threads_source;

typedef struct wd_headers_file {
  char *name;             /* relative to the export folder: ".htaccess", "_headers" */
  char *content;          /* the whole file as webdoctor writes it when none exists */
  wd_headers_merge merge;
  char *where;            /* where it goes, translated ("the export folder (next to index.html)") */
  bool outside;           /* not for the deployed folder (server configuration): --write puts it
                             in the folder beside the export (wd_headers_outside_dir()) */
} wd_headers_file;

typedef struct wd_headers_options {
  wd_host host;
  int threads;            /* 1 or 0 to force; -1: read the export (without threads when no dir) */
  const char *dir;        /* the export folder, or NULL */
} wd_headers_options;

typedef struct wd_headers_plan {
  wd_host host;
  bool threads;                 /* COOP/COEP are part of the plan */
  wd_threads_source threads_from;
  bool service_worker;          /* the plan installs the cross-origin-isolation service worker */
  char *shell;                  /* the export's HTML shell, or "index.html" */
  uint32_t nfiles;
  wd_headers_file *files;
  uint32_t nsteps;
  char **steps;                 /* what to do, in order (translated) */
  uint32_t nnotes;
  char **notes;                 /* limits and warnings found in the export (translated) */
  char *preset;                 /* --dir is a Godot project: its Web preset's name, or NULL */
  char *export_dir;             /* --dir is a Godot project: the folder its Web preset exports to
                                   (from export_path; "" when the path is empty), else NULL */
  char *nothing_to_write;       /* why the plan has no file (translated), or NULL */
} wd_headers_plan;

/* How `host` gets COOP/COEP (wd_host_info.isolation), the same words for
 * headers --list, the plan and their JSON: a key ("config", "option",
 * "service-worker", "none") and a short translated summary. */
const char *wd_headers_isolation_key(wd_host host);
const char *wd_headers_isolation_summary(wd_host host);

/* Plan the configuration for o->host. Fails on an unreadable folder (exit 2),
 * never on what the export contains. */
wd_status wd_headers_plan_make(const wd_headers_options *o, wd_headers_plan **out, wd_error *err);
void wd_headers_plan_free(wd_headers_plan *p);

typedef enum wd_write_action {
  WD_WRITE_CREATED = 0,
  WD_WRITE_UPDATED,
  WD_WRITE_UNCHANGED
} wd_write_action;

typedef struct wd_headers_written {
  char *name;
  char *path;             /* where it was written: DIR/NAME, or OUTSIDE/NAME for server configuration */
  wd_write_action action;
  char *backup;           /* path of the copy of the previous version (in OUTSIDE, never in DIR), or NULL */
} wd_headers_written;

typedef struct wd_headers_report {
  uint32_t n;
  wd_headers_written *v;
  char *outside;          /* the folder beside the export, when anything was written there; else NULL */
} wd_headers_report;

/* The folder beside the export folder `dir` where --write puts what must not
 * be published (server configuration, backups): "build/web" -> "build/web.webdoctor"
 * ("." and ".." are resolved first). NULL with err set when `dir` has no
 * parent ("/"). */
char *wd_headers_outside_dir(const char *dir, wd_error *err);

/* Write every file of the plan (a plan made for a Godot project folder is
 * refused: its files belong in the export folder, plan->export_dir): the deployed ones into `dir`, server
 * configuration into wd_headers_outside_dir(dir). An existing file is
 * copied to OUTSIDE/NAME.bak first (NAME.bak.1, NAME.bak.2, ... when that
 * exists: a backup is never overwritten). Stops at the first failure: the
 * files written before it stay written (each one whole), and err names the
 * file. A JSON file that cannot be parsed is not touched (WD_ERR_MALFORMED,
 * with its line and column). */
wd_status wd_headers_write(const wd_headers_plan *p, const char *dir, wd_headers_report *report,
                           wd_error *err);
void wd_headers_report_free(wd_headers_report *r);

/* Combine `planned` with the text of an existing file (exposed for tests):
 * returns a new string, or NULL with err set. */
char *wd_headers_merge_text(const wd_headers_file *planned, const char *existing, size_t len,
                            wd_error *err);

/* The plan (and the report when given) as JSON, schema webdoctor.headers/1. */
cJSON *wd_headers_plan_json(const wd_headers_plan *p, const wd_headers_report *written);

/* The cross-origin-isolation service worker (src/net/coi-serviceworker.js). */
const char *wd_coi_serviceworker_js(void);
#define WD_COI_SW_NAME "coi-serviceworker.js"

#endif
