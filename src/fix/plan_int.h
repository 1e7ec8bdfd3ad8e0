/* Internals shared by fix's planning files: plan.c (the strategy, the
 * presets, the plan), plan_files.c (the files read and edited in memory),
 * plan_keys.c (each extension's [libraries] keys). */
#ifndef WD_FIX_PLAN_INT_H
#define WD_FIX_PLAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/i18n.h"
#include "fix/fix_int.h"
#include "webdoctor/cfg.h"
#include "webdoctor/gdextension.h"
#include "webdoctor/project.h"

typedef struct wfile {
  char *rel;              /* relative to the project */
  char *shown;            /* dir/rel, for errors and for resolving paths */
  char *path;             /* the real file (symbolic links followed): what is written */
  char *orig;
  size_t orig_len;
  char *cur;
  size_t cur_len;
  wd_cfg *cfg;            /* of cur */
  wd_fix_file id;
  wd_fix_change *changes;
  uint32_t nchanges;
} wfile;

typedef struct bid {
  dev_t dev;
  ino_t ino;
} bid;

typedef struct ext {
  wfile f;
  wd_gdextension *g;      /* of f.cur */
  wd_web_builds builds;
  bid *ids;               /* parallel to builds */
  bool missing_reported;
} ext;

typedef struct fctx {
  const char *dir;
  const wd_fix_options *o;
  wd_fix_plan *p;
  wd_error *err;
  int minor;              /* Godot 4.x; 0 unknown */
  wfile presets;
  bool have_presets;
  wd_path_list web_secs;  /* section names of the Web presets in scope */
  uint32_t next;
  ext *ext;
} fctx;

static inline wd_status wdi_fix_nomem(wd_error *err) {
  return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
}

typedef enum { ENS_OK = 0, ENS_CHANGED, ENS_MISSING, ENS_STUCK, ENS_FAILED } ensure_result;

/* plan_files.c: the files, read and edited in memory */
void wdi_fix_wfile_free(wfile *f);
/* Read and parse dir/rel. A file that cannot be parsed is refused: nothing
 * can be edited safely in it. */
wd_status wdi_fix_wfile_load(fctx *c, const char *rel, wfile *f);
/* The text of f with [section] key = value (Godot value text), in *text
 * (malloc'ed); *old gets the value text it replaces (NULL when the key is
 * added). *text is NULL when the value is already so. f is not changed. */
wd_status wdi_fix_edit_text(fctx *c, const wfile *f, const char *section, const char *key, const char *value,
                            char **text, size_t *len, char **old);
/* Make `text` (from wdi_fix_edit_text) f's text, recording the change.
 * Takes text and old. */
wd_status wdi_fix_commit(fctx *c, wfile *f, char *text, size_t len, const char *section, const char *key,
                         char *old, const char *value, const char *why);
/* Set [section] key = value in f (edit and commit), recording why. */
wd_status wdi_fix_wfile_set(fctx *c, wfile *f, const char *section, const char *key, const char *value,
                            const char *why);

/* plan_keys.c: each extension's [libraries] keys */
void wdi_fix_ext_free(ext *x);
/* Parse x's current text again (after an edit). */
wd_status wdi_fix_ext_model(fctx *c, ext *x);
/* Godot 4.0-4.2 have no threads/nothreads feature tags (nor exports
 * without threads); 4.3 added them. */
bool wdi_fix_thread_tags(const fctx *c);
/* Make Godot pick, for a debug or release Web export with(out) threads, a
 * build of that kind (wd_web_key_for(), the rule check's advice follows). */
ensure_result wdi_fix_ensure(fctx *c, ext *x, bool shared, bool debug, bool desktop, bool mobile,
                             wd_web_key *kout);
/* Threads: say why a key already naming a threaded build is left alone. */
wd_status wdi_fix_note_kept(fctx *c, const ext *x, const wd_web_key *k, bool debug);
/* The extension lacks the builds the strategy needs: one entry of p->missing. */
wd_status wdi_fix_add_missing(fctx *c, ext *x, bool threads, bool stuck);

#endif
