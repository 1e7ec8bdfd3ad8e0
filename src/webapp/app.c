/*
 * The web app's entry points: the library compiled to WebAssembly, called
 * by the page's worker (web/worker.js).
 *
 * The worker hands the files the user dropped to the library as buffers in
 * the WebAssembly memory: wd_app_begin() makes room for them all, it asks
 * wd_app_put() for a buffer of a file's size and reads the file into it in
 * slices of a few MB (each slice copied once into the buffer), then
 * wd_app_run() checks them and returns one JSON document:
 *
 *   {"status": "ok" | "warnings" | "errors",
 *    "kind": "export" | "project" | "zip",
 *    "check": the document `webdoctor check --json` prints,
 *    "html": the report `check --html` writes,
 *    "fix": for a project: {"strategy", "reason", "diff",
 *           "files": [{"path", "text"}]}  (the files as `fix --apply`
 *           would write them), or {"error": "..."} when fix cannot plan,
 *    "checks": the number of checks this module has run,
 *    "error": instead of the rest when the input cannot be read at all}
 *
 * An export (files) is read through the in-memory export source, a zip
 * through the same libzip reader as the CLI (in memory). A Godot project is
 * read by the project checks and `fix`'s planning, which walk folders: its
 * files are written into Emscripten's in-memory file system first (projects
 * are small text files and a few side modules; the engine of an export,
 * tens of MB, never goes there).
 */
#include <emscripten.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "common/i18n.h"
#include "webapp/app.h"
#include "webdoctor/check.h"
#include "webdoctor/fix.h"
#include "webdoctor/html_report.h"
#include "webdoctor/report.h"
#include "webdoctor/source.h"

extern const char wd_app_zh_CN_mo[];
extern const size_t wd_app_zh_CN_mo_len;

#define PROJECT_ROOT "/project"

typedef struct app_file {
  char *path;
  uint8_t *data;
  uint64_t size;
} app_file;

static app_file *files;
static uint32_t nfiles;
static char project_dir[4096];

static void clear(void) {
  for (uint32_t i = 0; i < nfiles; i++) {
    free(files[i].path);
    free(files[i].data);
  }
  free(files);
  files = NULL;
  nfiles = 0;
  project_dir[0] = '\0';
}

static void forget(void);

/* Forget the previous files and make room for n files of `total` bytes in
 * all (a double: a JavaScript number). 0 on success.
 *
 * The memory grows once, here, to hold them all: a block of the total size
 * is allocated and freed, and the allocator (dlmalloc, which never gives
 * memory back to a WebAssembly memory) then carves wd_app_put()'s buffers
 * from it. Growing step by step, buffer by buffer, may copy the whole heap
 * each time. */
EMSCRIPTEN_KEEPALIVE int wd_app_begin(uint32_t n, double total) {
  forget();
  clear();
  if (n == 0) return 0;
  if (total < 0 || total > (double)SIZE_MAX / 2) return -1;
  files = calloc(n, sizeof *files);
  if (!files) return -1;
  nfiles = n;
  /* room for each buffer's header and alignment too */
  void *room = malloc((size_t)total + (size_t)n * 64 + 4096);
  if (!room) return -1;
  free(room);
  return 0;
}

/* A buffer of `size` bytes for file i, named `path` (relative, '/'-separated),
 * for the caller to fill; NULL when out of memory. `size` is a double: a
 * JavaScript number, exact up to 2^53. */
EMSCRIPTEN_KEEPALIVE uint8_t *wd_app_put(uint32_t i, const char *path, double size) {
  if (i >= nfiles || size < 0 || size > (double)WD_ZIP_ENTRY_MAX) return NULL;
  free(files[i].path);
  free(files[i].data);
  files[i].size = (uint64_t)size;
  files[i].path = strdup(path);
  files[i].data = malloc(files[i].size ? (size_t)files[i].size : 1);
  if (!files[i].path || !files[i].data) {
    free(files[i].path);
    free(files[i].data);
    files[i].path = NULL;
    files[i].data = NULL;
    return NULL;
  }
  return files[i].data;
}

EMSCRIPTEN_KEEPALIVE void wd_app_release(char *p) {
  free(p);
}

static const char *status_of(const wd_findings *fs) {
  int worst = -1;
  for (uint32_t i = 0; i < fs->n; i++)
    if ((int)fs->v[i].severity > worst) worst = (int)fs->v[i].severity;
  return worst == WD_SEV_ERROR ? "errors" : worst == WD_SEV_WARNING ? "warnings" : "ok";
}

static bool is_project(void) {
  for (uint32_t i = 0; i < nfiles; i++)
    if (files[i].path && !strcmp(files[i].path, "project.godot")) return true;
  return false;
}

/* mkdir -p for the folders of `path` (an absolute path to a file) */
static int make_parents(char *path) {
  for (char *p = path + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    int rc = mkdir(path, 0755);
    *p = '/';
    if (rc && errno != EEXIST) return -1;
  }
  return 0;
}

