/*
 * The file system side of the export sources: the folder source (the top
 * level of a folder on disk; files are mapped when read, as the checks
 * always did), and opening a path as a folder or a zip archive.
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
#include "common/str.h"

wd_status wdi_source_folder_read(const wd_source *s, const char *name, uint64_t max_size, wd_file_mode mode,
                                 wd_source_data *out, wd_error *err) {
  char *path = wd_asprintf("%s/%s", s->dir, name);
  if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wd_file f;
  wd_status st = wd_file_load_as(path, &f, max_size, mode, err);
  free(path);
  if (st) return st;
  out->data = f.data;
  out->size = f.size;
  out->priv_mapped = f.mapped;
  out->priv_owned = f.owned;
  out->priv_big_len = f.big_len;
  out->priv_arriving = f.arriving;
  return WD_OK;
}

static wd_status folder_read(const wd_source *s, uint32_t i, uint64_t max_size, wd_source_data *out,
                             wd_error *err) {
  return wdi_source_folder_read(s, s->v[i].path, max_size, WD_FILE_MAPPED, out, err);
}

static const wdi_source_ops folder_ops = {folder_read, NULL};

wd_status wd_source_open_folder(const char *dir, wd_source **out, wd_error *err) {
  *out = NULL;
  wd_source *s = wdi_source_new(WD_SOURCE_FOLDER, &folder_ops, dir);
  if (!s) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  if (!(s->dir = wd_strndup(dir, n))) {
    wd_source_free(s);
    return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  }
  DIR *d = opendir(s->dir);
  if (!d) {
    wd_error_set_file(err, dir);
    wd_status st = wd_error_set(err, WD_ERR_IO, N_("cannot open folder '%s': %s"), s->dir, strerror(errno));
    wd_source_free(s);
    return st;
  }
  struct dirent *de;
  wd_status st = WD_OK;
  while ((de = readdir(d))) {
    if (de->d_name[0] == '.' && (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2]))) continue;
    char *path = wd_asprintf("%s/%s", s->dir, de->d_name);
    if (!path) {
      st = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
      break;
    }
    struct stat sb;
    int rc = stat(path, &sb);
    free(path);
    if (rc != 0) continue; /* a dangling link: as if absent */
    wd_entry_kind k = S_ISREG(sb.st_mode) ? WD_ENTRY_FILE : S_ISDIR(sb.st_mode) ? WD_ENTRY_DIR : WD_ENTRY_OTHER;
    uint64_t size = k == WD_ENTRY_FILE ? (uint64_t)sb.st_size : 0;
    if (wdi_source_add(s, de->d_name, strlen(de->d_name), k, size, size, 0)) {
      st = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
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

wd_status wd_source_open_zip(const char *path, wd_source **out, wd_error *err) {
  *out = NULL;
  wd_file f;
  wd_status st = wd_file_load(path, &f, 0, err);
  if (st) return st;
  return wdi_source_open_zip_file(path, &f, out, err);
}

/* ---- dispatch ------------------------------------------------------------------ */

bool wd_source_is_zip_bytes(const unsigned char *m, size_t n) {
  /* a local file header, or the end record of an empty archive */
  return n >= 4 && m[0] == 'P' && m[1] == 'K' && ((m[2] == 3 && m[3] == 4) || (m[2] == 5 && m[3] == 6));
}

bool wd_source_is_zip_file(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  FILE *f = fopen(path, "rb");
  if (!f) return false;
  unsigned char m[4] = {0};
  size_t n = fread(m, 1, 4, f);
  fclose(f);
  return wd_source_is_zip_bytes(m, n);
}

wd_status wd_source_open(const char *path, wd_source **out, wd_error *err) {
  *out = NULL;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return wd_source_open_folder(path, out, err);
  if (wd_source_is_zip_file(path)) return wd_source_open_zip(path, out, err);
  wd_error_set_file(err, path);
  if (stat(path, &st) != 0) return wd_source_open_folder(path, out, err); /* says why */
  return wd_error_set(err, WD_ERR_USAGE, N_("'%s' is neither a folder nor a zip archive"), path);
}
