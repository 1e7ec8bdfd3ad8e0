/*
 * `webdoctor check`: every reason an export folder or a Godot project will
 * not load in a browser, as findings.
 *
 * Checks take models (wasm modules, the export folder, ConfigFiles, the
 * .pck, the link model's result) and add findings; they read files only
 * through the readers.
 */
#ifndef WEBDOCTOR_CHECK_H
#define WEBDOCTOR_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "webdoctor/error.h"
#include "webdoctor/finding.h"
#include "webdoctor/source.h"

typedef enum wd_host {
  WD_HOST_UNKNOWN = 0,
  WD_HOST_ITCH,
  WD_HOST_NEWGROUNDS,
  WD_HOST_GITHUB_PAGES,
  WD_HOST_GITLAB_PAGES,
  WD_HOST_NETLIFY,
  WD_HOST_CLOUDFLARE,
  WD_HOST_VERCEL,
  WD_HOST_FIREBASE,
  WD_HOST_AZURE,
  WD_HOST_CLOUDFRONT,
  WD_HOST_NGINX,
  WD_HOST_APACHE,
  WD_HOST_CADDY,
  WD_HOST_LIGHTTPD,
  WD_HOST_IIS,
  WD_HOST_COUNT
} wd_host;

/* How a host gets a page the cross-origin isolation headers (COOP/COEP). */
typedef enum wd_isolation {
  WD_ISOLATION_CONFIG = 0,      /* from a configuration file it reads */
  WD_ISOLATION_OPTION,          /* a setting of the host (itch.io's "SharedArrayBuffer support") */
  WD_ISOLATION_SERVICE_WORKER,  /* it sends no headers, but serves the page itself: a service
                                   worker in the export adds them */
  WD_ISOLATION_NONE             /* no known way */
} wd_isolation;

typedef struct wd_host_info {
  wd_host id;
  const char *key;            /* "itch", "github-pages", ... */
  const char *name;           /* "itch.io" */
  bool can_set_headers;       /* COOP/COEP configurable (isolation is CONFIG or OPTION) */
  uint32_t max_files;         /* 0 = no known limit */
  uint64_t max_file_size;     /* bytes, 0 = none known */
  uint64_t max_total_size;    /* bytes, 0 = none known */
  wd_isolation isolation;     /* how COOP/COEP are sent there: check, headers --list and the
                                 headers plan read it */
} wd_host_info;

const wd_host_info *wd_host_get(wd_host h);
/* The host is known and cannot send COOP/COEP (GitHub Pages, GitLab Pages):
 * a threaded export there needs a service worker (Godot's PWA option). The
 * one rule behind check's WD203 severity (an error on such a host) and
 * fix's turning the PWA option on. */
bool wd_host_cannot_isolate(wd_host h);
/* Parse a host name; on failure *suggest gets the closest known key. */
bool wd_host_parse(const char *s, wd_host *out, const char **suggest);

typedef struct wd_check_options {
  wd_host host;               /* where it will be served, if known */
  bool no_code;               /* skip the instruction walk (features from types only) */
  uint32_t threads;           /* threads decoding a code section (0: one per CPU) */
  /* For a caller that measured the served export itself (probe): the
     checks it answers with what it measured are left out: cross-origin
     isolation (WD203), upload limits (WD210), unlisted builds (WD207,
     never requested), and a missing file (WD201) among `measured`. */
  bool served;
  const char *const *measured; /* files the caller requested */
  uint32_t nmeasured;
} wd_check_options;

typedef enum wd_check_kind {
  WD_CHECKED_EXPORT = 0,      /* a web export folder */
  WD_CHECKED_PROJECT = 1      /* a Godot project folder */
} wd_check_kind;

/* One link of the load chain: page -> glue -> engine -> engine side ->
 * extensions (export), or preset -> template -> extensions (project). */
typedef enum wd_chain_kind {
  WD_CHAIN_PAGE = 0,          /* the HTML shell (and the headers it needs) */
  WD_CHAIN_GLUE,              /* index.js */
  WD_CHAIN_MAIN,              /* index.wasm */
  WD_CHAIN_ENGINE_SIDE,       /* index.side.wasm */
  WD_CHAIN_EXTENSION,         /* a GDExtension side module */
  WD_CHAIN_PRESET,            /* a Web export preset */
  WD_CHAIN_TEMPLATE           /* the export template the preset uses */
} wd_chain_kind;

#define WD_CHAIN_MAX 24

typedef struct wd_chain_node {
  wd_chain_kind kind;
  char name[128];             /* file or preset name */
  char file[256];             /* its file relative to the checked folder (for
                                 reports that read it again), or "" */
  int shared;                 /* memory shared: 1, 0, -1 unknown / not a module */
  char emscripten[32];        /* version from producers, or "" */
  wd_severity verdict;        /* worst finding about this node */
  bool has_findings;
  char edge_message[512];     /* the browser's text on the edge into this node, or "" */
} wd_chain_node;

/* A few facts for the summary line. */
typedef struct wd_check_summary {
  wd_check_kind kind;
  char engine[256];           /* engine .wasm (export) */
  int threads;                /* engine or preset thread support: 1, 0, -1 unknown */
  bool dlink;                 /* extensions support */
  uint32_t nextensions;
  uint32_t npresets;          /* Web presets (project) */
  char godot_version[32];     /* from the .pck or project.godot, "" if unknown */
  uint32_t nchain;
  wd_chain_node chain[WD_CHAIN_MAX]; /* the load chain, in load order */
} wd_check_summary;

/* Check `dir`: a project when it holds project.godot, else an export
 * folder; or a .zip of an export (read in memory, see wd_check_zip).
 * Findings are appended to `out` (sorted). Fails (exit status 2) only when
 * `dir` cannot be read at all; problems in files are findings. */
wd_status wd_check_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                       wd_check_summary *summary, wd_error *err);

wd_status wd_check_export_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                              wd_check_summary *summary, wd_error *err);
/* The export at the top of `src` (a folder, a zip, files in memory). */
wd_status wd_check_export_source(const wd_source *src, const wd_check_options *o, wd_findings *out,
                                 wd_check_summary *summary, wd_error *err);
/* A zip of an export, as a host that takes zip uploads unpacks it: the
 * export found in it (at the top, or the folder holding it: WD213), then
 * what only a zip gets wrong: names differing only in case (WD214), the
 * host's limits over every entry (WD215), damaged entries or a truncated
 * archive (WD216; the check of a zip whose directory cannot be read stops
 * there). `src` must be a zip source. */
wd_status wd_check_zip_source(const wd_source *src, const wd_check_options *o, wd_findings *out,
                              wd_check_summary *summary, wd_error *err);
/* Open the zip `path` and check it; a truncated or damaged archive is the
 * finding WD216, not a failure. */
wd_status wd_check_zip(const char *path, const wd_check_options *o, wd_findings *out, wd_check_summary *summary,
                       wd_error *err);
/* The same for a zip already in memory (a browser page's file): `name` is
 * how findings and errors call it; the bytes are borrowed. */
wd_status wd_check_zip_memory(const char *name, const uint8_t *data, uint64_t size, const wd_check_options *o,
                              wd_findings *out, wd_check_summary *summary, wd_error *err);
wd_status wd_check_project_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                               wd_check_summary *summary, wd_error *err);

#endif