/* Write the project into the in-memory file system, under a new folder
 * named after it (a second project never sees the first's files). Folders
 * whose name starts with '.' (.godot's import cache, .git) are left out:
 * the project checks skip them too. */
static int write_project(const char *name, wd_error *err) {
  static unsigned generation;
  char base[256];
  snprintf(base, sizeof base, "%s/%u", PROJECT_ROOT, ++generation);
  mkdir(PROJECT_ROOT, 0755);
  if (mkdir(base, 0755) && errno != EEXIST)
    return wd_error_set(err, WD_ERR_IO, "%s: %s", base, strerror(errno));
  snprintf(project_dir, sizeof project_dir, "%s/%s", base, name && *name ? name : "project");
  if (mkdir(project_dir, 0755) && errno != EEXIST)
    return wd_error_set(err, WD_ERR_IO, "%s: %s", project_dir, strerror(errno));
  for (uint32_t i = 0; i < nfiles; i++) {
    const char *rel = files[i].path;
    if (!rel || rel[0] == '.' || strstr(rel, "/.") || strstr(rel, "..")) continue;
    char full[8192];
    int k = snprintf(full, sizeof full, "%s/%s", project_dir, rel);
    if (k < 0 || (size_t)k >= sizeof full) continue;
    FILE *f = make_parents(full) ? NULL : fopen(full, "wb");
    if (!f || (files[i].size && fwrite(files[i].data, 1, (size_t)files[i].size, f) != files[i].size)) {
      if (f) fclose(f);
      return wd_error_set(err, WD_ERR_IO, "%s: %s", rel, strerror(errno));
    }
    fclose(f);
    /* the bytes live in the file system now */
    free(files[i].data);
    files[i].data = NULL;
  }
  return WD_OK;
}

/* ---- the last result --------------------------------------------------
 *
 * What a check found is kept until the next wd_app_begin(): the findings
 * (message IDs and arguments, rendered late), the summary with the load
 * chain, the export source the report reads the modules' facts from, and
 * for a project the fix plan. wd_app_render() writes them in another
 * language without checking again and without the files being given again.
 */
static struct {
  bool have;
  const char *kind;          /* "export" | "project" | "zip" */
  char *name;
  wd_findings fs;
  wd_check_summary sum;
  wd_source *src;            /* export and zip: over the files' buffers */
  wd_fix_plan *plan;         /* project: the plan, or NULL with plan_err */
  wd_error plan_err;         /* msg in Chinese, msg_en in English (see keep_plan) */
} last;

/* how many checks this module has run: the page shows it, and a test reads
 * it to see that a language switch only renders */
static unsigned checks_run;

static void forget(void) {
  wd_findings_free(&last.fs);
  wd_source_free(last.src);
  wd_fix_plan_free(last.plan);
  free(last.name);
  memset(&last, 0, sizeof last);
}

static bool is_zh(const char *lang) {
  return lang && !strncmp(lang, "zh", 2);
}

static void use_language(const char *lang) {
  if (is_zh(lang))
    wd_i18n_use_mo((const unsigned char *)wd_app_zh_CN_mo, wd_app_zh_CN_mo_len);
  else
    wd_i18n_use_mo(NULL, 0);
}

/* The fix plan of the project. Its texts the page shows are kept in both
 * languages: the reason as a message (reason_msg), and an error (a project
 * fix cannot plan for) worded with Chinese active, so that wd_error holds
 * it in Chinese (msg) and in English (msg_en). */
static void keep_plan(void) {
  wd_fix_options fo = {.strategy = WD_FIX_AUTO};
  wd_error_clear(&last.plan_err);
  use_language("zh_CN");
  if (wd_fix_plan_make(project_dir, &fo, &last.plan, &last.plan_err) != WD_OK) last.plan = NULL;
}

static cJSON *fix_json(const char *lang) {
  cJSON *j = cJSON_CreateObject();
  if (!j) return NULL;
  const wd_fix_plan *plan = last.plan;
  if (!plan) {
    cJSON_AddStringToObject(j, "error", is_zh(lang) ? last.plan_err.msg : last.plan_err.msg_en);
    return j;
  }
  char *diff = wd_fix_diff(plan);
  char *reason = wd_msg_str(&plan->reason_msg, false);
  cJSON_AddStringToObject(j, "strategy", wd_fix_strategy_name(plan->strategy));
  cJSON_AddStringToObject(j, "reason", reason ? reason : "");
  cJSON_AddStringToObject(j, "diff", diff ? diff : "");
  free(reason);
  free(diff);
  cJSON *arr = cJSON_AddArrayToObject(j, "files");
  for (uint32_t i = 0; arr && i < plan->nfiles; i++) {
    cJSON *f = cJSON_CreateObject();
    if (!f) break;
    cJSON_AddStringToObject(f, "path", plan->files[i].rel);
    cJSON_AddStringToObject(f, "text", plan->files[i].new_text ? plan->files[i].new_text : "");
    cJSON_AddItemToArray(arr, f);
  }
  if (plan->headers_command) cJSON_AddStringToObject(j, "headers_command", plan->headers_command);
  return j;
}

