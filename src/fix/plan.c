/*
 * `fix`: decide the strategy and compute the new text of export_presets.cfg
 * and of each .gdextension, without writing anything.
 *
 * Every edit goes through wd_cfg_set_value(), which replaces the bytes of
 * one value or inserts one line; after each edit the text is parsed again
 * and, for a .gdextension, Godot's choice of library is computed again, so
 * an edit is only kept when Godot would then pick the build it meant.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
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

static wd_status nomem(wd_error *err) {
  return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
}

static char *str_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *str_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (!s) return NULL;
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

const char *wd_fix_strategy_name(wd_fix_strategy s) {
  switch (s) {
  case WD_FIX_NOTHREADS: return "nothreads";
  case WD_FIX_THREADS: return "threads";
  default: return "auto";
  }
}

bool wd_fix_strategy_parse(const char *s, wd_fix_strategy *out) {
  if (!strcmp(s, "auto")) *out = WD_FIX_AUTO;
  else if (!strcmp(s, "nothreads")) *out = WD_FIX_NOTHREADS;
  else if (!strcmp(s, "threads")) *out = WD_FIX_THREADS;
  else return false;
  return true;
}

/* ---- files ------------------------------------------------------------- */

static void wfile_free(wfile *f) {
  free(f->rel);
  free(f->shown);
  free(f->path);
  free(f->orig);
  free(f->cur);
  wd_cfg_free(f->cfg);
  for (uint32_t i = 0; i < f->nchanges; i++) {
    free(f->changes[i].section);
    free(f->changes[i].key);
    free(f->changes[i].old_value);
    free(f->changes[i].new_value);
    free(f->changes[i].why);
  }
  free(f->changes);
  memset(f, 0, sizeof *f);
}

/* Read and parse dir/rel. A file that cannot be parsed is refused: nothing
 * can be edited safely in it. */
static wd_status wfile_load(fctx *c, const char *rel, wfile *f) {
  memset(f, 0, sizeof *f);
  f->rel = strdup(rel);
  f->shown = str_printf("%s/%s", c->dir, rel);
  if (!f->rel || !f->shown) return nomem(c->err);
  char *real = realpath(f->shown, NULL);
  f->path = real ? real : strdup(f->shown);
  if (!f->path) return nomem(c->err);
  wd_status s = wdi_fix_read(f->path, &f->orig, &f->orig_len, &f->id, c->err);
  if (s) {
    wd_error_set_file(c->err, f->shown);
    return s;
  }
  if (!(f->cur = malloc(f->orig_len + 1))) return nomem(c->err);
  memcpy(f->cur, f->orig, f->orig_len + 1);
  f->cur_len = f->orig_len;
  s = wd_cfg_parse(f->cur, f->cur_len, f->shown, &f->cfg, c->err);
  if (s == WD_ERR_MALFORMED || s == WD_ERR_LIMIT || s == WD_ERR_UNSUPPORTED) {
    char msg[sizeof c->err->msg];
    snprintf(msg, sizeof msg, "%s", c->err->msg);
    wd_error_set(c->err, WD_ERR_MALFORMED, _("%s (fix edits nothing in a file it cannot read)"), msg);
  }
  return s;
}

/* The separator between key and value of an entry ("=" or " = "), when it
 * is only blanks around one '='. */
static bool separator(const wd_cfg *cfg, const wd_cfg_entry *e, const char **sep, size_t *len) {
  uint32_t a = e->key_span.offset + e->key_span.length, b = e->value_span.offset;
  if (b <= a || b - a > 8) return false;
  int eq = 0;
  for (uint32_t i = a; i < b; i++) {
    char ch = cfg->text[i];
    if (ch == '=') eq++;
    else if (ch != ' ' && ch != '\t') return false;
  }
  if (eq != 1) return false;
  *sep = cfg->text + a;
  *len = b - a;
  return true;
}

static wd_status reparse(fctx *c, wfile *f, char *text, size_t len) {
  wd_cfg *cfg = NULL;
  wd_status s = wd_cfg_parse(text, len, f->shown, &cfg, c->err);
  if (s) {
    free(text);
    return s;
  }
  free(f->cur);
  wd_cfg_free(f->cfg);
  f->cur = text;
  f->cur_len = len;
  f->cfg = cfg;
  return WD_OK;
}

