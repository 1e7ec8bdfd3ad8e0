/*
 * The folder source: the top level of a folder on disk. Files are mapped
 * when read (wd_file_load), as the checks always did.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/file.h"
#include "common/i18n.h"
#include "common/source_int.h"

static char *join(const char *dir, const char *name) {
  size_t a = strlen(dir), b = strlen(name);
  char *p = malloc(a + b + 2);
  if (!p) return NULL;
  memcpy(p, dir, a);
  p[a] = '/';
  memcpy(p + a + 1, name, b + 1);
  return p;
}

wd_status wdi_source_folder_read(const wd_source *s, const char *name, uint64_t max_size, wd_source_data *out,
                                 wd_error *err) {
  char *path = join(s->dir, name);
  if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  wd_file f;
  wd_status st = wd_file_load(path, &f, max_size, err);
  free(path);
  if (st) return st;
  out->data = f.data;
  out->size = f.size;
  out->priv_mapped = f.mapped;
  out->priv_owned = f.owned;
  return WD_OK;
}

static wd_status folder_read(const wd_source *s, uint32_t i, uint64_t max_size, wd_source_data *out,
                             wd_error *err) {
  return wdi_source_folder_read(s, s->v[i].path, max_size, out, err);
}

static const wdi_source_ops folder_ops = {folder_read, NULL};

wd_status wd_source_open_folder(const char *dir, wd_source **out, wd_error *err) {
  *out = NULL;
  wd_source *s = wdi_source_new(WD_SOURCE_FOLDER, &folder_ops, dir);
  if (!s) return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  if (!(s->dir = malloc(n + 1))) {
    wd_source_free(s);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
  }
  memcpy(s->dir, dir, n);
  s->dir[n] = '\0';
  DIR *d = opendir(s->dir);
  if (!d) {
    wd_error_set_file(err, dir);
    wd_status st = wd_error_set(err, WD_ERR_IO, _("cannot open folder '%s': %s"), s->dir, strerror(errno));
    wd_source_free(s);
    return st;
  }
  struct dirent *de;
  wd_status st = WD_OK;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2]))) continue;
    char *path = join(s->dir, de->d_name);
    if (!path) {
      st = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
      break;
    }
    struct stat sb;
    int rc = stat(path, &sb);
    free(path);
    if (rc != 0) continue; /* a dangling link: as if absent */
    wd_entry_kind k = S_ISREG(sb.st_mode) ? WD_ENTRY_FILE : S_ISDIR(sb.st_mode) ? WD_ENTRY_DIR : WD_ENTRY_OTHER;
    uint64_t size = k == WD_ENTRY_FILE ? (uint64_t)sb.st_size : 0;
    if (wdi_source_add(s, de->d_name, strlen(de->d_name), k, size, size, 0)) {
      st = wd_error_set(err, WD_ERR_NOMEM, "%s", _("out of memory"));
      break;
    }
  }
  closedir(d);
  if (st) {
    wd_source_free(s);
    return st;
  }
  wdi_source_sort(s);
  *out = s;
  return WD_OK;
}
