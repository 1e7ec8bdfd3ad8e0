/*
 * `fix`: decide the strategy and compute the new text of export_presets.cfg
 * and of each .gdextension, without writing anything.
 *
 * Every edit goes through wd_cfg_set_value(), which replaces the bytes of
 * one value or inserts one line; after each edit the text is parsed again
 * and, for a .gdextension, Godot's choice of library is computed again, so
 * an edit is only kept when Godot would then pick the build it meant.
 *
 * This file decides the strategy and sets the presets; plan_files.c holds
 * the files read and edited in memory, plan_keys.c each extension's keys.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/i18n.h"
#include "common/str.h"
#include "fix/plan_int.h"

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

/* ---- presets ------------------------------------------------------------- */

/* Set a bool option of a preset unless it already has that value (or is
 * absent and Godot's default is that value). */
static wd_status preset_set_bool(fctx *c, const char *sec, const char *key, bool want, bool dflt, const char *why) {
  char opts[320];
  snprintf(opts, sizeof opts, "%s.options", sec);
  const wd_cfg_entry *e = wd_cfg_find(c->presets.cfg, opts, key);
  bool v;
  if (e ? wd_cfg_bool(e->value, &v) && v == want : dflt == want) return WD_OK;
  return wdi_fix_wfile_set(c, &c->presets, opts, key, want ? "true" : "false", why);
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
      wd_error_set(c->err, WD_ERR_USAGE, N_("preset \"%s\" is not a Web preset"), c->o->preset);
    else if (c->o->preset && names.len)
      wd_error_set(c->err, WD_ERR_USAGE, N_("no Web preset named \"%s\"; the Web presets are %s"), c->o->preset,
                   names.data);
    else
      wd_error_set(c->err, WD_ERR_USAGE, "%s",
                   W_("no Web export preset: add one in Godot (Project > Export... > Add... > Web), then run fix again"));
    wd_buf_release(&names);
    return WD_ERR_USAGE;
  }
  wd_buf_release(&names);
  return WD_OK;
oom:
  wd_buf_release(&names);
  return wdi_fix_nomem(c->err);
}

/* ---- the strategy -------------------------------------------------------- */

/* The reason is kept as a message (rendered again in another language, as
 * the web app does) and written in the active language into p->reason. */
static wd_status set_reason(fctx *c, int rc) {
  wd_fix_plan *p = c->p;
  if (rc) return wdi_fix_nomem(c->err);
  p->reason = wd_msg_str(&p->reason_msg, false);
  return p->reason ? WD_OK : wdi_fix_nomem(c->err);
}

static wd_status decide(fctx *c) {
  wd_fix_plan *p = c->p;
  if (c->o->strategy != WD_FIX_AUTO) {
    p->strategy = c->o->strategy;
    return set_reason(c, wd_msg_plain(&p->reason_msg, N_("asked for with --strategy")));
  }
  if (!wdi_fix_thread_tags(c)) {
    p->strategy = WD_FIX_THREADS;
    return set_reason(c, wd_msg_init(&p->reason_msg,
                                     N_("Godot 4.%d exports for the Web only with threads (Thread Support off came in 4.3)"),
                                     c->minor));
  }
  int rc = 0;
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
    return wdi_fix_nomem(c->err);
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
    rc = wd_msg_plain(&p->reason_msg, N_("the Web presets already have Thread Support on and every GDExtension has "
                                         "a build with threads: keeping threads"));
  } else if (only_threads.len) {
    p->strategy = WD_FIX_THREADS;
    rc = wd_msg_init(&p->reason_msg, N_("an extension only exists built with threads: %s; so the export needs threads "
                                        "and a cross-origin isolated page"),
                     only_threads.data);
  } else if (relevant) {
    p->strategy = WD_FIX_NOTHREADS;
    rc = wd_msg_init(&p->reason_msg, N_("every GDExtension with web builds has one without threads (%s): a build "
                                        "without threads runs on any host, with no special headers"),
                     with.data);
  } else {
    p->strategy = WD_FIX_NOTHREADS;
    rc = wd_msg_plain(&p->reason_msg, N_("no GDExtension has a threaded web build that the export needs: a build "
                                         "without threads runs on any host, with no special headers"));
  }
  wd_buf_release(&with);
  wd_buf_release(&only_threads);
  return set_reason(c, rc);
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
      p->headers_advice = wd_asprintf(_("A threaded export needs a cross-origin isolated page: %s must send "
                                       "Cross-Origin-Opener-Policy: same-origin and "
                                       "Cross-Origin-Embedder-Policy: require-corp. The command below prints "
                                       "its settings."),
                                     h->name);
    else
      p->headers_advice = wd_asprintf(_("%s cannot send the Cross-Origin-Opener-Policy and "
                                       "Cross-Origin-Embedder-Policy headers a threaded export needs, so "
                                       "Godot's PWA service worker adds them (Progressive Web App > Enabled "
                                       "and Ensure Cross Origin Isolation Headers): on the first visit the "
                                       "page registers it and reloads itself (service workers need HTTPS). "
                                       "The command below says more."),
                                     h->name);
    p->headers_command = wd_asprintf("webdoctor headers --host %s", h->key);
    if (c->o->host == WD_HOST_ITCH && p->headers_advice) {
      char *with = wd_asprintf("%s %s", p->headers_advice,
                              _("Note: itch.io marks \"SharedArrayBuffer support\" experimental: it moves the "
                                "game to another domain, so players' saves from before (IndexedDB, "
                                "localStorage: Godot's user://) are not found, and it has broken games on "
                                "Firefox for Android and in the itch desktop app (itchio/itch.io#1469)."));
      free(p->headers_advice);
      p->headers_advice = with;
    }
  }
  return p->headers_advice && p->headers_command ? WD_OK : wdi_fix_nomem(c->err);
}