static wd_status record(fctx *c, wfile *f, const char *section, const char *key, char *old_value,
                        const char *value, const char *why) {
  for (uint32_t i = 0; i < f->nchanges; i++) {
    wd_fix_change *ch = &f->changes[i];
    if (strcmp(ch->section, section) || strcmp(ch->key, key)) continue;
    free(old_value);
    char *nv = strdup(value), *nw = strdup(why);
    if (!nv || !nw) {
      free(nv);
      free(nw);
      return nomem(c->err);
    }
    free(ch->new_value);
    free(ch->why);
    ch->new_value = nv;
    ch->why = nw;
    return WD_OK;
  }
  wd_fix_change *v = realloc(f->changes, (f->nchanges + 1) * sizeof *v);
  if (!v) {
    free(old_value);
    return nomem(c->err);
  }
  f->changes = v;
  wd_fix_change *ch = &v[f->nchanges++];
  ch->section = strdup(section);
  ch->key = strdup(key);
  ch->old_value = old_value;
  ch->new_value = strdup(value);
  ch->why = strdup(why);
  if (!ch->section || !ch->key || !ch->new_value || !ch->why) return nomem(c->err);
  return WD_OK;
}

/* The text of f with [section] key = value (Godot value text), in *text
 * (malloc'ed); *old gets the value text it replaces (NULL when the key is
 * added). *text is NULL when the value is already so. An inserted line
 * takes the key/value separator of its neighbours, so a .gdextension
 * written `key = "value"` stays so. f is not changed. */
static wd_status edit_text(fctx *c, const wfile *f, const char *section, const char *key, const char *value,
                           char **text, size_t *len, char **old) {
  *text = NULL;
  *old = NULL;
  const wd_cfg_entry *e = wd_cfg_find(f->cfg, section, key);
  if (e) {
    if (e->value_span.length == strlen(value) && !memcmp(f->cur + e->value_span.offset, value, strlen(value)))
      return WD_OK;
    if (!(*old = malloc(e->value_span.length + 1))) return nomem(c->err);
    memcpy(*old, f->cur + e->value_span.offset, e->value_span.length);
    (*old)[e->value_span.length] = '\0';
  }
  wd_status s = wd_cfg_set_value(f->cfg, section, key, value, text, len, c->err);
  if (s || e) goto out;
  /* the inserted entry and a neighbour in its section */
  wd_cfg *cfg = NULL;
  if ((s = wd_cfg_parse(*text, *len, f->shown, &cfg, c->err))) goto out;
  const wd_cfg_entry *ne = wd_cfg_find(cfg, section, key), *nb = NULL;
  if (ne && ne->index > 0 && cfg->entries[ne->index - 1].section == ne->section)
    nb = &cfg->entries[ne->index - 1];
  else if (ne && ne->index + 1 < cfg->nentries && cfg->entries[ne->index + 1].section == ne->section)
    nb = &cfg->entries[ne->index + 1];
  const char *sep, *mine;
  size_t seplen, minelen;
  if (nb && separator(cfg, nb, &sep, &seplen) && separator(cfg, ne, &mine, &minelen) &&
      (seplen != minelen || memcmp(sep, mine, seplen))) {
    size_t a = (size_t)(mine - cfg->text), b = a + minelen;
    size_t n2 = *len - minelen + seplen;
    char *t2 = malloc(n2 + 1);
    if (!t2) s = nomem(c->err);
    else {
      memcpy(t2, *text, a);
      memcpy(t2 + a, sep, seplen);
      memcpy(t2 + a + seplen, *text + b, *len - b);
      t2[n2] = '\0';
      free(*text);
      *text = t2;
      *len = n2;
    }
  }
  wd_cfg_free(cfg);
out:
  if (s) {
    free(*text);
    free(*old);
    *text = *old = NULL;
  }
  return s;
}

/* Make `text` (from edit_text) f's text, recording the change. Takes text
 * and old. */
static wd_status commit(fctx *c, wfile *f, char *text, size_t len, const char *section, const char *key,
                        char *old, const char *value, const char *why) {
  wd_status s = reparse(c, f, text, len);
  if (s) {
    free(old);
    return s;
  }
  return record(c, f, section, key, old, value, why);
}

static wd_status wfile_set(fctx *c, wfile *f, const char *section, const char *key, const char *value,
                           const char *why) {
  char *text, *old;
  size_t len;
  wd_status s = edit_text(c, f, section, key, value, &text, &len, &old);
  if (s || !text) return s;
  return commit(c, f, text, len, section, key, old, value, why);
}

