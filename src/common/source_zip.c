/*
 * The zip source: an archive read in memory through libzip, never
 * unpacked to disk. libzip reads stored and deflated entries and zip64
 * archives, and checks each entry's CRC-32 when its data ends; the sizes
 * the central directory claims are bounded before anything is allocated
 * (see the limits in webdoctor/source.h). Nothing here touches the file
 * system: wd_source_open_zip() (source_folder.c) maps the archive and hands
 * it over.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "common/file.h"
#include "common/i18n.h"
#include "common/source_int.h"

typedef struct zip_state {
  zip_t *z;
  wd_file file;               /* the mapped archive (wd_source_open_zip) */
  bool owns_file;
} zip_state;

static wd_status nomem(wd_error *err) { return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory")); }

static wd_status entry_error(const wd_source *s, uint32_t i, zip_error_t *ze, wd_error *err) {
  wdi_source_error_file(s, s->v[i].path, err);
  if (zip_error_code_zip(ze) == ZIP_ER_MEMORY) return nomem(err);
  /* TRANSLATORS: the entry's name, then libzip's reason (English) */
  return wd_error_set(err, WD_ERR_MALFORMED, N_("'%s' in the zip cannot be read: %s"), s->v[i].path,
                      zip_error_strerror(ze));
}

static wd_status zip_read(const wd_source *s, uint32_t i, uint64_t max_size, wd_source_data *out,
                          wd_error *err) {
  zip_state *zs = s->impl;
  const wd_source_entry *e = &s->v[i];
  zip_uint64_t index = (zip_uint64_t)s->ref[i];
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zs->z, index, 0, &st) != 0) return entry_error(s, i, zip_get_error(zs->z), err);
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    wdi_source_error_file(s, e->path, err);
    return wd_error_set(err, WD_ERR_UNSUPPORTED, N_("'%s' in the zip is encrypted"), e->path);
  }
  if ((st.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported((zip_int32_t)st.comp_method, 0)) {
    wdi_source_error_file(s, e->path, err);
    return wd_error_set(err, WD_ERR_UNSUPPORTED, N_("'%s' in the zip uses compression method %u, which cannot be read here"),
                        e->path, (unsigned)st.comp_method);
  }
  if (st.comp_method != ZIP_CM_STORE && e->size > e->stored_size * (uint64_t)WD_ZIP_RATIO_MAX + 4096) {
    wdi_source_error_file(s, e->path, err);
    return wd_error_set(err, WD_ERR_MALFORMED,
                        N_("'%s' in the zip claims %llu bytes from %llu compressed bytes, more than compression can give"),
                        e->path, (unsigned long long)e->size, (unsigned long long)e->stored_size);
  }
  uint64_t limit = max_size && max_size < WD_ZIP_ENTRY_MAX ? max_size : WD_ZIP_ENTRY_MAX;
  if (e->size > limit || e->size > SIZE_MAX - 1) {
    wdi_source_error_file(s, e->path, err);
    return wd_error_set(err, WD_ERR_LIMIT, N_("'%s' is larger than the limit of %llu bytes"), e->path,
                        (unsigned long long)limit);
  }
  if (st.comp_method == ZIP_CM_STORE && e->size != e->stored_size) {
    wdi_source_error_file(s, e->path, err);
    return wd_error_set(err, WD_ERR_MALFORMED, N_("'%s' in the zip is stored, but its sizes differ (%llu and %llu bytes)"),
                        e->path, (unsigned long long)e->size, (unsigned long long)e->stored_size);
  }
  uint8_t *buf = malloc((size_t)e->size + 1);
  if (!buf) return nomem(err);
  zip_file_t *zf = zip_fopen_index(zs->z, index, 0);
  if (!zf) {
    free(buf);
    return entry_error(s, i, zip_get_error(zs->z), err);
  }
  uint64_t got = 0;
  for (;;) {
    /* one byte more than the size: the read that finds the end checks the CRC */
    zip_int64_t r = zip_fread(zf, buf + got, e->size + 1 - got);
    if (r < 0) {
      wd_status rc = entry_error(s, i, zip_file_get_error(zf), err);
      zip_fclose(zf);
      free(buf);
      return rc;
    }
    if (r == 0) break;
    got += (uint64_t)r;
    if (got > e->size) break;
  }
  zip_fclose(zf);
  if (got != e->size) {
    free(buf);
    wdi_source_error_file(s, e->path, err);
    return wd_error_set(err, WD_ERR_MALFORMED, N_("'%s' in the zip holds %llu bytes, but its header says %llu"),
                        e->path, (unsigned long long)got, (unsigned long long)e->size);
  }
  out->data = buf;
  out->size = got;
  out->priv_owned = buf;
  return WD_OK;
}

