/*
 * fix: plans on realistic Godot files (tests/godot/data/cfg) with real side
 * modules (tests/fixtures/wasm), byte-exact edits, the strategies, missing
 * builds, refusals (changed since read, unparsable, unknown preset, Godot
 * 4.2 without threads), atomic writes with .bak, and idempotence.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "webdoctor/fix.h"

static const char *src_dir, *fixtures;

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (fread(b, 1, (size_t)n, f) != (size_t)n) n = 0;
  fclose(f);
  b[n] = '\0';
  if (len) *len = (size_t)n;
  return b;
}

static void mkdirs(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(tmp, 0755);
      *p = '/';
    }
  mkdir(tmp, 0755);
}

static void put_file(const char *dir, const char *rel, const char *data, size_t len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, rel);
  char *slash = strrchr(path, '/');
  *slash = '\0';
  mkdirs(path);
  *slash = '/';
  FILE *f = fopen(path, "wb");
  fwrite(data, 1, len, f);
  fclose(f);
}

static void put_str(const char *dir, const char *rel, const char *s) {
  put_file(dir, rel, s, strlen(s));
}

static void copy_in(const char *dir, const char *rel, const char *from) {
  size_t n;
  char *b = slurp(from, &n);
  CHECK(b != NULL);
  if (b) put_file(dir, rel, b, n);
  free(b);
}

static char *data(const char *name) {
  char p[4096];
  snprintf(p, sizeof p, "%s/tests/godot/data/cfg/%s", src_dir, name);
  return slurp(p, NULL);
}

static char *in_proj(const char *dir, const char *rel, size_t *len) {
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", dir, rel);
  return slurp(p, len);
}

/* s with the first `from` replaced by `to` (malloc'ed) */
static char *replace(const char *s, const char *from, const char *to) {
  const char *at = strstr(s, from);
  if (!at) return strdup(s);
  size_t a = (size_t)(at - s), n = strlen(s) - strlen(from) + strlen(to);
  char *r = malloc(n + 1);
  memcpy(r, s, a);
  memcpy(r + a, to, strlen(to));
  strcpy(r + a + strlen(to), at + strlen(from));
  return r;
}

static char *new_project(void) {
  char tmpl[] = "/tmp/wdfix-unit-XXXXXX";
  char *d = mkdtemp(tmpl);
  return d ? strdup(d) : NULL;
}