/* ---- extensions ---------------------------------------------------------- */

static void ext_free(ext *x) {
  wfile_free(&x->f);
  wd_gdext_free(x->g);
  wd_web_builds_free(&x->builds);
  free(x->ids);
}

static wd_status ext_model(fctx *c, ext *x) {
  wd_gdext_free(x->g);
  x->g = NULL;
  char *res = str_printf("res://%s", x->f.rel);
  if (!res) return nomem(c->err);
  wd_status s = wd_gdext_parse(x->f.cur, x->f.cur_len, x->f.shown, res, &x->g, c->err);
  free(res);
  return s;
}

/* The build a [libraries] entry names, or NULL (missing, not a side module,
 * or outside the builds found). */
static const wd_web_build *build_of(const fctx *c, const ext *x, int li) {
  if (li < 0) return NULL;
  char *p = wd_gdext_resolve(x->g, c->dir, x->g->libs[li].path);
  struct stat st;
  bool ok = p && stat(p, &st) == 0;
  free(p);
  if (!ok) return NULL;
  for (uint32_t i = 0; i < x->builds.n; i++)
    if (x->ids[i].dev == st.st_dev && x->ids[i].ino == st.st_ino) return &x->builds.v[i];
  return NULL;
}

typedef enum { ENS_OK = 0, ENS_CHANGED, ENS_MISSING, ENS_STUCK, ENS_FAILED } ensure_result;

/* Godot 4.0-4.2 have no threads/nothreads feature tags (nor exports
 * without threads); 4.3 added them. */
static bool thread_tags(const fctx *c) {
  return c->minor == 0 || c->minor >= 3;
}

/* Make Godot pick, for a debug or release Web export with(out) threads, a
 * build of that kind: the key and the build come from wd_web_key_for(),
 * the rule `check`'s advice follows too. */
static ensure_result ensure(fctx *c, ext *x, bool shared, bool debug, bool desktop, bool mobile, wd_web_key *kout) {
  const char *feat[16];
  uint32_t nf = wd_web_export_features(shared, debug, desktop, mobile, c->minor, feat);
  wd_web_key k;
  wd_web_key_for(x->g, c->dir, &x->builds, shared, debug, desktop, mobile, c->minor, &k);
  *kout = k;
  if (k.ok) return ENS_OK;
  if (!k.build) return ENS_MISSING;
  char *use_key = strdup(k.key);
  char *res = wd_web_build_res_path(k.build);
  char *value = res ? wd_cfg_quote(res) : NULL;
  char *why = str_printf(shared ? _("the threaded build (shared memory) for %s exports with Thread Support on")
                                : _("the build without threads (memory not shared) for %s exports with Thread Support off"),
                         debug ? _("debug") : _("release"));
  ensure_result r = ENS_FAILED;
  char *text = NULL, *old = NULL;
  size_t len = 0;
  if (!use_key || !value || !why) nomem(c->err);
  else if (!edit_text(c, &x->f, "libraries", use_key, value, &text, &len, &old)) {
    /* keep the edit only when Godot then picks the build meant */
    wd_gdextension *g2 = NULL;
    char *res_path = str_printf("res://%s", x->f.rel);
    if (!text) r = ENS_STUCK;
    else if (!res_path) nomem(c->err);
    else if (!wd_gdext_parse(text, len, x->f.shown, res_path, &g2, c->err)) {
      wd_gdextension *keep = x->g;
      x->g = g2;
      const wd_web_build *now = build_of(c, x, wd_gdext_match(g2, feat, nf));
      x->g = keep;
      wd_gdext_free(g2);
      if (now && now->shared == shared) {
        r = commit(c, &x->f, text, len, "libraries", use_key, old, value, why) || ext_model(c, x) ? ENS_FAILED
                                                                                                 : ENS_CHANGED;
        text = old = NULL;
      } else {
        r = ENS_STUCK;
      }
    }
    free(res_path);
    free(text);
    free(old);
  }
  free(use_key);
  free(res);
  free(value);
  free(why);
  return r;
}

/* Say what was left alone: a threaded build under a plain web.*.wasm32 key
 * is what a threaded export loads (LimboAI 1.4.x ships so); a threads key
 * naming the same file would only edit the extension's own file. */