static void zip_release(wd_source *s) {
  zip_state *zs = s->impl;
  if (!zs) return;
  if (zs->z) zip_discard(zs->z);
  if (zs->owns_file) wd_file_close(&zs->file);
  free(zs);
}

static const wdi_source_ops zip_ops = {zip_read, zip_release};

static bool starts_like_zip(const uint8_t *d, uint64_t n) {
  return n >= 4 && d[0] == 'P' && d[1] == 'K' && d[2] == 3 && d[3] == 4;
}

/* A truncated archive has no central directory for libzip to read; walk
 * its local headers (30 bytes, then name, extra field and data) to name
 * the entry it cuts. Stops at an entry whose sizes follow its data (bit 3,
 * a streamed zip). Returns false when the walk found nothing to name. */
static bool cut_entry(const uint8_t *d, uint64_t n, char *name, size_t size, uint64_t *at) {
  uint64_t p = 0;
  while (p + 30 <= n && d[p] == 'P' && d[p + 1] == 'K' && d[p + 2] == 3 && d[p + 3] == 4) {
    unsigned flags = d[p + 6] | d[p + 7] << 8;
    uint64_t csize = (uint64_t)d[p + 18] | (uint64_t)d[p + 19] << 8 | (uint64_t)d[p + 20] << 16 |
                     (uint64_t)d[p + 21] << 24;
    unsigned nlen = d[p + 26] | d[p + 27] << 8, xlen = d[p + 28] | d[p + 29] << 8;
    uint64_t end = p + 30 + nlen + xlen + csize;
    if (p + 30 + nlen <= n) {
      size_t k = nlen < size ? nlen : size - 1;
      memcpy(name, d + p + 30, k);
      name[k] = '\0';
    } else {
      name[0] = '\0';
    }
    *at = p;
    if (end > n) return name[0] != '\0';
    if ((flags & 8) || csize == 0xffffffffu) return false; /* sizes after the data, or in zip64 */
    p = end;
  }
  return false;
}