static void rm_rf(const char *dir) {
  char cmd[4200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

static void add_build(const char *dir, const char *rel, bool threads) {
  char from[4096];
  snprintf(from, sizeof from, "%s/wasm/%s", fixtures, threads ? "side_n29_pthread.wasm" : "side_n29_nothreads.wasm");
  copy_in(dir, rel, from);
}

/* LimboAI 1.4's [libraries]: web.*.wasm32 name threaded builds, no threads keys */
static char *limboai_1_4(void) {
  char *t = data("limboai.gdextension");
  char *a = replace(t, "web.debug.wasm32 = \"res://addons/limboai/bin/liblimboai.web.editor.wasm32.nothreads.wasm\"",
                    "web.debug.wasm32 = \"res://addons/limboai/bin/liblimboai.web.editor.wasm32.wasm\"");
  char *b = replace(a, "web.release.wasm32 = \"res://addons/limboai/bin/liblimboai.web.template_release.wasm32.nothreads.wasm\"",
                    "web.release.wasm32 = \"res://addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm\"");
  char *c = replace(b, "web.debug.threads.wasm32 = \"res://addons/limboai/bin/liblimboai.web.editor.wasm32.wasm\"\n", "");
  char *d = replace(c, "web.release.threads.wasm32 = \"res://addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm\"\n", "");
  free(t);
  free(a);
  free(b);
  free(c);
  return d;
}

static char *limbo_project(const char *gdext_text, bool with_nothreads, bool with_threads) {
  char *d = new_project();
  char *t = data("project.godot");
  put_str(d, "project.godot", t);
  free(t);
  t = data("export_presets.cfg");
  put_str(d, "export_presets.cfg", t);
  free(t);
  put_str(d, "addons/limboai/limboai.gdextension", gdext_text);
  if (with_threads) {
    add_build(d, "addons/limboai/bin/liblimboai.web.editor.wasm32.wasm", true);
    add_build(d, "addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm", true);
  }
  if (with_nothreads) {
    add_build(d, "addons/limboai/bin/liblimboai.web.editor.wasm32.nothreads.wasm", false);
    add_build(d, "addons/limboai/bin/liblimboai.web.template_release.wasm32.nothreads.wasm", false);
  }
  return d;
}

static const wd_fix_file *file_of(const wd_fix_plan *p, const char *rel) {
  for (uint32_t i = 0; i < p->nfiles; i++)
    if (!strcmp(p->files[i].rel, rel)) return &p->files[i];
  return NULL;
}

static wd_fix_plan *plan(const char *dir, wd_fix_strategy s, wd_status want) {
  wd_fix_options o = {s, NULL, WD_HOST_UNKNOWN};
  wd_fix_plan *p = NULL;
  wd_error err;
  wd_status got = wd_fix_plan_make(dir, &o, &p, &err);
  CHECK_EQ_INT(got, want);
  if (got != want) {
    char buf[1400];
    wd_error_format(&err, buf, sizeof buf);
    fprintf(stderr, "  %s\n", buf);
  }
  return p;
}

/* The 1.4 .gdextension, fixed for nothreads: the expected text, built by hand. */
static void test_nothreads_limboai(void) {
  char *g = limboai_1_4();
  char *d = limbo_project(g, true, true);
  wd_fix_plan *p = plan(d, WD_FIX_AUTO, WD_OK);
  if (!p) goto out;
  CHECK_EQ_INT(p->strategy, WD_FIX_NOTHREADS);
  CHECK_CONTAINS(p->reason, "addons/limboai/limboai.gdextension");
  CHECK_EQ_INT(p->nfiles, 1); /* the preset is already Thread Support off */
  CHECK_EQ_INT(p->nmissing, 0);
  CHECK(p->headers_advice == NULL);
  const wd_fix_file *f = file_of(p, "addons/limboai/limboai.gdextension");
  CHECK(f != NULL);
  if (f) {
    char *a = replace(g, "liblimboai.web.editor.wasm32.wasm\"", "liblimboai.web.editor.wasm32.nothreads.wasm\"");
    char *b = replace(a, "liblimboai.web.template_release.wasm32.wasm\"",
                      "liblimboai.web.template_release.wasm32.nothreads.wasm\"\n"
                      "web.debug.threads.wasm32 = \"res://addons/limboai/bin/liblimboai.web.editor.wasm32.wasm\"\n"
                      "web.release.threads.wasm32 = \"res://addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm\"");
    CHECK_EQ_STR(f->new_text, b);
    CHECK_EQ_INT(f->new_len, strlen(b));
    CHECK_EQ_INT(f->nchanges, 4);
    free(a);
    free(b);
  }
  /* the result is what LimboAI 1.5 ships (tests/godot/data/cfg), up to the
   * order of the four web lines */
  char *diff = wd_fix_diff(p);
  CHECK_CONTAINS(diff, "+web.debug.threads.wasm32 = \"res://addons/limboai/bin/liblimboai.web.editor.wasm32.wasm\"\n");
  CHECK_CONTAINS(diff, "-web.debug.wasm32 = \"res://addons/limboai/bin/liblimboai.web.editor.wasm32.wasm\"\n");
  free(diff);

  /* apply: written, .bak, mode kept, check clean, and a second run has nothing to do */
  char path[4096];
  snprintf(path, sizeof path, "%s/addons/limboai/limboai.gdextension", d);
  chmod(path, 0640);
  wd_fix_plan_free(p);
  p = plan(d, WD_FIX_NOTHREADS, WD_OK);
  wd_error err;
  CHECK_EQ_INT(wd_fix_apply(p, &err), WD_OK);
  CHECK(p->checked_after);
  CHECK_EQ_INT(wd_findings_count(&p->after, WD_SEV_ERROR), 0);
  size_t n;
  char *now = in_proj(d, "addons/limboai/limboai.gdextension", &n);
  CHECK(now && n == p->files[0].new_len && !memcmp(now, p->files[0].new_text, n));
  free(now);
  char *bak = in_proj(d, "addons/limboai/limboai.gdextension.bak", &n);
  CHECK(bak && n == strlen(g) && !memcmp(bak, g, n));
  free(bak);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0640);
  wd_fix_plan_free(p);
  p = plan(d, WD_FIX_NOTHREADS, WD_OK);
  CHECK(p && p->nfiles == 0);
  /* and the other way round: only the preset (the threads keys are there) */
  wd_fix_plan_free(p);
  p = plan(d, WD_FIX_THREADS, WD_OK);
  CHECK(p && p->nfiles == 1 && file_of(p, "export_presets.cfg"));
out:
  wd_fix_plan_free(p);
  rm_rf(d);
  free(d);
  free(g);
}

/* export_presets.cfg (multi-line head_include, two presets): the only bytes
 * that change are the value's. */
static void test_presets_bytes(void) {
  char *d = new_project();
  char *pg = data("project.godot"), *ep = data("export_presets.cfg"), *gd = data("gdsqlite.gdextension");
  put_str(d, "project.godot", pg);
  put_str(d, "export_presets.cfg", ep);
  put_str(d, "addons/godot-sqlite/gdsqlite.gdextension", gd);
  const char *t[] = {"template_debug", "template_release"};
  for (int i = 0; i < 2; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "addons/godot-sqlite/bin/libgdsqlite.web.%s.wasm32.wasm", t[i]);
    add_build(d, rel, true);
    snprintf(rel, sizeof rel, "addons/godot-sqlite/bin/libgdsqlite.web.%s.wasm32.nothreads.wasm", t[i]);
    add_build(d, rel, false);
  }
  /* already right for nothreads: nothing to change */
  wd_fix_plan *p = plan(d, WD_FIX_AUTO, WD_OK);
  CHECK(p && p->strategy == WD_FIX_NOTHREADS && p->nfiles == 0 && p->nmissing == 0);
  wd_fix_plan_free(p);
  /* threads: one value, byte for byte */
  p = plan(d, WD_FIX_THREADS, WD_OK);
  CHECK(p && p->nfiles == 1);
  const wd_fix_file *f = p ? file_of(p, "export_presets.cfg") : NULL;
  CHECK(f != NULL);
  if (f) {
    char *want = replace(ep, "variant/thread_support=false", "variant/thread_support=true");
    CHECK_EQ_STR(f->new_text, want);
    CHECK_EQ_INT(f->nchanges, 1);
    CHECK_EQ_STR(f->changes[0].old_value, "false");
    CHECK_EQ_STR(f->changes[0].new_value, "true");
    free(want);
  }
  CHECK(p && p->headers_advice && p->headers_command && !strcmp(p->headers_command, "webdoctor headers --host HOST"));
  wd_fix_plan_free(p);
  /* threads on GitHub Pages: the PWA service worker too (its isolation
   * option is already true) */
  wd_fix_options o = {WD_FIX_THREADS, "Web", WD_HOST_GITHUB_PAGES};
  wd_error err;
  p = NULL;
  CHECK_EQ_INT(wd_fix_plan_make(d, &o, &p, &err), WD_OK);
  f = p ? file_of(p, "export_presets.cfg") : NULL;
  if (f) {
    char *a = replace(ep, "variant/thread_support=false", "variant/thread_support=true");
    char *want = replace(a, "progressive_web_app/enabled=false", "progressive_web_app/enabled=true");
    CHECK_EQ_STR(f->new_text, want);
    free(a);
    free(want);
  }
  CHECK(p && strstr(p->headers_advice, "GitHub Pages cannot send"));
  CHECK(p && !strcmp(p->headers_command, "webdoctor headers --host github-pages"));
  wd_fix_plan_free(p);
  /* --preset: not a Web preset, unknown */
  o = (wd_fix_options){WD_FIX_NOTHREADS, "Linux/X11", WD_HOST_UNKNOWN};
  p = NULL;
  wd_status s = wd_fix_plan_make(d, &o, &p, &err);
  CHECK_EQ_INT(s, WD_ERR_USAGE);
  o.preset = "Nope";
  s = wd_fix_plan_make(d, &o, &p, &err);
  CHECK_EQ_INT(s, WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "\"Web\"");
  rm_rf(d);
  free(d);
  free(pg);
  free(ep);
  free(gd);
}

