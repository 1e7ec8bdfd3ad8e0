/*
 * Fuzz target: the commands themselves, not only the parsers under them.
 *
 * The input becomes one file of a real export or project (copied once from
 * examples/ into a temporary folder), chosen by what the bytes look like, so
 * that seeds and their mutations stay on topic:
 *   "\0asm..."         index.wasm, the extension, or a lone module
 *   "GDPC..."          index.pck
 *   HTML               index.html
 *   "[preset." / "[configuration]" / "config_version"
 *                      export_presets.cfg / the .gdextension / project.godot
 *   anything else      index.js (the glue)
 * and then the command entry points run on it with fixed argument lists, as
 * main() calls them: inspect, link (as main, as side, as --glue), check on
 * the export and on the project, fix (a dry run), headers --dir. Every
 * command must return 0, 1 or 2; the file is put back afterwards.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef WD_SOURCE_DIR
#error "WD_SOURCE_DIR must name the source tree (fuzz/CMakeLists.txt sets it)"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];        /* the temporary folder */
static char exp_dir[128];    /* root/export: examples/seed-export */
static char proj_dir[128];   /* root/project: examples/seed-project */
static char lone[128];       /* root/lone.wasm */
static int null_fd = -1;     /* where the reports go */

/* A copy of src into dst (files only, one level of sub-folders deep is
   enough for the examples: addons/limboai/bin) */
static int copy_tree(const char *src, const char *dst) {
  if (mkdir(dst, 0700) != 0) return -1;
  DIR *d = opendir(src);
  if (!d) return -1;
  struct dirent *e;
  int rc = 0;
  while (rc == 0 && (e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    char s[1024], t[1024];
    snprintf(s, sizeof s, "%s/%s", src, e->d_name);
    snprintf(t, sizeof t, "%s/%s", dst, e->d_name);
    struct stat st;
    if (stat(s, &st) != 0) rc = -1;
    else if (S_ISDIR(st.st_mode)) rc = copy_tree(s, t);
    else {
      FILE *in = fopen(s, "rb"), *out = fopen(t, "wb");
      char buf[65536];
      size_t n;
      while (in && out && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n) rc = -1;
      if (!in || !out) rc = -1;
      if (in) fclose(in);
      if (out && fclose(out) != 0) rc = -1;
    }
  }
  closedir(d);
  return rc;
}

static void remove_tree(const char *path) {
  DIR *d = opendir(path);
  if (d) {
    struct dirent *e;
    while ((e = readdir(d))) {
      if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
      char s[1024];
      snprintf(s, sizeof s, "%s/%s", path, e->d_name);
      remove_tree(s);
    }
    closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

static void cleanup(void) {
  if (root[0]) remove_tree(root);
}

static void setup(void) {
  snprintf(root, sizeof root, "%s", "/tmp/wd-fuzz-cli-XXXXXX");
  const char *tmp = getenv("TMPDIR");
  if (tmp && strlen(tmp) + 24 < sizeof root) snprintf(root, sizeof root, "%s/wd-fuzz-cli-XXXXXX", tmp);
  if (!mkdtemp(root)) abort();
  atexit(cleanup);
  snprintf(exp_dir, sizeof exp_dir, "%s/export", root);
  snprintf(proj_dir, sizeof proj_dir, "%s/project", root);
  snprintf(lone, sizeof lone, "%s/lone.wasm", root);
  if (copy_tree(WD_SOURCE_DIR "/examples/seed-export", exp_dir) != 0 ||
      copy_tree(WD_SOURCE_DIR "/examples/seed-project", proj_dir) != 0) {
    fprintf(stderr, "fuzz_cli: cannot copy the examples from %s\n", WD_SOURCE_DIR);
    abort();
  }
  null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null_fd < 0) abort();
}

/* Read a whole file (to put it back), or NULL. */
static uint8_t *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  uint8_t *buf = NULL;
  size_t cap = 0;
  *n = 0;
  for (;;) {
    if (*n == cap) {
      uint8_t *nb = realloc(buf, cap ? cap * 2 : 65536);
      if (!nb) break;
      buf = nb;
      cap = cap ? cap * 2 : 65536;
    }
    size_t r = fread(buf + *n, 1, cap - *n, f);
    if (r == 0) break;
    *n += r;
  }
  fclose(f);
  return buf;
}

static void put(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f) abort();
  if (size && fwrite(data, 1, size, f) != size) abort();
  if (fclose(f) != 0) abort();
}

