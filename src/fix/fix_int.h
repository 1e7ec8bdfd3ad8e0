/* Internals of `fix` (not installed). */
#ifndef WD_FIX_INT_H
#define WD_FIX_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/error.h"
#include "webdoctor/fix.h"

/* Read a whole file with the identity the write compares against (device,
 * inode, size, modification time, mode). *text is malloc'ed and
 * NUL-terminated. WD_ERR_IO names the path and the system's reason. */
wd_status wdi_fix_read(const char *path, char **text, size_t *len, wd_fix_file *id, wd_error *err);

/* Is `path` still the file that was read into f (same identity, same
 * bytes)? WD_OK, WD_ERR_CONFLICT saying what changed, or WD_ERR_IO. */
wd_status wdi_fix_unchanged(const wd_fix_file *f, wd_error *err);

#endif