/* CRLF and a byte order mark: inserted lines use the file's line ending. */
static void test_crlf(void) {
  char *g = limboai_1_4();
  size_t n = strlen(g);
  char *w = malloc(2 * n + 4);
  size_t k = 0;
  memcpy(w, "\xEF\xBB\xBF", 3);
  k = 3;
  for (size_t i = 0; i < n; i++) {
    if (g[i] == '\n') w[k++] = '\r';
    w[k++] = g[i];
  }
  w[k] = '\0';
  char *d = limbo_project(w, true, true);
  wd_fix_plan *p = plan(d, WD_FIX_NOTHREADS, WD_OK);
  const wd_fix_file *f = p ? file_of(p, "addons/limboai/limboai.gdextension") : NULL;
  CHECK(f != NULL);
  if (f) {
    CHECK(!memcmp(f->new_text, "\xEF\xBB\xBF", 3));
    bool bare = false;
    for (size_t i = 0; i < f->new_len; i++) bare |= f->new_text[i] == '\n' && (i == 0 || f->new_text[i - 1] != '\r');
    CHECK(!bare);
    CHECK_CONTAINS(f->new_text, "\r\nweb.release.threads.wasm32 = \"res://addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm\"\r\n");
  }
  wd_fix_plan_free(p);
  rm_rf(d);
  free(d);
  free(w);
  free(g);
}

