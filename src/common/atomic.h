/*
 * The one atomic write: a new hidden temporary file in the target's own
 * folder, written and fsync'ed, renamed over the target, the folder
 * fsync'ed. Readers see the old file or the new one, never a part, and
 * after a crash the new file is there or the old one is.
 *
 * On failure the error names the path and what failed ("cannot write:
 * No space left on device"), and errno keeps the system's reason, so a
 * caller can word it for its users. A temporary file is removed on failure;
 * after a crash it stays as .NAME<tag>XXXXXX, which wd_atomic_remove_stale
 * removes.
 */
#ifndef WD_ATOMIC_H
#define WD_ATOMIC_H

#include <stddef.h>

#include "webdoctor/error.h"

/* Called after each step (created, written, synced; renamed, folder synced):
 * the fault-injection tests of `fix` count the steps. NULL for none. */
typedef struct wd_atomic_hook {
  void (*step)(void *ctx);
  void *ctx;
} wd_atomic_hook;

/* The mode of a new file when the caller has none: 0666 less the umask. */
#define WD_ATOMIC_UMASK (-1)

/* Write `len` bytes to a new temporary file "DIR/.BASE<tag>XXXXXX" (tag e.g.
 * ".bak.wdfix-"), with `mode` (or WD_ATOMIC_UMASK), fsync'ed; *tmp gets its
 * path (malloc'ed). */
wd_status wd_atomic_temp(const char *dir, const char *base, const char *tag, const void *data, size_t len,
                         int mode, const wd_atomic_hook *hook, char **tmp, wd_error *err);
/* Rename `tmp` over `path` (then sync its folder with wd_sync_dir). */
wd_status wd_atomic_commit(const char *tmp, const char *path, const wd_atomic_hook *hook, wd_error *err);
/* fsync a folder (file systems that cannot are not an error). */
wd_status wd_sync_dir(const char *dir, wd_error *err);
/* Both: write `path` atomically. */
wd_status wd_atomic_write(const char *path, const void *data, size_t len, int mode, wd_error *err);
/* Remove the temporary files an interrupted write left for BASE in DIR:
 * .BASE<tag>XXXXXX and .BASE.bak<tag>XXXXXX. */
void wd_atomic_remove_stale(const char *dir, const char *base, const char *tag);

/* The folder part of a path ("." when none), malloc'ed; the name part. */
char *wd_path_dir(const char *path);
const char *wd_path_base(const char *path);

#endif
