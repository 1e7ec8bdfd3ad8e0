/*
 * Godot resource packs: the header and directory of pack format versions
 * 1 to 3, after core/io/file_access_pack.cpp (PackedSourcePCK::
 * try_open_pack) and the writers in core/io/pck_packer.cpp and the editor's
 * export code. Layouts (all integers little-endian):
 *
 *   "GDPC" u32 version  u32 major u32 minor u32 patch
 *   v2, v3: u32 pack_flags  u64 file_base
 *   v3:     u64 dir_offset   (directory at start + dir_offset)
 *   v1, v2: 16 reserved u32, then the directory
 *   v3:     16 reserved u32, padding, the files, then the directory
 *   directory: u32 file_count, then per file
 *     u32 path_len, path (NUL padded to 4), u64 offset, u64 size, md5[16],
 *     v2, v3: u32 flags
 *
 * Entry data starts at offset (v1: absolute), or at file_base + offset,
 * where file_base counts from the pack's start in v3 (and in v2 with
 * PACK_REL_FILEBASE). An encrypted directory follows its plain file count
 * as a FileAccessEncrypted container: md5[16], u64 length, iv[16], then the
 * AES-256-CFB ciphertext rounded up to 16 bytes.
 */
#include "webdoctor/pck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/arena.h"
#include "common/cursor.h"
#include "common/file.h"
#include "common/i18n.h"

typedef struct wdi_pck_internal {
  wd_arena arena;
  wd_file file;
  int owns_file;
} wdi_pck_internal;

static uint32_t rd32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t rd64(const uint8_t *p) { return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32; }

static wd_pck *pck_new(void) {
  wdi_pck_internal *in = calloc(1, sizeof *in);
  if (!in) return NULL;
  wd_pck *p = wd_arena_alloc(&in->arena, sizeof *p);
  if (!p) {
    free(in);
    return NULL;
  }
  p->internal = in;
  p->path = "";
  return p;
}

void wd_pck_free(wd_pck *pck) {
  if (!pck) return;
  wdi_pck_internal *in = pck->internal;
  if (in->owns_file) wd_file_close(&in->file);
  wd_arena_release(&in->arena);
  free(in);
}

static wd_status nomem(wd_error *err) {
  return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
}

/* Where the pack header is: at 0, or where the trailer says. */
static wd_status find_header(wd_pck *p, wd_cursor *c) {
  const uint8_t *d = p->data;
  uint64_t n = p->size;
  if (n >= 4 && rd32(d) == WD_PCK_MAGIC) {
    p->start = 0;
    return WD_OK;
  }
  if (n >= 16 && rd32(d + n - 4) == WD_PCK_MAGIC) {
    uint64_t ds = rd64(d + n - 12);
    if (ds > n - 12)
      return wd_cur_fail_at(c, n - 12,
                            N_("the trailer at the end of the file gives an embedded pack of "
                              "%llu bytes, more than the %llu bytes before it"),
                            (unsigned long long)ds, (unsigned long long)(n - 12));
    uint64_t start = n - 12 - ds;
    if (n - start < 4 || rd32(d + start) != WD_PCK_MAGIC)
      return wd_cur_fail_at(c, start,
                            N_("expected the magic 'GDPC' where the trailer at the end of the "
                              "file says the embedded pack starts"));
    p->start = start;
    p->embedded = true;
    return WD_OK;
  }
  if (n < 4)
    return wd_cur_fail_at(c, 0, N_("the file is too short to be a Godot pack (%llu bytes)"),
                          (unsigned long long)n);
  return wd_cur_fail_at(c, 0,
                        N_("not a Godot pack: expected the magic 'GDPC' at offset 0 or a pack "
                          "trailer at the end of the file"));
}

static bool add_overflows(uint64_t a, uint64_t b, uint64_t *sum) {
  *sum = a + b;
  return *sum < a;
}