/* ---- the plan ------------------------------------------------------------ */

static wd_status take_file(fctx *c, wfile *f) {
  if (f->cur_len == f->orig_len && !memcmp(f->cur, f->orig, f->orig_len)) return WD_OK;
  wd_fix_plan *p = c->p;
  wd_fix_file *v = realloc(p->files, (p->nfiles + 1) * sizeof *v);
  if (!v) return wdi_fix_nomem(c->err);
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
    return wd_error_set(err, WD_ERR_USAGE, "%s", W_("not a folder"));
  }
  if (stat(path, &st) != 0) {
    wd_error_set_file(err, c->dir);
    return wd_error_set(err, WD_ERR_USAGE, "%s",
                        W_("not a Godot project (no project.godot); fix edits a project, not an export folder"));
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
                        W_("no export_presets.cfg: add a Web export preset in Godot (Project > Export... > Add... > "
                          "Web), then run fix again"));
  }
  wd_status s = wdi_fix_wfile_load(c, "export_presets.cfg", &c->presets);
  c->have_presets = true;
  if (s) return s;
  if ((s = find_presets(c))) return s;

  wd_path_list gd = WD_PATH_LIST_INIT;
  if ((s = wd_project_scan(c->dir, &gd, NULL, err))) return s;
  c->ext = calloc(gd.n + 1, sizeof *c->ext);
  if (!c->ext) {
    wd_path_list_free(&gd);
    return wdi_fix_nomem(err);
  }
  for (uint32_t i = 0; i < gd.n && !s; i++) {
    ext *x = &c->ext[c->next++];
    s = wdi_fix_wfile_load(c, gd.v[i], &x->f);
    if (!s) s = wdi_fix_ext_model(c, x);
    if (!s) s = wd_gdext_web_builds(x->g, c->dir, &x->builds, err);
    if (!s && !(x->ids = calloc(x->builds.n + 1, sizeof *x->ids))) s = wdi_fix_nomem(err);
    for (uint32_t k = 0; !s && k < x->builds.n; k++) {
      struct stat bs;
      if (stat(x->builds.v[k].file, &bs) == 0) x->ids[k] = (bid){bs.st_dev, bs.st_ino};
    }
  }
  wd_path_list_free(&gd);
  if (s) return s;

  if ((s = decide(c))) return s;
  bool threads = p->strategy == WD_FIX_THREADS;
  if (!threads && !wdi_fix_thread_tags(c)) {
    wd_error_set_file(err, c->presets.shown);
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("Godot 4.%d has no Web export without threads (Thread Support came in 4.3); use "
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
          ensure_result r = wdi_fix_ensure(c, x, shared, debug, desktop, mobile, &wk);
          if (r == ENS_FAILED) return c->err->code ? c->err->code : wdi_fix_nomem(c->err);
          if (r == ENS_OK && threads && (s = wdi_fix_note_kept(c, x, &wk, debug))) return s;
          if (pass == 0 && (r == ENS_MISSING || r == ENS_STUCK) &&
              (s = wdi_fix_add_missing(c, x, threads, r == ENS_STUCK)))
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
  if (!p) return wdi_fix_nomem(err);
  p->dir = strdup(dir);
  p->asked = o->strategy;
  p->host = o->host;
  p->before = (wd_findings)WD_FINDINGS_INIT;
  p->after = (wd_findings)WD_FINDINGS_INIT;
  if (!p->dir) {
    free(p);
    return wdi_fix_nomem(err);
  }
  fctx c;
  memset(&c, 0, sizeof c);
  c.dir = dir;
  c.o = o;
  c.p = p;
  c.err = err;
  wd_status s = build_plan(&c);
  if (c.have_presets) wdi_fix_wfile_free(&c.presets);
  for (uint32_t i = 0; i < c.next; i++) wdi_fix_ext_free(&c.ext[i]);
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
    wdi_fix_wfile_free(&w);
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
  wd_msg_free(&p->reason_msg);
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
    char *an = wd_asprintf("a/%s", f->rel), *bn = wd_asprintf("b/%s", f->rel);
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