/* Builds that are missing: auto goes threads and says why; nothreads lists
 * the extension and what to do. */
static void test_missing(void) {
  char *g = limboai_1_4();
  char *d = limbo_project(g, false, true);
  wd_fix_plan *p = plan(d, WD_FIX_AUTO, WD_OK);
  CHECK(p && p->strategy == WD_FIX_THREADS);
  if (p) CHECK_CONTAINS(p->reason, "liblimboai.web.editor.wasm32.wasm");
  wd_fix_plan_free(p);
  p = plan(d, WD_FIX_NOTHREADS, WD_OK);
  CHECK(p && p->nmissing == 1);
  if (p && p->nmissing) {
    CHECK_EQ_STR(p->missing[0].extension, "addons/limboai/limboai.gdextension");
    CHECK(!p->missing[0].threads);
    CHECK_CONTAINS(p->missing[0].advice, "threads=no");
    CHECK_CONTAINS(p->missing[0].advice, "limboai#332");
  }
  /* the .gdextension is left alone: there is nothing right to point at */
  CHECK(p && !file_of(p, "addons/limboai/limboai.gdextension"));
  wd_fix_plan_free(p);
  rm_rf(d);
  free(d);

  /* only builds without threads: threads cannot be had */
  d = limbo_project(g, true, false);
  p = plan(d, WD_FIX_THREADS, WD_OK);
  CHECK(p && p->nmissing == 1 && p->missing[0].threads);
  wd_fix_plan_free(p);
  p = plan(d, WD_FIX_AUTO, WD_OK);
  CHECK(p && p->strategy == WD_FIX_NOTHREADS && p->nmissing == 0);
  wd_fix_plan_free(p);
  rm_rf(d);
  free(d);
  free(g);
}

