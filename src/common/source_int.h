/* Internals of the export sources (not installed). */
#ifndef WD_SOURCE_INT_H
#define WD_SOURCE_INT_H

#include "common/file.h"
#include "webdoctor/source.h"

typedef struct wdi_source_ops {
  wd_status (*read)(const wd_source *s, uint32_t i, uint64_t max_size, wd_source_data *out, wd_error *err);
  void (*release)(wd_source *s);
} wdi_source_ops;

struct wd_source {
  wd_source_kind kind;
  const wdi_source_ops *ops;
  char *name;
  char *dir;                  /* folder: the folder */
  char *prefix;               /* sub: "" otherwise */
  const wd_source *parent;    /* sub: the source it views */
  uint32_t n, cap;
  wd_source_entry *v;         /* sorted by path */
  uint64_t *ref;              /* per entry: zip index, memory file, parent entry */
  bool borrowed_paths;        /* paths point into the parent's */
  uint64_t archive_size;
  void *impl;                 /* the zip state, the memory files */
};

wd_source *wdi_source_new(wd_source_kind kind, const wdi_source_ops *ops, const char *name);
/* Append an entry (path copied); -1 on out of memory. */
int wdi_source_add(wd_source *s, const char *path, size_t len, wd_entry_kind kind, uint64_t size,
                   uint64_t stored, uint64_t ref);
/* Sort the entries by path. */
void wdi_source_sort(wd_source *s);
/* err->file = "<source name>/<path>" */
void wdi_source_error_file(const wd_source *s, const char *path, wd_error *err);

/* A zip source over a loaded archive, which it keeps (and closes, also on
 * failure). */
wd_status wdi_source_open_zip_file(const char *name, wd_file *file, wd_source **out, wd_error *err);

/* A folder's file, loaded as `mode` says (common/file.h) */
wd_status wdi_source_folder_read(const wd_source *s, const char *path, uint64_t max_size, wd_file_mode mode,
                                 wd_source_data *out, wd_error *err);

/* Load libzip (zip_dl.c): before the first use. */
wd_status wdi_zip_load(wd_error *err);

#endif