static void run(int (*cmd)(wd_cli *, int, char **), int argc, const char **args) {
  char *argv[16];
  for (int i = 0; i < argc && i < 15; i++) argv[i] = (char *)args[i];
  argv[argc] = NULL;
  wd_cli cli = {"webdoctor", WD_COLOR_NEVER};
  /* the commands print their reports: not what is being tested (and the
     replay prints its count on stdout at the end) */
  fflush(stdout);
  int saved = dup(STDOUT_FILENO);
  dup2(null_fd, STDOUT_FILENO);
  int rc = cmd(&cli, argc, argv);
  fflush(stdout);
  if (saved >= 0) {
    dup2(saved, STDOUT_FILENO);
    close(saved);
  }
  if (rc < 0 || rc > 2) {
    fprintf(stderr, "fuzz_cli: %s returned %d\n", args[0], rc);
    abort();
  }
}

static bool starts(const uint8_t *d, size_t n, const char *s, size_t k) {
  return n >= k && !memcmp(d, s, k);
}

static bool has(const uint8_t *d, size_t n, const char *s) {
  return memmem(d, n, s, strlen(s)) != NULL;
}

/* The input as FILE in the export (or project), the commands on it, FILE
   restored. */
static void as_file(const char *dir, const char *name, const uint8_t *data, size_t size, bool project) {
  char path[256];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t on = 0;
  uint8_t *orig = slurp(path, &on);
  put(path, data, size);
  if (project) {
    run(wd_cmd_check, 3, (const char *[]){"check", "--json", dir});
    run(wd_cmd_fix, 2, (const char *[]){"fix", dir});
    run(wd_cmd_fix, 4, (const char *[]){"fix", "--strategy", "threads", dir});
  } else {
    run(wd_cmd_check, 2, (const char *[]){"check", dir});
    run(wd_cmd_check, 5, (const char *[]){"check", "--sarif", "--host", "itch", dir});
    run(wd_cmd_headers, 5, (const char *[]){"headers", "--host", "netlify", "--dir", dir});
  }
  if (orig) put(path, orig, on);
  else unlink(path);
  free(orig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!root[0]) setup();
  char engine[160], ext[200];
  snprintf(engine, sizeof engine, "%s/index.wasm", exp_dir);
  snprintf(ext, sizeof ext, "%s/liblimboai.web.template_release.wasm32.wasm", exp_dir);
  if (starts(data, size, "\0asm", 4)) {
    put(lone, data, size);
    run(wd_cmd_inspect, 3, (const char *[]){"inspect", "-a", lone});
    run(wd_cmd_inspect, 3, (const char *[]){"inspect", "--json", lone});
    run(wd_cmd_link, 3, (const char *[]){"link", engine, lone});
    run(wd_cmd_link, 5, (const char *[]){"link", "--json", lone, "--preload", ext});
    /* the engine's place or the extension's, by the size */
    as_file(exp_dir, size % 2 ? "index.wasm" : "liblimboai.web.template_release.wasm32.wasm", data, size, false);
    as_file(proj_dir, "addons/limboai/bin/liblimboai.web.template_release.wasm32.wasm", data, size, true);
  } else if (starts(data, size, "GDPC", 4)) {
    as_file(exp_dir, "index.pck", data, size, false);
  } else if (has(data, size, "<html") || has(data, size, "<!DOCTYPE") || has(data, size, "<script")) {
    as_file(exp_dir, "index.html", data, size, false);
  } else if (has(data, size, "[preset.")) {
    as_file(proj_dir, "export_presets.cfg", data, size, true);
  } else if (has(data, size, "[configuration]") || has(data, size, "[libraries]")) {
    as_file(proj_dir, "addons/limboai/limboai.gdextension", data, size, true);
  } else if (has(data, size, "config_version")) {
    as_file(proj_dir, "project.godot", data, size, true);
  } else {
    char glue[160];
    snprintf(glue, sizeof glue, "%s/glue.js", root);
    put(glue, data, size);
    run(wd_cmd_link, 5, (const char *[]){"link", "--glue", glue, engine, ext});
    as_file(exp_dir, "index.js", data, size, false);
  }
  return 0;
}