static wd_status read_entry(wd_pck *p, wd_cursor *c, wd_arena *a, uint32_t i, wd_pck_entry *e) {
  /* Bounds are checked here with messages that name the entry, so the
   * cursor reads below cannot fail and their descriptions stay untranslated
   * constants (no gettext or formatting per entry). */
  wd_status s;
  uint32_t len;
  e->record_offset = c->pos;
  if (wd_cur_left(c) < 4)
    return wd_cur_fail_at(c, c->pos,
                          N_("unexpected end of file while reading the path length of entry %u"),
                          i);
  if ((s = wd_cur_le32(c, &len, N_("the path length of an entry")))) return s;
  if (len > wd_cur_left(c))
    return wd_cur_fail_at(c, e->record_offset,
                          N_("the path of entry %u (%u bytes) runs past the end of the file"), i,
                          len);
  const uint8_t *path;
  if ((s = wd_cur_bytes(c, len, &path, N_("the path of an entry")))) return s;
  const uint8_t *nul = memchr(path, 0, len);
  e->path.ptr = (const char *)path;
  e->path.len = nul ? (uint32_t)(nul - path) : len;
  uint32_t rest = p->format_version >= 2 ? 36 : 32;
  if (wd_cur_left(c) < rest)
    return wd_cur_fail_at(c, c->pos,
                          N_("unexpected end of file in entry %u: its offset, size and MD5 need "
                            "%u bytes after the path, %llu are left"),
                          i, rest, (unsigned long long)wd_cur_left(c));
  const uint8_t *md5;
  if ((s = wd_cur_le64(c, &e->raw_offset, N_("the offset of an entry"))) ||
      (s = wd_cur_le64(c, &e->size, N_("the size of an entry"))) ||
      (s = wd_cur_bytes(c, 16, &md5, N_("the MD5 of an entry"))))
    return s;
  memcpy(e->md5, md5, 16);
  if (p->format_version >= 2 && (s = wd_cur_le32(c, &e->flags, N_("the flags of an entry"))))
    return s;

  wd_str rel = e->path;
  if (wd_str_startswith(rel, "res://")) {
    rel.ptr += 6;
    rel.len -= 6;
  }
  char *rp = wd_arena_alloc(a, (size_t)rel.len + 7);
  if (!rp) return nomem(c->err);
  memcpy(rp, "res://", 6);
  memcpy(rp + 6, rel.ptr, rel.len);
  rp[6 + rel.len] = '\0';
  e->res_path = rp;

  bool overflow = false;
  if (p->format_version == 1) e->offset = e->raw_offset;
  else overflow = add_overflows(p->file_base, e->raw_offset, &e->offset);
  e->stored_size = e->size;
  if (e->flags & WD_PCK_FILE_ENCRYPTED) {
    /* md5, length, iv, then the ciphertext in whole 16-byte blocks */
    uint64_t blocks = e->size / 16 + (e->size % 16 != 0);
    if (blocks > (UINT64_MAX - 40) / 16) overflow = true;
    else e->stored_size = 40 + blocks * 16;
  }
  if ((e->flags & WD_PCK_FILE_REMOVAL) || p->sparse_bundle) return WD_OK;
  uint64_t end;
  if (overflow || add_overflows(e->offset, e->stored_size, &end) || end > p->size) {
    e->past_end = true;
    p->npast_end++;
    end = overflow ? UINT64_MAX : end;
  }
  if (end > p->data_end) p->data_end = end;
  return WD_OK;
}