/* Two extensions in one bin/ folder: one's builds are never offered for
 * the other. */
static void test_shared_folder(void) {
  char *d = new_project();
  char *pg = data("project.godot"), *ep = data("export_presets.cfg");
  put_str(d, "project.godot", pg);
  put_str(d, "export_presets.cfg", ep);
  put_str(d, "bin/a.gdextension",
          "[configuration]\nentry_symbol = \"a_init\"\n\n[libraries]\n"
          "web.debug.wasm32 = \"res://bin/liba.web.template_debug.wasm32.wasm\"\n"
          "web.release.wasm32 = \"res://bin/liba.web.template_release.wasm32.wasm\"\n");
  put_str(d, "bin/b.gdextension",
          "[configuration]\nentry_symbol = \"b_init\"\n\n[libraries]\n"
          "web.debug.wasm32 = \"res://bin/libb.web.template_debug.wasm32.wasm\"\n"
          "web.release.wasm32 = \"res://bin/libb.web.template_release.wasm32.wasm\"\n");
  add_build(d, "bin/liba.web.template_debug.wasm32.wasm", true);
  add_build(d, "bin/liba.web.template_release.wasm32.wasm", true);
  add_build(d, "bin/libb.web.template_debug.wasm32.wasm", true);
  add_build(d, "bin/libb.web.template_release.wasm32.wasm", true);
  add_build(d, "bin/libb.web.template_debug.wasm32.nothreads.wasm", false);
  add_build(d, "bin/libb.web.template_release.wasm32.nothreads.wasm", false);
  wd_fix_plan *p = plan(d, WD_FIX_NOTHREADS, WD_OK);
  CHECK(p && p->nmissing == 1 && !strcmp(p->missing[0].extension, "bin/a.gdextension"));
  CHECK(p && !file_of(p, "bin/a.gdextension"));
  const wd_fix_file *b = p ? file_of(p, "bin/b.gdextension") : NULL;
  CHECK(b && strstr(b->new_text, "web.release.wasm32 = \"res://bin/libb.web.template_release.wasm32.nothreads.wasm\""));
  CHECK(b && strstr(b->new_text, "web.debug.wasm32 = \"res://bin/libb.web.template_debug.wasm32.nothreads.wasm\""));
  wd_fix_plan_free(p);
  p = plan(d, WD_FIX_AUTO, WD_OK);
  CHECK(p && p->strategy == WD_FIX_THREADS);
  if (p) CHECK_CONTAINS(p->reason, "bin/a.gdextension");
  wd_fix_plan_free(p);
  rm_rf(d);
  free(d);
  free(pg);
  free(ep);
}

/* Refusals: a file changed since it was read (even with the same size and
 * time), a file that cannot be parsed, Godot 4.2 without threads. */