static wd_status note_kept(fctx *c, const ext *x, const wd_web_key *k, bool debug) {
  if (!k->ok || !k->now_key || strstr(k->now_key, ".threads") || !thread_tags(c)) return WD_OK;
  char *n = str_printf(_("%s: left as it is for %s exports: %s already names a threaded build (%s), which "
                         "an export with Thread Support on loads; a web.%s.threads.wasm32 key naming the same "
                         "file would only edit the extension's own file, which its updates overwrite"),
                       x->f.rel, debug ? _("debug") : _("release"), k->now_key, k->now->path,
                       debug ? "debug" : "release");
  if (!n) return nomem(c->err);
  for (uint32_t i = 0; i < c->p->nkept; i++)
    if (!strcmp(c->p->kept[i], n)) {
      free(n);
      return WD_OK;
    }
  char **v = realloc(c->p->kept, (c->p->nkept + 1) * sizeof *v);
  if (!v) {
    free(n);
    return nomem(c->err);
  }
  c->p->kept = v;
  v[c->p->nkept++] = n;
  return WD_OK;
}

static bool looks_like_limboai(const ext *x) {
  return (x->g->entry_symbol && !strcmp(x->g->entry_symbol, "limboai_init")) || strstr(x->f.rel, "limboai");
}

static wd_status add_missing(fctx *c, ext *x, bool threads, bool stuck) {
  if (x->missing_reported) return WD_OK;
  x->missing_reported = true;
  wd_fix_plan *p = c->p;
  wd_fix_missing *v = realloc(p->missing, (p->nmissing + 1) * sizeof *v);
  if (!v) return nomem(c->err);
  p->missing = v;
  wd_fix_missing *m = &v[p->nmissing++];
  memset(m, 0, sizeof *m);
  m->threads = threads;
  m->extension = strdup(x->f.rel);
  bool any = x->builds.n > 0;
  if (stuck)
    m->advice = str_printf(_("%s: Godot would still pick another library after the change; edit its "
                             "[libraries] section by hand (`webdoctor check` shows which key wins)"),
                           x->f.rel);
  else if (threads)
    m->advice = str_printf(_("%s has no threaded web build in the project. Build one with godot-cpp "
                             "(scons platform=web; threads=yes is the default) or get it from the "
                             "extension's release, put it next to the other builds and run fix again; "
                             "or use --strategy nothreads."),
                           x->f.rel);
  else
    m->advice = str_printf(_("%s has no web build without threads in the project%s. %sExtensions built "
                             "with godot-cpp get one with scons platform=web threads=no "
                             "(lib<name>.web.<target>.wasm32.nothreads.wasm). Put it next to the other "
                             "builds and run fix again, or use --strategy threads."),
                           x->f.rel, any ? "" : _(" (no web build at all)"),
                           looks_like_limboai(x) ? _("LimboAI ships them from release 1.5.0 on "
                                                     "(limbonaut/limboai#332): update the addon. ")
                                                 : "");
  if (!m->extension || !m->advice) return nomem(c->err);
  return WD_OK;
}

/* ---- presets ------------------------------------------------------------- */

/* Set a bool option of a preset unless it already has that value (or is
 * absent and Godot's default is that value). */
static wd_status preset_set_bool(fctx *c, const char *sec, const char *key, bool want, bool dflt, const char *why) {
  char opts[320];
  snprintf(opts, sizeof opts, "%s.options", sec);
  const wd_cfg_entry *e = wd_cfg_find(c->presets.cfg, opts, key);
  bool v;
  if (e ? wd_cfg_bool(e->value, &v) && v == want : dflt == want) return WD_OK;
  return wfile_set(c, &c->presets, opts, key, want ? "true" : "false", why);
}

