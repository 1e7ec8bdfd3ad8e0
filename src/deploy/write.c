/* headers --write: the files into the export folder, server configuration beside it, backups. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/limits.h"
#include "common/atomic.h"
#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "common/str.h"
#include "deploy/deploy_int.h"
#include "webdoctor/wasm.h"
#include "wd_config.h"

/* ---- writing ---------------------------------------------------------------- */

static char *join(const char *dir, const char *name) { return wd_asprintf("%s/%s", dir, name); }

/* The one atomic write (common/atomic.h), worded for headers --write. */
static wd_status write_atomic(const char *path, const char *data, size_t len, mode_t mode, wd_error *err) {
  wd_status s = wd_atomic_write(path, data, len, (int)mode, err);
  if (s != WD_ERR_IO) return s;
  int e = errno;
  wd_error_set_file(err, path);
  return wd_error_set(err, WD_ERR_IO, N_("cannot write '%s': %s"), path, strerror(e));
}

char *wd_headers_outside_dir(const char *dir, wd_error *err) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  const char *last = dir + n;
  while (last > dir && last[-1] != '/') last--;
  size_t ln = (size_t)(dir + n - last);
  char *out = NULL;
  if (ln == 0 || (ln == 1 && last[0] == '.') || (ln == 2 && last[0] == '.' && last[1] == '.')) {
    /* "." or "..": its name is needed, so resolve it */
    char *real = realpath(dir, NULL);
    if (!real) {
      wd_error_set_file(err, dir);
      wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), dir, strerror(errno));
      return NULL;
    }
    if (strcmp(real, "/") == 0) {
      free(real);
      wd_error_set_file(err, dir);
      wd_error_set(err, WD_ERR_USAGE,
                   N_("'%s' is the root folder: there is no folder beside it for server configuration "
                     "and backups"), dir);
      return NULL;
    }
    out = wd_asprintf("%s.webdoctor", real);
    free(real);
  } else if (n == 1 && dir[0] == '/') {
    wd_error_set_file(err, dir);
    wd_error_set(err, WD_ERR_USAGE,
                 N_("'%s' is the root folder: there is no folder beside it for server configuration "
                   "and backups"), dir);
    return NULL;
  } else {
    out = wd_asprintf("%.*s.webdoctor", (int)n, dir);
  }
  if (!out) wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  return out;
}

/* The folder beside the export, created on first use. */
static wd_status outside_ready(const char *out, bool *made, wd_error *err) {
  if (*made) return WD_OK;
  struct stat st;
  if (mkdir(out, 0755) != 0) {
    int e = errno;
    if (e != EEXIST || stat(out, &st) != 0 || !S_ISDIR(st.st_mode)) {
      wd_error_set_file(err, out);
      if (e == EEXIST) return wd_error_set(err, WD_ERR_IO, N_("'%s' exists and is not a folder"), out);
      return wd_error_set(err, WD_ERR_IO, N_("cannot create the folder '%s': %s"), out, strerror(e));
    }
  }
  *made = true;
  return WD_OK;
}

/* A free backup path in `out`: NAME.bak, NAME.bak.1, ...: an existing
 * backup is never overwritten, so the first one keeps the user's original. */
static char *backup_path(const char *out, const char *name) {
  for (int i = 0; i < 10000; i++) {
    char *p = i ? wd_asprintf("%s/%s.bak.%d", out, name, i) : wd_asprintf("%s/%s.bak", out, name);
    if (!p) return NULL;
    struct stat st;
    if (lstat(p, &st) != 0 && errno == ENOENT) return p;
    free(p);
  }
  return NULL;
}

static wd_status write_one(const wd_headers_file *f, const char *dir, const char *out, bool *made,
                           wd_headers_written *w, wd_error *err) {
  wd_status s = WD_OK;
  if (f->outside && (s = outside_ready(out, made, err))) return s;
  char *path = join(f->outside ? out : dir, f->name);
  if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wd_file old = {0};
  bool have = false;
  mode_t mode = 0644;
  struct stat st;
  if (stat(path, &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      wd_error_set_file(err, path);
      s = wd_error_set(err, WD_ERR_IO, N_("'%s' exists and is not a regular file"), path);
      goto done;
    }
    if ((s = wd_file_load(path, &old, WD_MAX_HOST_CONFIG_SIZE, err))) goto done;
    have = true;
    mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    wd_error_set_file(err, path);
    s = wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), path, strerror(errno));
    goto done;
  }
  char *text = wd_headers_merge_text(f, have ? (const char *)old.data : NULL, have ? (size_t)old.size : 0, err);
  if (!text) {
    s = err->code ? err->code : WD_ERR_NOMEM;
    goto done;
  }
  size_t tlen = strlen(text);
  if (!(w->name = wd_strdup(f->name)) || !(w->path = wd_strdup(path))) {
    free(text);
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    goto done;
  }
  if (have && old.size == tlen && !memcmp(old.data, text, tlen)) {
    w->action = WD_WRITE_UNCHANGED;
    free(text);
    goto done;
  }
  if (have) {
    /* the backup first, outside the deployed folder: the old bytes are safe
       before anything changes, and never published */
    if ((s = outside_ready(out, made, err))) {
      free(text);
      goto done;
    }
    char *bp = backup_path(out, f->name);
    if (!bp) {
      free(text);
      s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
      goto done;
    }
    s = write_atomic(bp, (const char *)old.data, (size_t)old.size, mode, err);
    if (s) {
      free(bp);
      free(text);
      goto done;
    }
    w->backup = bp;
  }
  s = write_atomic(path, text, tlen, mode, err);
  free(text);
  w->action = have ? WD_WRITE_UPDATED : WD_WRITE_CREATED;
done:
  if (have) wd_file_close(&old);
  free(path);
  return s;
}

wd_status wd_headers_write(const wd_headers_plan *p, const char *dir, wd_headers_report *report,
                           wd_error *err) {
  report->n = 0;
  report->v = NULL;
  report->outside = NULL;
  if (p->export_dir && *p->export_dir)
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("'%s' is a Godot project folder: --write writes into the export folder its Web preset "
                          "\"%s\" exports to: --dir %s"),
                        dir, p->preset, p->export_dir);
  if (p->export_dir)
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("'%s' is a Godot project folder: --write writes into the export folder (give it with "
                          "--dir)"),
                        dir);
  struct stat st;
  if (stat(dir, &st) != 0)
    return wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), dir, strerror(errno));
  if (!S_ISDIR(st.st_mode)) return wd_error_set(err, WD_ERR_USAGE, N_("'%s' is not a folder"), dir);
  char *out = wd_headers_outside_dir(dir, err);
  if (!out) return err->code ? err->code : WD_ERR_NOMEM;
  if (p->nfiles && !(report->v = calloc(p->nfiles, sizeof *report->v))) {
    free(out);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  bool made = false;
  wd_status s = WD_OK;
  for (uint32_t i = 0; i < p->nfiles && !s; i++) {
    s = write_one(&p->files[i], dir, out, &made, &report->v[i], err);
    if (report->v[i].name) report->n = i + 1;
  }
  if (made) report->outside = out;
  else free(out);
  return s;
}

void wd_headers_report_free(wd_headers_report *r) {
  for (uint32_t i = 0; i < r->n; i++) {
    free(r->v[i].name);
    free(r->v[i].path);
    free(r->v[i].backup);
  }
  free(r->v);
  free(r->outside);
  r->outside = NULL;
  r->v = NULL;
  r->n = 0;
}