static void test_refusals(void) {
  char *g = limboai_1_4();
  char *d = limbo_project(g, true, true);
  wd_fix_plan *p = plan(d, WD_FIX_THREADS, WD_OK);
  char path[4096];
  snprintf(path, sizeof path, "%s/export_presets.cfg", d);
  struct stat st;
  stat(path, &st);
  /* same size, same modification time, other bytes */
  size_t n;
  char *t = in_proj(d, "export_presets.cfg", &n);
  t[0] = t[0] == '[' ? '(' : '[';
  put_file(d, "export_presets.cfg", t, n);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  utimensat(AT_FDCWD, path, times, 0);
  wd_error err;
  CHECK_EQ_INT(wd_fix_apply(p, &err), WD_ERR_CONFLICT);
  CHECK_CONTAINS(err.msg, "content");
  char *after = in_proj(d, "export_presets.cfg", NULL);
  CHECK(after && !memcmp(after, t, n));
  free(after);
  char bak[4200];
  snprintf(bak, sizeof bak, "%s.bak", path);
  CHECK(access(bak, F_OK) != 0); /* refused before writing anything */
  /* nothing else was written either */
  CHECK(!p->files[0].written && (p->nfiles < 2 || !p->files[1].written));
  t[0] = '[';
  put_file(d, "export_presets.cfg", t, n);
  free(t);
  wd_fix_plan_free(p);
  /* a size change */
  p = plan(d, WD_FIX_THREADS, WD_OK);
  if (!p) goto out;
  FILE *f = fopen(path, "ab");
  fputs("\n", f);
  fclose(f);
  CHECK_EQ_INT(wd_fix_apply(p, &err), WD_ERR_CONFLICT);
  CHECK_CONTAINS(err.msg, "size");
out:
  wd_fix_plan_free(p);

  /* a .gdextension that cannot be parsed: refused, with its line */
  put_str(d, "addons/broken/broken.gdextension", "[configuration]\nentry_symbol = \"x\n\n[libraries]\n");
  p = NULL;
  wd_fix_options o = {WD_FIX_NOTHREADS, NULL, WD_HOST_UNKNOWN};
  CHECK_EQ_INT(wd_fix_plan_make(d, &o, &p, &err), WD_ERR_MALFORMED);
  CHECK(err.line > 0);
  CHECK_CONTAINS(err.file, "broken.gdextension");
  CHECK(p == NULL);
  snprintf(path, sizeof path, "%s/addons/broken", d);
  rm_rf(path);

  /* Godot 4.2: no nothreads export */
  char *pg = data("project.godot");
  char *pg42 = replace(pg, "PackedStringArray(\"4.3\"", "PackedStringArray(\"4.2\"");
  put_str(d, "project.godot", pg42);
  p = plan(d, WD_FIX_AUTO, WD_OK);
  CHECK(p && p->strategy == WD_FIX_THREADS);
  wd_fix_plan_free(p);
  p = NULL;
  CHECK_EQ_INT(wd_fix_plan_make(d, &o, &p, &err), WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "4.3");
  free(pg);
  free(pg42);

  /* not a project */
  rm_rf(d);
  mkdirs(d);
  CHECK_EQ_INT(wd_fix_plan_make(d, &o, &p, &err), WD_ERR_USAGE);
  CHECK_CONTAINS(err.msg, "project.godot");
  rm_rf(d);
  free(d);
  free(g);
}

/* A symbolic link to export_presets.cfg stays a link; its target is written. */
static void test_symlink(void) {
  char *g = limboai_1_4();
  char *d = limbo_project(g, true, true);
  char real[4096], link_[4096];
  snprintf(real, sizeof real, "%s/shared-presets.cfg", d);
  snprintf(link_, sizeof link_, "%s/export_presets.cfg", d);
  CHECK(rename(link_, real) == 0);
  CHECK(symlink("shared-presets.cfg", link_) == 0);
  wd_fix_plan *p = plan(d, WD_FIX_THREADS, WD_OK);
  wd_error err;
  CHECK(p && wd_fix_apply(p, &err) == WD_OK);
  struct stat st;
  CHECK(lstat(link_, &st) == 0 && S_ISLNK(st.st_mode));
  char *t = slurp(real, NULL);
  CHECK(t && strstr(t, "variant/thread_support=true"));
  free(t);
  wd_fix_plan_free(p);
  rm_rf(d);
  free(d);
  free(g);
}

int main(void) {
  src_dir = getenv("WD_SOURCE_DIR");
  fixtures = getenv("WD_FIXTURES");
  if (!src_dir || !fixtures) {
    fprintf(stderr, "WD_SOURCE_DIR and WD_FIXTURES must be set\n");
    return 1;
  }
  test_nothreads_limboai();
  test_presets_bytes();
  test_crlf();
  test_missing();
  test_shared_folder();
  test_refusals();
  test_symlink();
  return check_summary();
}