static wd_status find_presets(fctx *c) {
  wd_cfg *cfg = c->presets.cfg;
  wd_buf names = WD_BUF_INIT;
  bool found_other = false;
  for (int64_t i = wd_cfg_next_section(cfg, "preset.", true, 0); i >= 0;
       i = wd_cfg_next_section(cfg, "preset.", true, (uint32_t)i + 1)) {
    char sec[256];
    snprintf(sec, sizeof sec, "%.*s", (int)cfg->sections[i].name.len, cfg->sections[i].name.ptr);
    const char *platform = wd_cfg_get_string(cfg, sec, "platform", "");
    const char *name = wd_cfg_get_string(cfg, sec, "name", sec);
    bool web = !strcmp(platform, "Web");
    if (c->o->preset && strcmp(name, c->o->preset) != 0) {
      if (web && wd_buf_printf(&names, "%s\"%s\"", names.len ? ", " : "", name)) goto oom;
      continue;
    }
    if (!web) {
      found_other = true;
      continue;
    }
    /* a preset name may repeat: each section once */
    bool seen = false;
    for (uint32_t k = 0; k < c->web_secs.n; k++) seen |= !strcmp(c->web_secs.v[k], sec);
    if (seen) continue;
    char **v = realloc(c->web_secs.v, (c->web_secs.n + 1) * sizeof *v);
    if (!v) goto oom;
    c->web_secs.v = v;
    if (!(v[c->web_secs.n] = strdup(sec))) goto oom;
    c->web_secs.n++;
    char **pn = realloc(c->p->presets, (c->p->npresets + 1) * sizeof *pn);
    if (!pn) goto oom;
    c->p->presets = pn;
    if (!(pn[c->p->npresets] = strdup(name))) goto oom;
    c->p->npresets++;
  }
  if (!c->web_secs.n) {
    wd_error_set_file(c->err, c->presets.shown);
    if (c->o->preset && found_other)
      wd_error_set(c->err, WD_ERR_USAGE, _("preset \"%s\" is not a Web preset"), c->o->preset);
    else if (c->o->preset && names.len)
      wd_error_set(c->err, WD_ERR_USAGE, _("no Web preset named \"%s\"; the Web presets are %s"), c->o->preset,
                   names.data);
    else
      wd_error_set(c->err, WD_ERR_USAGE, "%s",
                   _("no Web export preset: add one in Godot (Project > Export... > Add... > Web), then run fix again"));
    wd_buf_release(&names);
    return WD_ERR_USAGE;
  }
  wd_buf_release(&names);
  return WD_OK;
oom:
  wd_buf_release(&names);
  return nomem(c->err);
}

/* ---- the strategy -------------------------------------------------------- */

static wd_status decide(fctx *c) {
  wd_fix_plan *p = c->p;
  if (c->o->strategy != WD_FIX_AUTO) {
    p->strategy = c->o->strategy;
    p->reason = strdup(_("asked for with --strategy"));
    return p->reason ? WD_OK : nomem(c->err);
  }
  if (!thread_tags(c)) {
    p->strategy = WD_FIX_THREADS;
    p->reason = str_printf(_("Godot 4.%d exports for the Web only with threads (Thread Support off came in 4.3)"),
                           c->minor);
    return p->reason ? WD_OK : nomem(c->err);
  }
  wd_buf with = WD_BUF_INIT, only_threads = WD_BUF_INIT;
  int bad = 0;
  uint32_t relevant = 0;
  for (uint32_t i = 0; i < c->next; i++) {
    ext *x = &c->ext[i];
    bool nt = wd_web_builds_first(&x->builds, false) != NULL;
    const wd_web_build *t = wd_web_builds_first(&x->builds, true);
    if (!x->builds.n) continue;
    relevant++;
    if (nt) bad |= wd_buf_printf(&with, "%s%s", with.len ? ", " : "", x->f.rel);
    else if (t) bad |= wd_buf_printf(&only_threads, "%s%s (%s)", only_threads.len ? ", " : "", x->f.rel, t->path);
  }
  if (bad) {
    wd_buf_release(&with);
    wd_buf_release(&only_threads);
    return nomem(c->err);
  }
  /* a project that already exports with threads, and has a threaded build
   * of every extension, keeps them: auto does not take away what works */
  bool presets_threaded = c->have_presets && c->web_secs.n > 0 && c->presets.cfg;
  for (uint32_t k = 0; presets_threaded && k < c->web_secs.n; k++) {
    char opts[512];
    snprintf(opts, sizeof opts, "%s.options", c->web_secs.v[k]);
    presets_threaded = wd_cfg_get_bool(c->presets.cfg, opts, "variant/thread_support", false);
  }
  bool every_threaded = true;
  for (uint32_t i = 0; i < c->next; i++)
    if (c->ext[i].builds.n && !wd_web_builds_first(&c->ext[i].builds, true)) every_threaded = false;
  if (presets_threaded && every_threaded) {
    p->strategy = WD_FIX_THREADS;
    p->reason = strdup(_("the Web presets already have Thread Support on and every GDExtension has a build "
                         "with threads: keeping threads"));
  } else if (only_threads.len) {
    p->strategy = WD_FIX_THREADS;
    p->reason = str_printf(_("an extension only exists built with threads: %s; so the export needs threads "
                             "and a cross-origin isolated page"),
                           only_threads.data);
  } else if (relevant) {
    p->strategy = WD_FIX_NOTHREADS;
    p->reason = str_printf(_("every GDExtension with web builds has one without threads (%s): a build "
                             "without threads runs on any host, with no special headers"),
                           with.data);
  } else {
    p->strategy = WD_FIX_NOTHREADS;
    p->reason = strdup(_("no GDExtension has a threaded web build that the export needs: a build without "
                         "threads runs on any host, with no special headers"));
  }
  wd_buf_release(&with);
  wd_buf_release(&only_threads);
  return p->reason ? WD_OK : nomem(c->err);
}

