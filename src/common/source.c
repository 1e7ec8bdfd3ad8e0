/*
 * Export sources: the entry table every kind shares, lookup, sub-sources
 * and the memory source. The zip lives in source_zip.c; all that touches
 * the file system (the folder source, opening a path) in source_folder.c,
 * which a build without a file system leaves out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "common/source_int.h"
#include "common/str.h"

static wd_status nomem(wd_error *err) { return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory")); }

wd_source *wdi_source_new(wd_source_kind kind, const wdi_source_ops *ops, const char *name) {
  wd_source *s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->kind = kind;
  s->ops = ops;
  if (!(s->name = wd_strdup(name ? name : "")) || !(s->prefix = wd_strdup(""))) {
    free(s->name);
    free(s->prefix);
    free(s);
    return NULL;
  }
  return s;
}

int wdi_source_add(wd_source *s, const char *path, size_t len, wd_entry_kind kind, uint64_t size,
                   uint64_t stored, uint64_t ref) {
  if (s->n == s->cap) {
    uint32_t cap = s->cap ? s->cap * 2 : 32;
    wd_source_entry *v = realloc(s->v, cap * sizeof *v);
    if (!v) return -1;
    s->v = v;
    uint64_t *r = realloc(s->ref, cap * sizeof *r);
    if (!r) return -1;
    s->ref = r;
    s->cap = cap;
  }
  char *p = wd_strndup(path, len);
  if (!p) return -1;
  s->v[s->n] = (wd_source_entry){p, kind, size, stored};
  s->ref[s->n] = ref;
  s->n++;
  return 0;
}

/* Sort entries and their refs together: an index permutation. */
static const wd_source_entry *sort_base;
static int cmp_idx(const void *a, const void *b) {
  return strcmp(sort_base[*(const uint32_t *)a].path, sort_base[*(const uint32_t *)b].path);
}

void wdi_source_sort(wd_source *s) {
  if (s->n < 2) return;
  uint32_t *idx = malloc(s->n * sizeof *idx);
  wd_source_entry *v = malloc(s->n * sizeof *v);
  uint64_t *r = malloc(s->n * sizeof *r);
  if (!idx || !v || !r) {
    /* unsorted lookups still work, only slower: fall back to no sort */
    free(idx);
    free(v);
    free(r);
    return;
  }
  for (uint32_t i = 0; i < s->n; i++) idx[i] = i;
  sort_base = s->v;
  qsort(idx, s->n, sizeof *idx, cmp_idx);
  for (uint32_t i = 0; i < s->n; i++) {
    v[i] = s->v[idx[i]];
    r[i] = s->ref[idx[i]];
  }
  memcpy(s->v, v, s->n * sizeof *v);
  memcpy(s->ref, r, s->n * sizeof *r);
  free(idx);
  free(v);
  free(r);
}

void wdi_source_error_file(const wd_source *s, const char *path, wd_error *err) {
  char f[sizeof err->file];
  snprintf(f, sizeof f, "%s/%s", s->name, path);
  wd_error_set_file(err, f);
}

void wd_source_free(wd_source *s) {
  if (!s) return;
  if (s->ops && s->ops->release) s->ops->release(s);
  if (!s->borrowed_paths)
    for (uint32_t i = 0; i < s->n; i++) free((char *)s->v[i].path);
  free(s->v);
  free(s->ref);
  free(s->name);
  free(s->dir);
  free(s->prefix);
  free(s);
}

wd_source_kind wd_source_kind_of(const wd_source *s) { return s->kind; }
const char *wd_source_name(const wd_source *s) { return s->name; }
const char *wd_source_dir(const wd_source *s) { return s->dir; }
const char *wd_source_prefix(const wd_source *s) { return s->prefix; }
uint64_t wd_source_archive_size(const wd_source *s) { return s->archive_size; }
uint32_t wd_source_count(const wd_source *s) { return s->n; }

const wd_source_entry *wd_source_entry_at(const wd_source *s, uint32_t i) {
  return i < s->n ? &s->v[i] : NULL;
}

static int64_t find_index(const wd_source *s, const char *path) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(s->v[mid].path, path);
    if (c == 0) return (int64_t)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return -1;
}

const wd_source_entry *wd_source_find(const wd_source *s, const char *path) {
  int64_t i = find_index(s, path);
  return i < 0 ? NULL : &s->v[i];
}

static wd_status source_read(const wd_source *s, const char *path, uint64_t max_size, wd_file_mode mode,
                             wd_source_data *out, wd_error *err) {
  memset(out, 0, sizeof *out);
  int64_t i = find_index(s, path);
  /* a folder says why in the system's words, as reading the path would */
  if (s->kind == WD_SOURCE_FOLDER && !s->parent && (i < 0 || s->v[i].kind != WD_ENTRY_FILE))
    return wdi_source_folder_read(s, path, max_size, WD_FILE_MAPPED, out, err);
  if (i < 0 || s->v[i].kind != WD_ENTRY_FILE) {
    wdi_source_error_file(s, path, err);
    return wd_error_set(err, WD_ERR_IO, i < 0 ? N_("'%s' is not in %s") : N_("'%s' in %s is not a file"), path,
                        s->name);
  }
  if (max_size && s->v[i].size > max_size) {
    wdi_source_error_file(s, path, err);
    return wd_error_set(err, WD_ERR_LIMIT, N_("'%s' is larger than the limit of %llu bytes"), path,
                        (unsigned long long)max_size);
  }
  wdi_source_error_file(s, path, err);
  if (mode != WD_FILE_MAPPED && s->kind == WD_SOURCE_FOLDER && !s->parent)
    return wdi_source_folder_read(s, s->v[i].path, max_size, mode, out, err);
  return s->ops->read(s, (uint32_t)i, max_size, out, err);
}

