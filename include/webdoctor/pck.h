/*
 * webdoctor: Godot resource packs (.pck), the file a web export loads next
 * to index.wasm (index.pck), and packs embedded at the end of an executable.
 *
 * wd_pck_parse() reads the header and the file directory of pack format
 * version 1 (Godot 3.x), 2 (Godot 4.0 to 4.3) and 3 (Godot 4.4 and later:
 * the directory sits after the files, at an offset given in the header).
 * Every read goes through the bounds-checked cursor, so the bytes may be a
 * read-only mapping of any size and no read passes its end.
 *
 * An encrypted directory cannot be listed without the game's key: the
 * parse succeeds with dir_encrypted set, file_count as declared and no
 * entries. Entries whose data runs past the end of the file (a truncated
 * upload) do not fail the parse: they are flagged, counted in npast_end and
 * reported by wd_pck_check().
 *
 * Errors name the byte offset and what was expected:
 *   index.pck: offset 0x4: unsupported pack format version 9 (this reader knows 1 to 3)
 * The file name comes from err->file, which wd_pck_parse keeps (set it
 * with wd_error_set_file) and wd_pck_open fills.
 *
 * Ownership: wd_pck_free() releases everything; entry paths point into the
 * data, which must outlive the pack (wd_pck_open keeps its own mapping).
 */
#ifndef WEBDOCTOR_PCK_H
#define WEBDOCTOR_PCK_H

#include <stdbool.h>
#include <stdint.h>

#include "webdoctor/error.h"
#include "webdoctor/str.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WD_PCK_MAGIC 0x43504447u /* "GDPC" read as a little-endian u32 */

/* Pack flags (format 2 and later). */
enum {
  WD_PCK_DIR_ENCRYPTED = 1u << 0,  /* the directory is AES-256 encrypted */
  WD_PCK_REL_FILEBASE = 1u << 1,   /* file_base counts from the pack's start */
  WD_PCK_SPARSE_BUNDLE = 1u << 2   /* the files live beside the pack, not in it */
};

/* Entry flags (format 2 and later). */
enum {
  WD_PCK_FILE_ENCRYPTED = 1u << 0, /* the data is an encrypted container */
  WD_PCK_FILE_REMOVAL = 1u << 1,   /* a patch pack removes this path */
  WD_PCK_FILE_DELTA = 1u << 2      /* the data is a delta patch */
};

typedef struct wd_pck_entry {
  wd_str path;            /* as stored, without its NUL padding (in the data) */
  const char *res_path;   /* "res://" + path without any "res://" of its own */
  uint64_t record_offset; /* where this directory record starts */
  uint64_t raw_offset;    /* the offset field as stored */
  uint64_t offset;        /* absolute position of the data in the file */
  uint64_t size;          /* the file's size (before encryption) */
  uint64_t stored_size;   /* bytes the data takes in the pack: size, or the
                             encrypted container (40 bytes + size rounded up to 16) */
  uint8_t md5[16];
  uint32_t flags;         /* WD_PCK_FILE_*; 0 in format 1 */
  bool past_end;          /* [offset, offset + stored_size) is not inside the file */
} wd_pck_entry;

typedef struct wd_pck {
  const uint8_t *data;
  uint64_t size;
  const char *path;       /* wd_pck_open's path, or "" */
  uint64_t start;         /* offset of the "GDPC" header: 0 for a .pck file */
  bool embedded;          /* found through the trailer at the end of the file */
  uint32_t format_version;
  uint32_t godot_major, godot_minor, godot_patch;
  uint32_t flags;         /* WD_PCK_*; 0 in format 1 */
  bool dir_encrypted;
  bool rel_filebase;
  bool sparse_bundle;
  uint64_t file_base_raw; /* as stored (format 2 and later) */
  uint64_t file_base;     /* absolute position that entry offsets count from */
  uint64_t dir_offset_raw;/* as stored (format 3) */
  uint64_t dir_offset;    /* absolute position of the directory's file count */
  uint64_t dir_end;       /* one past the directory's last byte */
  uint32_t file_count;    /* as declared, also when the directory is encrypted */
  uint32_t nentries;      /* file_count, or 0 when the directory is encrypted */
  wd_pck_entry *entries;  /* in directory order */
  uint32_t npast_end;     /* entries with past_end */
  uint64_t data_end;      /* the largest offset + stored_size of any entry */
  void *internal;
} wd_pck;

/* Parse `size` bytes: a pack at offset 0, or else a pack embedded in an
 * executable, found by the trailer Godot writes at its end (the pack's
 * size as u64, then "GDPC"). On failure *out is NULL and err gives the
 * offset and what was expected; err->file is kept. */
wd_status wd_pck_parse(const uint8_t *data, uint64_t size, wd_pck **out, wd_error *err);

/* Map (or read) `path` and parse it; the pack keeps the mapping. */
wd_status wd_pck_open(const char *path, wd_pck **out, wd_error *err);

void wd_pck_free(wd_pck *pck);

/* The entry for a path, with or without "res://" ("res://icon.svg" and
 * "icon.svg" are the same); the last one listed wins, as when Godot adds a
 * pack's files in order. NULL when absent or removed by a removal entry. */
const wd_pck_entry *wd_pck_find(const wd_pck *pck, const char *path);

/* The index of the first entry at or after `from` whose path ends with
 * `suffix` (e.g. ".gdextension"), or -1. Removal entries are skipped. */
int64_t wd_pck_next_with_suffix(const wd_pck *pck, const char *suffix, uint32_t from);

/* Point *bytes at an entry's data inside the pack (no copy), after checking
 * that it lies inside the file and is at most max_size bytes (0 = no limit;
 * else WD_ERR_LIMIT). Encrypted entries and sparse bundles give
 * WD_ERR_UNSUPPORTED, removal entries WD_ERR_USAGE, data past the end of
 * the file WD_ERR_MALFORMED. err names the entry and its offset. */
wd_status wd_pck_read(const wd_pck *pck, const wd_pck_entry *e, uint64_t max_size,
                      const uint8_t **bytes, uint64_t *len, wd_error *err);

/* Check that every entry's data lies inside the file. WD_OK, or
 * WD_ERR_MALFORMED naming how many entries run past the end and the first
 * of them (a truncated upload); WD_ERR_UNSUPPORTED when the directory is
 * encrypted and cannot be checked. Sparse bundles keep their data in
 * other files: nothing to check. */
wd_status wd_pck_check(const wd_pck *pck, wd_error *err);

/* "Godot 4.6.0" style version of the engine that wrote the pack. */
void wd_pck_engine_version(const wd_pck *pck, char *buf, uint32_t size);

#ifdef __cplusplus
}
#endif
#endif
