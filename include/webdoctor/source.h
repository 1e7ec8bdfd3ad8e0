/*
 * An export source: the files of a web export, wherever they are.
 *
 * `check` reads an export only through this interface, so the same checks
 * run on
 *   - a folder on disk (files are mapped, as before),
 *   - a .zip archive (read in memory through libzip, never unpacked to
 *     disk: stored and deflated entries, zip64),
 *   - a set of named buffers in memory (what `probe` downloaded, or the
 *     files a browser page is handed).
 * Nothing here needs a file system except the folder source and
 * wd_source_open_zip(), which maps the archive.
 *
 * Entries are '/'-separated paths relative to the source's root, without
 * a leading "./" or "/" (directories without a trailing '/'), sorted by
 * strcmp. A folder source lists its top level only (an export is flat; a
 * Godot project is read by the project checks); a zip or memory source
 * lists every entry.
 */
#ifndef WEBDOCTOR_SOURCE_H
#define WEBDOCTOR_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum wd_source_kind {
  WD_SOURCE_FOLDER = 0,
  WD_SOURCE_ZIP,
  WD_SOURCE_MEMORY
} wd_source_kind;

typedef enum wd_entry_kind {
  WD_ENTRY_FILE = 0,
  WD_ENTRY_DIR,
  WD_ENTRY_OTHER              /* a symbolic link stored in a zip, a device... */
} wd_entry_kind;

typedef struct wd_source_entry {
  const char *path;
  wd_entry_kind kind;
  uint64_t size;              /* bytes (after decompression, in a zip) */
  uint64_t stored_size;       /* bytes stored in the archive; = size elsewhere */
} wd_source_entry;

/* The bytes of an entry. Release with wd_source_data_release(). */
typedef struct wd_source_data {
  const uint8_t *data;        /* never NULL after a successful read */
  uint64_t size;
  void *priv_owned;           /* private */
  int priv_mapped;            /* private */
  size_t priv_big_len;        /* private */
  void *priv_arriving;        /* private: still being read in (wd_source_read_arriving) */
} wd_source_data;

/* One named buffer of a memory source. */
typedef struct wd_source_file {
  const char *path;
  const uint8_t *data;
  uint64_t size;
} wd_source_file;

typedef struct wd_source wd_source;

/* Hard limits of the zip source, each a reason:
 * - an entry is read whole into memory, and 32-bit wasm engines cannot use
 *   a file over 2 GiB: entries above WD_ZIP_ENTRY_MAX are refused;
 * - deflate expands at most ~1032:1, so an entry that claims more than
 *   WD_ZIP_RATIO_MAX times its stored size is a lie (a zip bomb or a
 *   damaged directory) and is refused before anything is allocated;
 * - WD_ZIP_ENTRIES_MAX entries keep the listing small (hosts take 1000). */
#define WD_ZIP_ENTRY_MAX ((uint64_t)2 << 30)
#define WD_ZIP_RATIO_MAX 1100u
#define WD_ZIP_ENTRIES_MAX 65536u

/* A folder, or a zip (by its first bytes, whatever its name). A file that
 * is neither is WD_ERR_USAGE; a damaged zip is WD_ERR_MALFORMED (err names
 * the file and, where known, the offset). */
wd_status wd_source_open(const char *path, wd_source **out, wd_error *err);
wd_status wd_source_open_folder(const char *dir, wd_source **out, wd_error *err);
wd_status wd_source_open_zip(const char *path, wd_source **out, wd_error *err);
/* A zip already in memory; `name` is how errors and reports call it. The
 * bytes are borrowed: they must outlive the source. */
wd_status wd_source_open_zip_memory(const char *name, const uint8_t *data, uint64_t size, wd_source **out,
                                    wd_error *err);
/* Named buffers (paths are copied, bytes borrowed: they must outlive the
 * source). Paths must be relative and unique. */
wd_status wd_source_open_memory(const char *name, const wd_source_file *files, uint32_t n, wd_source **out,
                                wd_error *err);
/* The entries under `prefix` (a directory path, no trailing '/'), as a
 * source of their own. It borrows `s`, which must outlive it. */
wd_status wd_source_open_sub(const wd_source *s, const char *prefix, wd_source **out, wd_error *err);
void wd_source_free(wd_source *s);

/* Is `path` a regular file that starts like a zip archive? */
bool wd_source_is_zip_file(const char *path);
/* Do these first bytes (n of them) start like a zip archive: a local file
 * header, or the end record of an empty archive? The test of
 * wd_source_is_zip_file, for bytes in memory. */
bool wd_source_is_zip_bytes(const unsigned char *p, size_t n);

wd_source_kind wd_source_kind_of(const wd_source *s);
/* As the caller named it ("build/web", "game.zip", a URL). */
const char *wd_source_name(const wd_source *s);
/* The folder on disk, for a folder source (or a sub-source of one); NULL
 * otherwise. */
const char *wd_source_dir(const wd_source *s);
/* For a sub-source: the prefix it was opened with ("" otherwise). */
const char *wd_source_prefix(const wd_source *s);
/* The size of the zip archive itself, 0 for other sources. */
uint64_t wd_source_archive_size(const wd_source *s);

uint32_t wd_source_count(const wd_source *s);
const wd_source_entry *wd_source_entry_at(const wd_source *s, uint32_t i);
const wd_source_entry *wd_source_find(const wd_source *s, const char *path);

/* Read an entry (a file) whole; max_size 0 = no limit but the source's.
 * The folder source maps the file. Errors name the entry (err->file is
 * the source's name, '/', the path) and what libzip said about it. */
wd_status wd_source_read(const wd_source *s, const char *path, uint64_t max_size, wd_source_data *out,
                         wd_error *err);
/* The same for a caller that reads every byte (a module whose code is
 * decoded): a large file of a folder is read into huge pages, as
 * wd_module_open reads one (a 4 KiB page of a mapping costs a fault when
 * first touched). */
wd_status wd_source_read_all(const wd_source *s, const char *path, uint64_t max_size, wd_source_data *out,
                             wd_error *err);
/* The same for a reader that goes over the bytes as they arrive: a large
 * file of a folder is read in by a thread of its own, and the call returns
 * once that read has started. Only wd_module_read_source (webdoctor/wasm.h)
 * knows how to wait for the bytes: use that. */
wd_status wd_source_read_arriving(const wd_source *s, const char *path, uint64_t max_size,
                                  wd_source_data *out, wd_error *err);
void wd_source_data_release(wd_source_data *d);

#ifdef __cplusplus
}
#endif
#endif