wd_status wd_source_read(const wd_source *s, const char *path, uint64_t max_size, wd_source_data *out,
                         wd_error *err) {
  return source_read(s, path, max_size, WD_FILE_MAPPED, out, err);
}

wd_status wd_source_read_all(const wd_source *s, const char *path, uint64_t max_size, wd_source_data *out,
                             wd_error *err) {
  return source_read(s, path, max_size, WD_FILE_ALL, out, err);
}

wd_status wd_source_read_arriving(const wd_source *s, const char *path, uint64_t max_size,
                                  wd_source_data *out, wd_error *err) {
  return source_read(s, path, max_size, WD_FILE_ARRIVING, out, err);
}

void wd_source_data_release(wd_source_data *d) {
  if (!d) return;
  if (d->priv_mapped || d->priv_big_len) {
    wd_file f = {d->data, d->size, d->priv_mapped, NULL, d->priv_big_len, d->priv_arriving};
    wd_file_close(&f);
  } else {
    free(d->priv_owned);
  }
  memset(d, 0, sizeof *d);
}

/* ---- memory ----------------------------------------------------------------- */

static const uint8_t empty_data[1];

static wd_status memory_read(const wd_source *s, uint32_t i, uint64_t max_size, wd_source_data *out,
                             wd_error *err) {
  (void)max_size;
  (void)err;
  const wd_source_file *f = &((const wd_source_file *)s->impl)[s->ref[i]];
  out->data = f->data ? f->data : empty_data;
  out->size = f->size;
  return WD_OK;
}

static void memory_release(wd_source *s) { free(s->impl); }

static const wdi_source_ops memory_ops = {memory_read, memory_release};

wd_status wd_source_open_memory(const char *name, const wd_source_file *files, uint32_t n, wd_source **out,
                                wd_error *err) {
  *out = NULL;
  wd_source *s = wdi_source_new(WD_SOURCE_MEMORY, &memory_ops, name);
  if (!s) return nomem(err);
  if (!(s->impl = malloc((n ? n : 1) * sizeof *files))) {
    wd_source_free(s);
    return nomem(err);
  }
  memcpy(s->impl, files, n * sizeof *files);
  for (uint32_t i = 0; i < n; i++) {
    const char *p = files[i].path;
    if (!p || !p[0] || p[0] == '/' || (files[i].size && !files[i].data)) {
      wd_source_free(s);
      return wd_error_set(err, WD_ERR_USAGE, N_("file %u of %s has no relative path or no data"), i, name);
    }
    if (wdi_source_add(s, p, strlen(p), WD_ENTRY_FILE, files[i].size, files[i].size, i)) {
      wd_source_free(s);
      return nomem(err);
    }
  }
  wdi_source_sort(s);
  for (uint32_t i = 1; i < s->n; i++)
    if (!strcmp(s->v[i - 1].path, s->v[i].path)) {
      wd_status st = wd_error_set(err, WD_ERR_USAGE, N_("'%s' is given twice"), s->v[i].path);
      wd_source_free(s);
      return st;
    }
  *out = s;
  return WD_OK;
}

/* ---- sub-source ---------------------------------------------------------------- */

static wd_status sub_read(const wd_source *s, uint32_t i, uint64_t max_size, wd_source_data *out, wd_error *err) {
  const wd_source *p = s->parent;
  return p->ops->read(p, (uint32_t)s->ref[i], max_size, out, err);
}

static const wdi_source_ops sub_ops = {sub_read, NULL};

wd_status wd_source_open_sub(const wd_source *parent, const char *prefix, wd_source **out, wd_error *err) {
  *out = NULL;
  size_t plen = strlen(prefix);
  while (plen && prefix[plen - 1] == '/') plen--;
  wd_source *s = wdi_source_new(parent->kind, &sub_ops, parent->name);
  if (!s) return nomem(err);
  s->parent = parent;
  s->borrowed_paths = true;
  s->archive_size = parent->archive_size;
  free(s->prefix);
  size_t total = strlen(parent->prefix) + plen + 2;
  if (!(s->prefix = malloc(total)) || (parent->dir && !(s->dir = malloc(strlen(parent->dir) + plen + 2)))) {
    wd_source_free(s);
    return nomem(err);
  }
  snprintf(s->prefix, total, "%s%s%.*s", parent->prefix, parent->prefix[0] ? "/" : "", (int)plen, prefix);
  if (s->dir) sprintf(s->dir, "%s/%.*s", parent->dir, (int)plen, prefix);
  for (uint32_t i = 0; i < parent->n; i++) {
    const wd_source_entry *e = &parent->v[i];
    if (plen && (strncmp(e->path, prefix, plen) != 0 || e->path[plen] != '/' || !e->path[plen + 1])) continue;
    if (s->n == s->cap) {
      uint32_t cap = s->cap ? s->cap * 2 : 32;
      wd_source_entry *v = realloc(s->v, cap * sizeof *v);
      uint64_t *r = v ? realloc(s->ref, cap * sizeof *r) : NULL;
      if (v) s->v = v;
      if (!v || !r) {
        wd_source_free(s);
        return nomem(err);
      }
      s->ref = r;
      s->cap = cap;
    }
    s->v[s->n] = *e;
    s->v[s->n].path = e->path + (plen ? plen + 1 : 0);
    s->ref[s->n] = i;
    s->n++;
  }
  /* the parent is sorted, and a common prefix keeps the order */
  *out = s;
  return WD_OK;
}