static wd_status read_pack(wd_pck *p, wd_cursor *c, wd_arena *a) {
  wd_status s;
  if ((s = find_header(p, c))) return s;
  c->pos = p->start + 4;
  uint64_t at = c->pos;
  if ((s = wd_cur_le32(c, &p->format_version, N_("the pack format version")))) return s;
  if (p->format_version < 1 || p->format_version > 3) {
    wd_cur_fail_at(c, at, N_("unsupported pack format version %u (this reader knows 1 to 3)"),
                   p->format_version);
    c->err->code = WD_ERR_UNSUPPORTED;
    return WD_ERR_UNSUPPORTED;
  }
  if ((s = wd_cur_le32(c, &p->godot_major, N_("the Godot major version"))) ||
      (s = wd_cur_le32(c, &p->godot_minor, N_("the Godot minor version"))) ||
      (s = wd_cur_le32(c, &p->godot_patch, N_("the Godot patch version"))))
    return s;
  if (p->format_version >= 2) {
    if ((s = wd_cur_le32(c, &p->flags, N_("the pack flags"))) ||
        (s = wd_cur_le64(c, &p->file_base_raw, N_("the file base"))))
      return s;
    p->dir_encrypted = p->flags & WD_PCK_DIR_ENCRYPTED;
    p->rel_filebase = p->flags & WD_PCK_REL_FILEBASE;
    p->sparse_bundle = p->flags & WD_PCK_SPARSE_BUNDLE;
    bool rel = p->format_version == 3 || p->rel_filebase;
    p->file_base = p->file_base_raw;
    if (rel && add_overflows(p->start, p->file_base_raw, &p->file_base))
      return wd_cur_fail_at(c, c->pos - 8, N_("the file base 0x%llx overflows"),
                            (unsigned long long)p->file_base_raw);
  }
  if (p->format_version == 3) {
    at = c->pos;
    if ((s = wd_cur_le64(c, &p->dir_offset_raw, N_("the directory offset")))) return s;
    if ((s = wd_cur_bytes(c, 64, &(const uint8_t *){NULL}, N_("the reserved header words"))))
      return s;
    uint64_t dir;
    if (add_overflows(p->start, p->dir_offset_raw, &dir) || dir >= p->size)
      return wd_cur_fail_at(c, at,
                            N_("the directory offset 0x%llx is past the end of the file (%llu "
                              "bytes): the file is truncated"),
                            (unsigned long long)p->dir_offset_raw,
                            (unsigned long long)p->size);
    c->pos = dir;
  } else {
    if ((s = wd_cur_bytes(c, 64, &(const uint8_t *){NULL}, N_("the reserved header words"))))
      return s;
  }
  p->dir_offset = c->pos;
  if ((s = wd_cur_le32(c, &p->file_count, N_("the file count")))) return s;

  if (p->dir_encrypted) {
    uint64_t blob = c->pos, len;
    const uint8_t *skip;
    if ((s = wd_cur_bytes(c, 16, &skip, N_("the MD5 of the encrypted directory"))) ||
        (s = wd_cur_le64(c, &len, N_("the size of the encrypted directory"))) ||
        (s = wd_cur_bytes(c, 16, &skip, N_("the IV of the encrypted directory"))))
      return s;
    uint64_t padded = len / 16 + (len % 16 != 0);
    if (padded > wd_cur_left(c) / 16)
      return wd_cur_fail_at(c, blob,
                            N_("the encrypted directory of %llu bytes runs past the end of the "
                              "file"),
                            (unsigned long long)len);
    c->pos += padded * 16;
    p->dir_end = c->pos;
    return WD_OK;
  }

  uint64_t min_record = p->format_version >= 2 ? 40 : 36;
  if ((uint64_t)p->file_count * min_record > wd_cur_left(c))
    return wd_cur_fail_at(c, p->dir_offset,
                          N_("the file count %u is larger than the %llu bytes left could hold: "
                            "the file may be truncated"),
                          p->file_count, (unsigned long long)wd_cur_left(c));
  if (p->file_count) {
    p->entries = wd_arena_array(a, p->file_count, sizeof *p->entries);
    if (!p->entries) return nomem(c->err);
  }
  for (uint32_t i = 0; i < p->file_count; i++) {
    if ((s = read_entry(p, c, a, i, &p->entries[i]))) return s;
    p->nentries++;
  }
  p->dir_end = c->pos;
  return WD_OK;
}

wd_status wd_pck_parse(const uint8_t *data, uint64_t size, wd_pck **out, wd_error *err) {
  *out = NULL;
  char file[sizeof err->file];
  memcpy(file, err->file, sizeof file);
  wd_error_clear(err);
  memcpy(err->file, file, sizeof file);
  if (!data && size) return wd_error_set(err, WD_ERR_USAGE, "%s", W_("no data to parse"));
  wd_pck *p = pck_new();
  if (!p) return nomem(err);
  wdi_pck_internal *in = p->internal;
  static const uint8_t none[1];
  p->data = data ? data : none;
  p->size = size;
  wd_cursor c;
  wd_cur_init(&c, p->data, size, err);
  wd_status s = read_pack(p, &c, &in->arena);
  if (s) {
    wd_pck_free(p);
    return s;
  }
  *out = p;
  return WD_OK;
}

wd_status wd_pck_open(const char *path, wd_pck **out, wd_error *err) {
  *out = NULL;
  wd_error_clear(err);
  wd_file f;
  wd_status s = wd_file_load(path, &f, 0, err);
  if (s) return s;
  wd_pck *p;
  s = wd_pck_parse(f.data, f.size, &p, err);
  if (s) {
    wd_file_close(&f);
    return s;
  }
  wdi_pck_internal *in = p->internal;
  in->file = f;
  in->owns_file = 1;
  p->path = wd_arena_strndup(&in->arena, path, strlen(path));
  if (!p->path) p->path = "";
  *out = p;
  return WD_OK;
}

/* ---- questions ---------------------------------------------------------- */

static wd_str without_res(const char *path) {
  wd_str s = {path, (uint32_t)strlen(path)};
  if (wd_str_startswith(s, "res://")) {
    s.ptr += 6;
    s.len -= 6;
  }
  return s;
}