static wd_status headers_advice(fctx *c) {
  const wd_host_info *h = wd_host_get(c->o->host);
  wd_fix_plan *p = c->p;
  if (c->o->host == WD_HOST_UNKNOWN) {
    p->headers_advice = strdup(_("A threaded export needs a cross-origin isolated page: the server must send "
                                 "Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: "
                                 "require-corp. The command below prints your host's settings (HOST: itch, "
                                 "netlify, nginx...; `webdoctor headers --list`). On a host that cannot send "
                                 "headers (GitHub Pages, GitLab Pages), run fix again with --host so that "
                                 "Godot's PWA service worker adds them."));
    p->headers_command = strdup("webdoctor headers --host HOST");
  } else {
    if (h->can_set_headers)
      p->headers_advice = str_printf(_("A threaded export needs a cross-origin isolated page: %s must send "
                                       "Cross-Origin-Opener-Policy: same-origin and "
                                       "Cross-Origin-Embedder-Policy: require-corp. The command below prints "
                                       "its settings."),
                                     h->name);
    else
      p->headers_advice = str_printf(_("%s cannot send the Cross-Origin-Opener-Policy and "
                                       "Cross-Origin-Embedder-Policy headers a threaded export needs, so "
                                       "Godot's PWA service worker adds them (Progressive Web App > Enabled "
                                       "and Ensure Cross Origin Isolation Headers): on the first visit the "
                                       "page registers it and reloads itself (service workers need HTTPS). "
                                       "The command below says more."),
                                     h->name);
    p->headers_command = str_printf("webdoctor headers --host %s", h->key);
    if (c->o->host == WD_HOST_ITCH && p->headers_advice) {
      char *with = str_printf("%s %s", p->headers_advice,
                              _("Note: itch.io marks \"SharedArrayBuffer support\" experimental: it moves the "
                                "game to another domain, so players' saves from before (IndexedDB, "
                                "localStorage: Godot's user://) are not found, and it has broken games on "
                                "Firefox for Android and in the itch desktop app (itchio/itch.io#1469)."));
      free(p->headers_advice);
      p->headers_advice = with;
    }
  }
  return p->headers_advice && p->headers_command ? WD_OK : nomem(c->err);
}

/* ---- the plan ------------------------------------------------------------ */

static wd_status take_file(fctx *c, wfile *f) {
  if (f->cur_len == f->orig_len && !memcmp(f->cur, f->orig, f->orig_len)) return WD_OK;
  wd_fix_plan *p = c->p;
  wd_fix_file *v = realloc(p->files, (p->nfiles + 1) * sizeof *v);
  if (!v) return nomem(c->err);
  p->files = v;
  wd_fix_file *o = &v[p->nfiles++];
  *o = f->id;
  o->rel = f->rel;
  o->path = f->path;
  o->old_text = f->orig;
  o->old_len = f->orig_len;
  o->new_text = f->cur;
  o->new_len = f->cur_len;
  o->changes = f->changes;
  o->nchanges = f->nchanges;
  o->written = false;
  f->rel = f->path = f->orig = f->cur = NULL;
  f->changes = NULL;
  f->nchanges = 0;
  return WD_OK;
}