static char *print_error(const wd_error *err) {
  cJSON *j = cJSON_CreateObject();
  char line[1200];
  if (err->file[0] && !strstr(err->msg, err->file))
    snprintf(line, sizeof line, "%s: %s", err->file, err->msg);
  else
    snprintf(line, sizeof line, "%s", err->msg);
  cJSON_AddStringToObject(j, "error", line);
  cJSON_AddNumberToObject(j, "checks", checks_run);
  char *s = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  return s;
}

/* The last result in `lang` ("en" or "zh_CN"): the JSON document described
 * at the top, with "checks" (the number of checks run so far). Renders
 * only: nothing is checked or read again from the user's files. Free with
 * wd_app_release; NULL when out of memory. */
EMSCRIPTEN_KEEPALIVE char *wd_app_render(const char *lang) {
  use_language(lang);
  wd_error err;
  wd_error_clear(&err);
  if (!last.have) {
    wd_error_set(&err, WD_ERR_USAGE, "%s", W_("nothing has been checked yet"));
    return print_error(&err);
  }
  wd_render_options ro = {last.name, false, is_zh(lang) ? "zh_CN" : NULL};
  cJSON *root = cJSON_CreateObject();
  cJSON *check = wd_findings_json(&last.fs, &ro);
  if (check) cJSON_AddItemToObject(check, "target", wd_check_summary_json(&last.sum));
  char *html = NULL;
  size_t html_len = 0;
  wd_html_options ho = {.subject = last.name};
  bool project = !strcmp(last.kind, "project");
  if (project) ho.dir = project_dir;
  else ho.source = last.src;
  wd_html_report_render(&last.fs, &last.sum, &ho, &html, &html_len, &err);
  char *out = NULL;
  if (root && check) {
    cJSON_AddStringToObject(root, "status", status_of(&last.fs));
    cJSON_AddStringToObject(root, "kind", last.kind);
    cJSON_AddItemToObject(root, "check", check);
    check = NULL;
    cJSON_AddStringToObject(root, "html", html ? html : "");
    if (project) cJSON_AddItemToObject(root, "fix", fix_json(lang));
    cJSON_AddNumberToObject(root, "checks", checks_run);
    out = cJSON_PrintUnformatted(root);
  }
  cJSON_Delete(check);
  cJSON_Delete(root);
  free(html);
  return out;
}

/* Check the files given since wd_app_begin(). mode "zip": file 0 is a zip
 * archive; "files": an export folder's files or a Godot project's (it holds
 * project.godot). `name` is what the user dropped (the folder or the zip's
 * name), `lang` "en" or "zh_CN". Keeps the result and returns it rendered,
 * as wd_app_render(lang) does. */
EMSCRIPTEN_KEEPALIVE char *wd_app_run(const char *mode, const char *name, const char *lang) {
  forget();
  use_language(lang);
  wd_error err;
  wd_error_clear(&err);
  wd_check_options o = {0};
  wd_status s;
  /* one file that starts like a zip is read as one whatever its name (a
   * download saved without ".zip"), as `check FILE` does */
  bool zip = (mode && !strcmp(mode, "zip")) ||
             (nfiles == 1 && files[0].data && wd_source_is_zip_bytes(files[0].data, (size_t)files[0].size));
  checks_run++;
  last.name = strdup(name ? name : "");
  if (!last.name) return NULL;
  if (zip) {
    last.kind = "zip";
    if (nfiles != 1 || !files[0].data) {
      wd_error_set(&err, WD_ERR_USAGE, "%s", W_("give one .zip file"));
      return print_error(&err);
    }
    s = wd_check_zip_memory(name, files[0].data, files[0].size, &o, &last.fs, &last.sum, &err);
    /* the module facts of the report are read from the archive again */
    if (s == WD_OK) {
      wd_error e2;
      if (wd_source_open_zip_memory(name, files[0].data, files[0].size, &last.src, &e2) != WD_OK) last.src = NULL;
    }
  } else if (project_dir[0] || is_project()) {
    last.kind = "project";
    s = project_dir[0] ? WD_OK : write_project(name, &err);
    if (s == WD_OK) s = wd_check_dir(project_dir, &o, &last.fs, &last.sum, &err);
    if (s == WD_OK) keep_plan();
  } else {
    last.kind = "export";
    wd_source_file *v = calloc(nfiles ? nfiles : 1, sizeof *v);
    if (!v) return NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < nfiles; i++)
      if (files[i].path && files[i].data) v[n++] = (wd_source_file){files[i].path, files[i].data, files[i].size};
    s = wd_source_open_memory(name, v, n, &last.src, &err);
    free(v);
    if (s == WD_OK) s = wd_check_export_source(last.src, &o, &last.fs, &last.sum, &err);
  }
  if (s != WD_OK) {
    forget();
    return print_error(&err);
  }
  last.have = true;
  return wd_app_render(lang);
}
