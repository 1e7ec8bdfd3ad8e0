/*
 * A Godot project folder as its Web export sees it: the .gdextension (and
 * .csproj) files in it, its Godot version, and the web builds of each
 * extension that are present.
 *
 * Used by `check` (which problems) and `fix` (which change): both must see
 * the same files and the same builds.
 */
#ifndef WEBDOCTOR_PROJECT_H
#define WEBDOCTOR_PROJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/cfg.h"
#include "webdoctor/error.h"
#include "webdoctor/gdextension.h"

/* A list of malloc'ed paths. */
typedef struct wd_path_list {
  char **v;
  uint32_t n, cap;
} wd_path_list;

#define WD_PATH_LIST_INIT {NULL, 0, 0}

void wd_path_list_free(wd_path_list *l);

/* Find the .gdextension and .csproj files under `dir`, as paths relative to
 * it, each list sorted. Hidden folders (.godot, .git) and node_modules are
 * skipped, like Godot's own scan; depth (12) and the number of entries read
 * (200000) are bounded. Either list may be NULL. Fails only when out of
 * memory; an unreadable folder is skipped. */
wd_status wd_project_scan(const char *dir, wd_path_list *gdextensions, wd_path_list *csprojs,
                          wd_error *err);

/* The Godot 4 minor version that project.godot's
 * config/features=PackedStringArray("4.3", ...) records (3 for 4.3), or 0
 * when unknown. `label` (may be NULL) receives "Godot 4.3". */
int wd_project_godot_minor(const wd_cfg *project, char *label, size_t label_size);

/* A WebAssembly side module that is a web build of an extension. */
typedef struct wd_web_build {
  char *path;      /* relative to the project folder when inside it, else as resolved */
  char *file;      /* the path on disk */
  bool shared;     /* its memory is shared: built with threads */
  bool named;      /* a [libraries] key of the extension names it */
} wd_web_build;

typedef struct wd_web_builds {
  wd_web_build *v;
  uint32_t n;
} wd_web_builds;

/* The web builds of extension `g` present in the project at `project_dir`:
 * the side modules (dylink.0) that its [libraries] keys name (web keys
 * first, in file order), then the other side modules in the folders of any
 * of its libraries (sorted by name; at most 256 .wasm files a folder).
 * Whether a build has threads is read from its memory, never from its name.
 * In a folder that several extensions share, a file counts as this
 * extension's when it exports the extension's entry_symbol or, when no file
 * there exports it, when its name starts like one of the extension's library
 * names (up to the first '.': "liblimboai"). Fails only when out of memory. */
wd_status wd_gdext_web_builds(const wd_gdextension *g, const char *project_dir, wd_web_builds *out,
                              wd_error *err);
void wd_web_builds_free(wd_web_builds *b);

/* The first build whose memory is (not) shared, or NULL. */
const wd_web_build *wd_web_builds_first(const wd_web_builds *b, bool shared);

/* What one [libraries] key of a .gdextension should name so that a Web
 * export (with or without threads, debug or release, the preset's texture
 * formats) loads a build of the right kind. The one rule behind `check`'s
 * advice and `fix`'s plan: a build Godot already picks is kept when its
 * memory is right, whatever key names it; else the build of that kind whose
 * name says the target (debug/editor, release) and is closest to the one
 * named now, under web.<target>[.threads].wasm32 (or under a more specific
 * key that would still win). */
typedef struct wd_web_key {
  char key[64];                /* the key that names `build` (ok) or should */
  const wd_web_build *build;   /* the build for that key; NULL: the project has none of that kind */
  const wd_web_build *now;     /* the build Godot picks now, or NULL (none, missing, not a side module) */
  const char *now_key;         /* the key it picks now (in g), or NULL */
  bool ok;                     /* Godot already picks a right build: nothing to set */
} wd_web_key;

void wd_web_key_for(const wd_gdextension *g, const char *project_dir, const wd_web_builds *b, bool shared,
                    bool debug, bool desktop, bool mobile, int godot_minor, wd_web_key *out);

/* "res://" + the build's path inside the project ("." and ".." resolved),
 * or NULL when it is outside the project or memory runs out. Caller frees. */
char *wd_web_build_res_path(const wd_web_build *b);

#endif