const wd_pck_entry *wd_pck_find(const wd_pck *pck, const char *path) {
  if (!pck || !path) return NULL;
  wd_str want = without_res(path);
  for (uint32_t i = pck->nentries; i-- > 0;) {
    const wd_pck_entry *e = &pck->entries[i];
    if (wd_str_eqs(without_res(e->res_path), want))
      return (e->flags & WD_PCK_FILE_REMOVAL) ? NULL : e;
  }
  return NULL;
}

int64_t wd_pck_next_with_suffix(const wd_pck *pck, const char *suffix, uint32_t from) {
  if (!pck || !suffix) return -1;
  size_t n = strlen(suffix);
  for (uint32_t i = from; i < pck->nentries; i++) {
    const wd_pck_entry *e = &pck->entries[i];
    if (e->flags & WD_PCK_FILE_REMOVAL) continue;
    if (e->path.len >= n && memcmp(e->path.ptr + e->path.len - n, suffix, n) == 0) return i;
  }
  return -1;
}

static void entry_error(const wd_pck *pck, const wd_pck_entry *e, wd_error *err) {
  if (pck->path[0]) wd_error_set_file(err, pck->path);
  wd_error_set_where(err, "%s", e->res_path);
  err->offset = e->offset;
  err->has_offset = 1;
}

wd_status wd_pck_read(const wd_pck *pck, const wd_pck_entry *e, uint64_t max_size,
                      const uint8_t **bytes, uint64_t *len, wd_error *err) {
  char file[sizeof err->file];
  memcpy(file, err->file, sizeof file);
  wd_error_clear(err);
  memcpy(err->file, file, sizeof file);
  *bytes = NULL;
  *len = 0;
  if (!pck || !e) return wd_error_set(err, WD_ERR_USAGE, "%s", W_("no pack entry given"));
  entry_error(pck, e, err);
  if (e->flags & WD_PCK_FILE_REMOVAL)
    return wd_error_set(err, WD_ERR_USAGE, "%s",
                        W_("this entry removes the path and has no data"));
  if (pck->sparse_bundle)
    return wd_error_set(err, WD_ERR_UNSUPPORTED, "%s",
                        W_("the pack is a sparse bundle: the data is in a separate file"));
  if (e->flags & WD_PCK_FILE_ENCRYPTED)
    return wd_error_set(err, WD_ERR_UNSUPPORTED, "%s",
                        W_("the data is encrypted and cannot be read without the key"));
  if (e->past_end)
    return wd_error_set(err, WD_ERR_MALFORMED,
                        N_("the data (%llu bytes) runs past the end of the file (%llu bytes): "
                          "the file is truncated"),
                        (unsigned long long)e->size, (unsigned long long)pck->size);
  if (max_size && e->size > max_size)
    return wd_error_set(err, WD_ERR_LIMIT, N_("the data is %llu bytes, more than the %llu allowed"),
                        (unsigned long long)e->size, (unsigned long long)max_size);
  wd_error_clear(err);
  memcpy(err->file, file, sizeof file);
  *bytes = pck->data + e->offset;
  *len = e->size;
  return WD_OK;
}

wd_status wd_pck_check(const wd_pck *pck, wd_error *err) {
  char file[sizeof err->file];
  memcpy(file, err->file, sizeof file);
  wd_error_clear(err);
  memcpy(err->file, file, sizeof file);
  if (!pck) return wd_error_set(err, WD_ERR_USAGE, "%s", W_("no pack given"));
  if (pck->path[0]) wd_error_set_file(err, pck->path);
  if (pck->dir_encrypted) {
    err->offset = pck->dir_offset;
    err->has_offset = 1;
    return wd_error_set(err, WD_ERR_UNSUPPORTED,
                        N_("the directory is encrypted: its %u entries cannot be listed or "
                          "checked without the encryption key"),
                        pck->file_count);
  }
  if (!pck->npast_end) return WD_OK;
  for (uint32_t i = 0; i < pck->nentries; i++) {
    const wd_pck_entry *e = &pck->entries[i];
    if (!e->past_end) continue;
    entry_error(pck, e, err);
    return wd_error_set(err, WD_ERR_MALFORMED,
                        N_("%u of %u entries run past the end of the file, this one first (the "
                          "file is %llu bytes, the entries need %llu): the file is truncated, "
                          "perhaps cut short on upload"),
                        pck->npast_end, pck->nentries, (unsigned long long)pck->size,
                        (unsigned long long)pck->data_end);
  }
  return WD_OK;
}

void wd_pck_engine_version(const wd_pck *pck, char *buf, uint32_t size) {
  if (!size) return;
  if (!pck) {
    buf[0] = '\0';
    return;
  }
  snprintf(buf, size, "Godot %u.%u.%u", pck->godot_major, pck->godot_minor, pck->godot_patch);
}