/* Open `zs->z` over the bytes and list its entries. */
static wd_status open_archive(wd_source *s, const uint8_t *data, uint64_t size, wd_error *err) {
  zip_state *zs = s->impl;
  s->archive_size = size;
  wd_error_set_file(err, s->name);
  wd_status ls = wdi_zip_load(err);
  if (ls) return ls;
  zip_error_t ze;
  zip_error_init(&ze);
  static const uint8_t none[1];
  zip_source_t *src = zip_source_buffer_create(size ? data : none, size, 0, &ze);
  if (!src) {
    zip_error_fini(&ze);
    return nomem(err);
  }
  zs->z = zip_open_from_source(src, ZIP_RDONLY, &ze);
  if (!zs->z) {
    zip_source_free(src);
    int code = zip_error_code_zip(&ze);
    wd_status st;
    if (code == ZIP_ER_MEMORY) {
      st = nomem(err);
    } else if (code == ZIP_ER_NOZIP && starts_like_zip(data, size)) {
      /* local headers, but no end of central directory record: cut short */
      char cut[256];
      uint64_t at = 0;
      err->offset = size;
      err->has_offset = 1;
      if (cut_entry(data, size, cut, sizeof cut, &at)) {
        err->offset = at;
        st = wd_error_set(err, WD_ERR_MALFORMED,
                          N_("%s is truncated: it ends after %llu bytes, inside '%s' (which starts at offset %llu), "
                            "before its central directory"),
                          s->name, (unsigned long long)size, cut, (unsigned long long)at);
      } else {
        st = wd_error_set(err, WD_ERR_MALFORMED,
                          N_("%s is truncated: it ends after %llu bytes, before its central directory"), s->name,
                          (unsigned long long)size);
      }
    } else {
      st = wd_error_set(err, WD_ERR_MALFORMED, N_("%s is not a readable zip archive: %s"), s->name,
                        zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    return st;
  }
  zip_error_fini(&ze);
  zip_int64_t n = zip_get_num_entries(zs->z, 0);
  if (n < 0) n = 0;
  if ((uint64_t)n > WD_ZIP_ENTRIES_MAX)
    return wd_error_set(err, WD_ERR_LIMIT, N_("the zip archive has %lld entries, more than the limit of %u"),
                        (long long)n, WD_ZIP_ENTRIES_MAX);
  for (zip_int64_t i = 0; i < n; i++) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(zs->z, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) || !st.name)
      return wd_error_set(err, WD_ERR_MALFORMED, N_("entry %lld of the zip's central directory cannot be read: %s"),
                          (long long)i, zip_strerror(zs->z));
    const char *name = st.name;
    while (name[0] == '/' || (name[0] == '.' && name[1] == '/')) name += name[0] == '/' ? 1 : 2;
    size_t len = strlen(name);
    wd_entry_kind kind = WD_ENTRY_FILE;
    if (len && name[len - 1] == '/') {
      kind = WD_ENTRY_DIR;
      while (len && name[len - 1] == '/') len--;
    }
    if (!len) continue;
    zip_uint8_t opsys;
    zip_uint32_t attr;
    if (kind == WD_ENTRY_FILE && zip_file_get_external_attributes(zs->z, (zip_uint64_t)i, 0, &opsys, &attr) == 0 &&
        opsys == ZIP_OPSYS_UNIX) {
      unsigned mode = (attr >> 16) & 0170000u;
      if (mode == 0040000u) kind = WD_ENTRY_DIR;
      else if (mode && mode != 0100000u) kind = WD_ENTRY_OTHER; /* a symbolic link */
    }
    uint64_t usize = (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
    uint64_t csize = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    if (kind == WD_ENTRY_DIR) usize = csize = 0;
    if (wdi_source_add(s, name, len, kind, usize, csize, (uint64_t)i)) return nomem(err);
  }
  wdi_source_sort(s);
  return WD_OK;
}

wd_status wdi_source_open_zip_file(const char *name, wd_file *file, wd_source **out, wd_error *err) {
  *out = NULL;
  wd_source *s = wdi_source_new(WD_SOURCE_ZIP, &zip_ops, name);
  zip_state *zs = s ? calloc(1, sizeof *zs) : NULL;
  if (!zs) {
    wd_source_free(s);
    wd_file_close(file);
    return nomem(err);
  }
  s->impl = zs;
  zs->file = *file;
  zs->owns_file = true;
  wd_status st = open_archive(s, zs->file.data, zs->file.size, err);
  if (st) {
    wd_source_free(s);
    return st;
  }
  *out = s;
  return WD_OK;
}

wd_status wd_source_open_zip_memory(const char *name, const uint8_t *data, uint64_t size, wd_source **out,
                                    wd_error *err) {
  *out = NULL;
  wd_source *s = wdi_source_new(WD_SOURCE_ZIP, &zip_ops, name);
  if (!s || !(s->impl = calloc(1, sizeof(zip_state)))) {
    wd_source_free(s);
    return nomem(err);
  }
  wd_status st = open_archive(s, data, size, err);
  if (st) {
    wd_source_free(s);
    return st;
  }
  *out = s;
  return WD_OK;
}
