/* fix: each extension's [libraries] keys, set so that Godot picks the
 * build the strategy needs (plan_int.h). */
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

/* ---- extensions ---------------------------------------------------------- */

void wdi_fix_ext_free(ext *x) {
  wdi_fix_wfile_free(&x->f);
  wd_gdext_free(x->g);
  wd_web_builds_free(&x->builds);
  free(x->ids);
}

wd_status wdi_fix_ext_model(fctx *c, ext *x) {
  wd_gdext_free(x->g);
  x->g = NULL;
  char *res = wd_asprintf("res://%s", x->f.rel);
  if (!res) return wdi_fix_nomem(c->err);
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

/* Godot 4.0-4.2 have no threads/nothreads feature tags (nor exports
 * without threads); 4.3 added them. */
bool wdi_fix_thread_tags(const fctx *c) {
  return c->minor == 0 || c->minor >= 3;
}

/* Make Godot pick, for a debug or release Web export with(out) threads, a
 * build of that kind: the key and the build come from wd_web_key_for(),
 * the rule `check`'s advice follows too. */
ensure_result wdi_fix_ensure(fctx *c, ext *x, bool shared, bool debug, bool desktop, bool mobile,
                             wd_web_key *kout) {
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
  char *why = wd_asprintf(shared ? _("the threaded build (shared memory) for %s exports with Thread Support on")
                                : _("the build without threads (memory not shared) for %s exports with Thread Support off"),
                         debug ? _("debug") : _("release"));
  ensure_result r = ENS_FAILED;
  char *text = NULL, *old = NULL;
  size_t len = 0;
  if (!use_key || !value || !why) wdi_fix_nomem(c->err);
  else if (!wdi_fix_edit_text(c, &x->f, "libraries", use_key, value, &text, &len, &old)) {
    /* keep the edit only when Godot then picks the build meant */
    wd_gdextension *g2 = NULL;
    char *res_path = wd_asprintf("res://%s", x->f.rel);
    if (!text) r = ENS_STUCK;
    else if (!res_path) wdi_fix_nomem(c->err);
    else if (!wd_gdext_parse(text, len, x->f.shown, res_path, &g2, c->err)) {
      wd_gdextension *keep = x->g;
      x->g = g2;
      const wd_web_build *now = build_of(c, x, wd_gdext_match(g2, feat, nf));
      x->g = keep;
      wd_gdext_free(g2);
      if (now && now->shared == shared) {
        r = wdi_fix_commit(c, &x->f, text, len, "libraries", use_key, old, value, why) || wdi_fix_ext_model(c, x) ? ENS_FAILED
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
wd_status wdi_fix_note_kept(fctx *c, const ext *x, const wd_web_key *k, bool debug) {
  if (!k->ok || !k->now_key || strstr(k->now_key, ".threads") || !wdi_fix_thread_tags(c)) return WD_OK;
  char *n = wd_asprintf(_("%s: left as it is for %s exports: %s already names a threaded build (%s), which "
                         "an export with Thread Support on loads; a web.%s.threads.wasm32 key naming the same "
                         "file would only edit the extension's own file, which its updates overwrite"),
                       x->f.rel, debug ? _("debug") : _("release"), k->now_key, k->now->path,
                       debug ? "debug" : "release");
  if (!n) return wdi_fix_nomem(c->err);
  for (uint32_t i = 0; i < c->p->nkept; i++)
    if (!strcmp(c->p->kept[i], n)) {
      free(n);
      return WD_OK;
    }
  char **v = realloc(c->p->kept, (c->p->nkept + 1) * sizeof *v);
  if (!v) {
    free(n);
    return wdi_fix_nomem(c->err);
  }
  c->p->kept = v;
  v[c->p->nkept++] = n;
  return WD_OK;
}

static bool looks_like_limboai(const ext *x) {
  return (x->g->entry_symbol && !strcmp(x->g->entry_symbol, "limboai_init")) || strstr(x->f.rel, "limboai");
}

wd_status wdi_fix_add_missing(fctx *c, ext *x, bool threads, bool stuck) {
  if (x->missing_reported) return WD_OK;
  x->missing_reported = true;
  wd_fix_plan *p = c->p;
  wd_fix_missing *v = realloc(p->missing, (p->nmissing + 1) * sizeof *v);
  if (!v) return wdi_fix_nomem(c->err);
  p->missing = v;
  wd_fix_missing *m = &v[p->nmissing++];
  memset(m, 0, sizeof *m);
  m->threads = threads;
  m->extension = strdup(x->f.rel);
  bool any = x->builds.n > 0;
  if (stuck)
    m->advice = wd_asprintf(_("%s: Godot would still pick another library after the change; edit its "
                             "[libraries] section by hand (`webdoctor check` shows which key wins)"),
                           x->f.rel);
  else if (threads)
    m->advice = wd_asprintf(_("%s has no threaded web build in the project. Build one with godot-cpp "
                             "(scons platform=web; threads=yes is the default) or get it from the "
                             "extension's release, put it next to the other builds and run fix again; "
                             "or use --strategy nothreads."),
                           x->f.rel);
  else
    m->advice = wd_asprintf(_("%s has no web build without threads in the project%s. %sExtensions built "
                             "with godot-cpp get one with scons platform=web threads=no "
                             "(lib<name>.web.<target>.wasm32.nothreads.wasm). Put it next to the other "
                             "builds and run fix again, or use --strategy threads."),
                           x->f.rel, any ? "" : _(" (no web build at all)"),
                           looks_like_limboai(x) ? _("LimboAI ships them from release 1.5.0 on "
                                                     "(limbonaut/limboai#332): update the addon. ")
                                                 : "");
  if (!m->extension || !m->advice) return wdi_fix_nomem(c->err);
  return WD_OK;
}