static wd_status build_plan(fctx *c) {
  wd_fix_plan *p = c->p;
  wd_error *err = c->err;
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/project.godot", c->dir);
  if (stat(c->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    wd_error_set_file(err, c->dir);
    return wd_error_set(err, WD_ERR_USAGE, "%s", _("not a folder"));
  }
  if (stat(path, &st) != 0) {
    wd_error_set_file(err, c->dir);
    return wd_error_set(err, WD_ERR_USAGE, "%s",
                        _("not a Godot project (no project.godot); fix edits a project, not an export folder"));
  }
  wd_cfg *project = NULL;
  wd_error perr;
  wd_error_clear(&perr);
  if (wd_cfg_open(path, &project, &perr) == WD_OK) c->minor = wd_project_godot_minor(project, NULL, 0);
  wd_cfg_free(project);

  snprintf(path, sizeof path, "%s/export_presets.cfg", c->dir);
  if (stat(path, &st) != 0) {
    wd_error_set_file(err, c->dir);
    return wd_error_set(err, WD_ERR_USAGE, "%s",
                        _("no export_presets.cfg: add a Web export preset in Godot (Project > Export... > Add... > "
                          "Web), then run fix again"));
  }
  wd_status s = wfile_load(c, "export_presets.cfg", &c->presets);
  c->have_presets = true;
  if (s) return s;
  if ((s = find_presets(c))) return s;

  wd_path_list gd = WD_PATH_LIST_INIT;
  if ((s = wd_project_scan(c->dir, &gd, NULL, err))) return s;
  c->ext = calloc(gd.n + 1, sizeof *c->ext);
  if (!c->ext) {
    wd_path_list_free(&gd);
    return nomem(err);
  }
  for (uint32_t i = 0; i < gd.n && !s; i++) {
    ext *x = &c->ext[c->next++];
    s = wfile_load(c, gd.v[i], &x->f);
    if (!s) s = ext_model(c, x);
    if (!s) s = wd_gdext_web_builds(x->g, c->dir, &x->builds, err);
    if (!s && !(x->ids = calloc(x->builds.n + 1, sizeof *x->ids))) s = nomem(err);
    for (uint32_t k = 0; !s && k < x->builds.n; k++) {
      struct stat bs;
      if (stat(x->builds.v[k].file, &bs) == 0) x->ids[k] = (bid){bs.st_dev, bs.st_ino};
    }
  }
  wd_path_list_free(&gd);
  if (s) return s;

  if ((s = decide(c))) return s;
  bool threads = p->strategy == WD_FIX_THREADS;
  if (!threads && !thread_tags(c)) {
    wd_error_set_file(err, c->presets.shown);
    return wd_error_set(err, WD_ERR_USAGE,
                        _("Godot 4.%d has no Web export without threads (Thread Support came in 4.3); use "
                          "--strategy threads, or upgrade the project to Godot 4.3 or later"),
                        c->minor);
  }

  /* the presets */
  const wd_host_info *host = wd_host_get(c->o->host);
  bool pwa = threads && wd_host_cannot_isolate(c->o->host);
  for (uint32_t i = 0; i < c->web_secs.n && !s; i++) {
    const char *sec = c->web_secs.v[i];
    s = preset_set_bool(c, sec, "variant/thread_support", threads, false,
                        threads ? _("Thread Support on: the threaded templates, which need SharedArrayBuffer")
                                : _("Thread Support off: the nothreads templates, which run on any host"));
    if (!s && c->next)
      s = preset_set_bool(c, sec, "variant/extensions_support", true, false,
                          _("Extensions Support on: the project has GDExtensions, which only the dlink "
                            "templates can load"));
    if (!s && pwa) {
      char why[300];
      snprintf(why, sizeof why, _("%s cannot send the cross-origin isolation headers: the PWA service worker adds them"),
               host->name);
      s = preset_set_bool(c, sec, "progressive_web_app/enabled", true, false, why);
      if (!s)
        s = preset_set_bool(c, sec, "progressive_web_app/ensure_cross_origin_isolation_headers", true, true, why);
    }
  }
  if (s) return s;

  /* the extensions, for every texture-format combination of the presets */
  for (uint32_t i = 0; i < c->next; i++) {
    ext *x = &c->ext[i];
    for (uint32_t k = 0; k < c->web_secs.n; k++) {
      char opts[320];
      snprintf(opts, sizeof opts, "%s.options", c->web_secs.v[k]);
      bool desktop = wd_cfg_get_bool(c->presets.cfg, opts, "vram_texture_compression/for_desktop", true);
      bool mobile = wd_cfg_get_bool(c->presets.cfg, opts, "vram_texture_compression/for_mobile", false);
      /* the strategy's builds first; with nothreads, the threaded builds are
       * then kept under the threads keys when there are any (and when the
       * strategy's builds are there: else the file is left as it is) */
      for (int pass = 0; pass < (threads || x->missing_reported ? 1 : 2); pass++) {
        bool shared = threads || pass == 1;
        for (int debug = 1; debug >= 0; debug--) {
          wd_web_key wk;
          ensure_result r = ensure(c, x, shared, debug, desktop, mobile, &wk);
          if (r == ENS_FAILED) return c->err->code ? c->err->code : nomem(c->err);
          if (r == ENS_OK && threads && (s = note_kept(c, x, &wk, debug))) return s;
          if (pass == 0 && (r == ENS_MISSING || r == ENS_STUCK) && (s = add_missing(c, x, threads, r == ENS_STUCK)))
            return s;
        }
      }
    }
  }
  if (threads && (s = headers_advice(c))) return s;

  if ((s = take_file(c, &c->presets))) return s;
  for (uint32_t i = 0; i < c->next; i++)
    if ((s = take_file(c, &c->ext[i].f))) return s;

  wd_check_options co = {.host = c->o->host, .no_code = true};
  wd_error cerr;
  wd_error_clear(&cerr);
  if (wd_check_project_dir(c->dir, &co, &p->before, NULL, &cerr) != WD_OK) {
    *err = cerr;
    return cerr.code;
  }
  return WD_OK;
}

wd_status wd_fix_plan_make(const char *dir, const wd_fix_options *o, wd_fix_plan **out, wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  static const wd_fix_options defaults = {0};
  if (!o) o = &defaults;
  wd_fix_plan *p = calloc(1, sizeof *p);
  if (!p) return nomem(err);
  p->dir = strdup(dir);
  p->asked = o->strategy;
  p->host = o->host;
  p->before = (wd_findings)WD_FINDINGS_INIT;
  p->after = (wd_findings)WD_FINDINGS_INIT;
  if (!p->dir) {
    free(p);
    return nomem(err);
  }
  fctx c;
  memset(&c, 0, sizeof c);
  c.dir = dir;
  c.o = o;
  c.p = p;
  c.err = err;
  wd_status s = build_plan(&c);
  if (c.have_presets) wfile_free(&c.presets);
  for (uint32_t i = 0; i < c.next; i++) ext_free(&c.ext[i]);
  free(c.ext);
  wd_path_list_free(&c.web_secs);
  if (s) {
    wd_fix_plan_free(p);
    return s;
  }
  *out = p;
  return WD_OK;
}

void wd_fix_plan_free(wd_fix_plan *p) {
  if (!p) return;
  for (uint32_t i = 0; i < p->nfiles; i++) {
    wd_fix_file *f = &p->files[i];
    wfile w;
    memset(&w, 0, sizeof w);
    w.rel = f->rel;
    w.path = f->path;
    w.orig = f->old_text;
    w.cur = f->new_text;
    w.changes = f->changes;
    w.nchanges = f->nchanges;
    wfile_free(&w);
    free(f->backup);
  }
  free(p->files);
  for (uint32_t i = 0; i < p->nmissing; i++) {
    free(p->missing[i].extension);
    free(p->missing[i].advice);
  }
  free(p->missing);
  for (uint32_t i = 0; i < p->nkept; i++) free(p->kept[i]);
  free(p->kept);
  for (uint32_t i = 0; i < p->npresets; i++) free(p->presets[i]);
  free(p->presets);
  free(p->reason);
  free(p->headers_advice);
  free(p->headers_command);
  free(p->dir);
  wd_findings_free(&p->before);
  wd_findings_free(&p->after);
  free(p);
}

char *wd_fix_diff(const wd_fix_plan *p) {
  wd_buf b = WD_BUF_INIT;
  for (uint32_t i = 0; i < p->nfiles; i++) {
    const wd_fix_file *f = &p->files[i];
    char *an = str_printf("a/%s", f->rel), *bn = str_printf("b/%s", f->rel);
    char *d = an && bn ? wd_diff_unified(f->old_text, f->old_len, f->new_text, f->new_len, an, bn, 3) : NULL;
    free(an);
    free(bn);
    if (!d || wd_buf_puts(&b, d)) {
      free(d);
      wd_buf_release(&b);
      return NULL;
    }
    free(d);
  }
  return wd_buf_detach(&b, NULL);
}
