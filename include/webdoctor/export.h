/*
 * A Godot web export folder: the HTML shell and its GODOT_CONFIG, the files
 * the engine will request, and what is actually on disk.
 *
 * wd_export_open() reads the source's listing and the shell; it does not
 * parse the .wasm or .pck files (the checks do that with the wasm and pck
 * readers, from the same source).
 */
#ifndef WEBDOCTOR_EXPORT_H
#define WEBDOCTOR_EXPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "webdoctor/error.h"
#include "webdoctor/source.h"

typedef struct wd_export_file {
  char *name;          /* relative to the folder */
  bool exists;
  uint64_t size;       /* when exists */
  bool listed_size;    /* GODOT_CONFIG.fileSizes names it */
  uint64_t expected;   /* the size fileSizes gives */
} wd_export_file;

typedef struct wd_export_folder {
  char *dir;
  char *shell;                 /* the HTML shell's file name, or NULL */
  uint32_t shell_line;         /* line of GODOT_CONFIG in the shell */
  bool has_config;
  cJSON *config;               /* GODOT_CONFIG, owned */
  char *executable;            /* GODOT_CONFIG.executable ("index") */
  char *main_pack;             /* GODOT_CONFIG.mainPack or <executable>.pck */
  bool ensure_coi;             /* ensureCrossOriginIsolationHeaders */
  char *service_worker;        /* GODOT_CONFIG.serviceWorker, or NULL */
  uint32_t nlibs;
  char **gdextension_libs;     /* GODOT_CONFIG.gdextensionLibs */
  int threads_enabled;         /* GODOT_THREADS_ENABLED in the shell: 1, 0, or -1 unknown */
  uint32_t nplaceholders;
  char **placeholders;         /* $GODOT_... left unreplaced in the shell */
  char config_error[512];      /* why a GODOT_CONFIG found in a page is not JSON, or "" */
  char config_error_en[512];   /* the same in English */
  char *config_error_file;     /* that page */
  uint32_t config_error_line, config_error_column;
  uint32_t nfiles;
  wd_export_file *files;       /* every regular file in the folder, sorted by name */
  uint64_t total_size;
  const wd_source *source;     /* where the files are read from */
  void *internal;
} wd_export_folder;

/* Read the export at the top of `src` (which must outlive it). Its files
 * are the regular files at the top level. No Godot shell is not an error:
 * shell is NULL. `dir` is the folder (or, for a zip or memory source, the
 * source's name). */
wd_status wd_export_open(const wd_source *src, wd_export_folder **out, wd_error *err);
/* Read the folder `dir` (a folder source the export owns). */
wd_status wd_export_folder_open(const char *dir, wd_export_folder **out, wd_error *err);
void wd_export_folder_free(wd_export_folder *e);

/* Look a file up by name (relative); NULL if absent from the folder. */
const wd_export_file *wd_export_folder_find(const wd_export_folder *e, const char *name);

/* Path of a file in the folder (caller frees); NULL when the source is not
 * a folder on disk. */
char *wd_export_folder_path(const wd_export_folder *e, const char *name);

/* Find GODOT_CONFIG in an HTML text: the first JSON object literal with an
 * "executable" key. *line_out gets its 1-based line. Returns NULL if none
 * (or malformed JSON; err says where). Exposed for the fuzz target. */
cJSON *wd_export_find_config(const char *html, size_t len, uint32_t *line_out, wd_error *err);

#endif
