/*
 * Writing a fix so that no file is ever left half-written.
 *
 * For each file, in the file's own folder (so that rename(2) is atomic):
 *   1. the original bytes go to a temporary file, fsync'ed, linked as
 *      FILE.bak (FILE.bak.1, FILE.bak.2, ... when that exists: a backup is
 *      never overwritten, so FILE.bak stays the file before the first fix),
 *      the folder fsync'ed;
 *   2. the new bytes go to a temporary file, fsync'ed, given the original's
 *      mode;
 *   3. the original is compared with what was read (device, inode, size,
 *      modification time and the bytes themselves: the original is still in
 *      memory, so comparing bytes is exact where a hash could collide);
 *   4. the temporary file is renamed over the original, the folder fsync'ed.
 * A reader (or a crash) sees FILE either wholly old or wholly new; each
 * backup is absent or wholly old. Temporary files are hidden (.FILE.wdfix-XXXXXX);
 * one left by a killed run is removed by the next run that writes FILE.
 *
 * Between step 3 and the rename, another program could still write FILE;
 * no portable call closes that window (renameat2's RENAME_EXCHANGE could
 * detect it afterwards, but not undo the other writer's view), so it is kept
 * to a compare and a rename.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/i18n.h"
#include "fix/fix_int.h"
#include "webdoctor/cfg.h"

#define TMP_TAG ".wdfix-"
#define STEPS_PER_FILE 10u

static wd_status io_error(wd_error *err, const char *path, const char *what, int e) {
  wd_error_set_file(err, path);
  return wd_error_set(err, WD_ERR_IO, "%s: %s", what, strerror(e));
}

static void fill_id(wd_fix_file *id, const struct stat *st) {
  id->dev = (uint64_t)st->st_dev;
  id->ino = (uint64_t)st->st_ino;
  id->size = (uint64_t)st->st_size;
  id->mtime_sec = (int64_t)st->st_mtim.tv_sec;
  id->mtime_nsec = (int64_t)st->st_mtim.tv_nsec;
  id->mode = (uint32_t)(st->st_mode & 07777);
}

/* Read all of fd (of `size` bytes by fstat) into a NUL-terminated buffer. */
static wd_status read_all(int fd, const char *path, uint64_t size, char **text, size_t *len, wd_error *err) {
  if (size > WD_CFG_MAX_SIZE) {
    wd_error_set_file(err, path);
    return wd_error_set(err, WD_ERR_LIMIT, N_("the file is larger than %u bytes"), (unsigned)WD_CFG_MAX_SIZE);
  }
  char *buf = malloc((size_t)size + 1);
  if (!buf) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  size_t got = 0;
  for (;;) {
    if (got == (size_t)size) {
      /* the file may have grown since fstat: one more byte tells */
      char extra;
      ssize_t k = read(fd, &extra, 1);
      if (k == 0) break;
      if (k < 0 && errno == EINTR) continue;
      free(buf);
      if (k < 0) return io_error(err, path, _("cannot read"), errno);
      wd_error_set_file(err, path);
      return wd_error_set(err, WD_ERR_CONFLICT, "%s", W_("the file changed while it was read"));
    }
    ssize_t k = read(fd, buf + got, (size_t)size - got);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) {
      int e = errno;
      free(buf);
      return io_error(err, path, _("cannot read"), e);
    }
    if (k == 0) {
      free(buf);
      wd_error_set_file(err, path);
      return wd_error_set(err, WD_ERR_CONFLICT, "%s", W_("the file changed while it was read"));
    }
    got += (size_t)k;
  }
  buf[got] = '\0';
  *text = buf;
  *len = got;
  return WD_OK;
}

wd_status wdi_fix_read(const char *path, char **text, size_t *len, wd_fix_file *id, wd_error *err) {
  *text = NULL;
  *len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return io_error(err, path, _("cannot open"), errno);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return io_error(err, path, _("cannot read"), e);
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    wd_error_set_file(err, path);
    return wd_error_set(err, WD_ERR_USAGE, "%s", W_("not a regular file"));
  }
  wd_status s = read_all(fd, path, (uint64_t)st.st_size, text, len, err);
  close(fd);
  if (!s) fill_id(id, &st);
  return s;
}

wd_status wdi_fix_unchanged(const wd_fix_file *f, wd_error *err) {
  char *now = NULL;
  size_t len = 0;
  wd_fix_file id;
  memset(&id, 0, sizeof id);
  wd_error e;
  wd_error_clear(&e);
  wd_status s = wdi_fix_read(f->path, &now, &len, &id, &e);
  const char *what = NULL;
  if (s == WD_ERR_IO && access(f->path, F_OK) != 0 && errno == ENOENT) what = _("it was removed or renamed");
  else if (s == WD_ERR_CONFLICT) what = e.msg;
  else if (s) {
    *err = e;
    return s;
  } else if (id.dev != f->dev || id.ino != f->ino) what = _("it was replaced by another file");
  else if (id.size != f->size || len != f->old_len) what = _("its size changed");
  else if (id.mtime_sec != f->mtime_sec || id.mtime_nsec != f->mtime_nsec) what = _("its modification time changed");
  else if (memcmp(now, f->old_text, len) != 0) what = _("its content changed");
  free(now);
  if (!what) return WD_OK;
  wd_error_set_file(err, f->rel);
  return wd_error_set(err, WD_ERR_CONFLICT,
                      N_("changed since fix read it (%s); nothing was written to it: run fix again to see the "
                        "changes against the new text"),
                      what);
}

/* ---- steps, and the hooks the kill test uses ------------------------------ */

typedef struct writer {
  uint32_t step;
#ifdef WD_TEST_HOOKS
  uint32_t kill_at;        /* WEBDOCTOR_FIX_KILL_AT */
  uint32_t delay_ms;       /* WEBDOCTOR_FIX_STEP_DELAY_MS */
#endif
  wd_error *err;
  wd_atomic_hook hook;     /* step_ctx(this writer) */
} writer;

#ifdef WD_TEST_HOOKS
/* Test builds only (cmake -DWD_TEST_HOOKS=ON): tests/fix/kill.test.sh kills
 * the process at a write step, or sleeps before each so that a kill from
 * outside lands between two. */
static uint32_t env_u32(const char *name) {
  const char *v = getenv(name);
  if (!v || !*v) return 0;
  char *end;
  unsigned long n = strtoul(v, &end, 10);
  return *end || n > 100000000ul ? 0 : (uint32_t)n;
}
#endif

static void step_ctx(void *ctx) {
  writer *w = ctx;
  w->step++;
#ifdef WD_TEST_HOOKS
  if (w->delay_ms) {
    struct timespec ts = {(time_t)(w->delay_ms / 1000), (long)(w->delay_ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
  }
  if (w->kill_at && w->step == w->kill_at) raise(SIGKILL);
#endif
}

static void step(writer *w) { step_ctx(w); }

uint32_t wd_fix_steps(const wd_fix_plan *p) {
  return p->nfiles * STEPS_PER_FILE;
}

/* ---- writing ------------------------------------------------------------- */

/* Give the temporary file `tmp` the first free name of PATH.bak,
 * PATH.bak.1, ...: link(2) refuses an existing name, so no backup is ever
 * overwritten, even by a run at the same time; where the file system has no
 * hard links, a rename to a name that was free just before. *suffix gets
 * ".bak" or ".bak.N" (malloc'ed). */
static wd_status place_backup(writer *w, const char *path, const char *tmp, char **suffix) {
  size_t n = strlen(path) + 24;
  char *bak = malloc(n);
  if (!bak) return wd_error_set(w->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  for (unsigned i = 0; i < 100000; i++) {
    if (i) snprintf(bak, n, "%s.bak.%u", path, i);
    else snprintf(bak, n, "%s.bak", path);
    int rc = link(tmp, bak), e = errno;
    if (rc != 0 && (e == EPERM || e == ENOTSUP || e == EXDEV || e == EMLINK || e == ENOSYS)) {
      struct stat st;
      if (lstat(bak, &st) == 0) continue;
      rc = rename(tmp, bak);
      e = errno;
    } else if (rc == 0) {
      unlink(tmp);
    }
    if (rc == 0) {
      *suffix = strdup(bak + strlen(path));
      free(bak);
      return *suffix ? WD_OK : wd_error_set(w->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    }
    if (e == EEXIST) continue;
    wd_status s = io_error(w->err, bak, _("cannot write the backup"), e);
    free(bak);
    return s;
  }
  wd_status s = io_error(w->err, bak, _("cannot write the backup"), EEXIST);
  free(bak);
  return s;
}

static wd_status write_one(writer *w, wd_fix_file *f) {
  char *dir = wd_path_dir(f->path);
  char *tmp = NULL;
  wd_status s = WD_OK;
  if (!dir) {
    s = wd_error_set(w->err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    goto out;
  }
  wd_atomic_remove_stale(dir, wd_path_base(f->path), TMP_TAG);
  /* 1. the backup */
  if ((s = wdi_fix_unchanged(f, w->err))) goto out;
  if ((s = wd_atomic_temp(dir, wd_path_base(f->path), ".bak" TMP_TAG, f->old_text, f->old_len, (int)f->mode,
                          &w->hook, &tmp, w->err)))
    goto out;
  free(f->backup);
  f->backup = NULL;
  if ((s = place_backup(w, f->path, tmp, &f->backup))) {
    unlink(tmp);
    goto out;
  }
  step(w);
  free(tmp);
  tmp = NULL;
  if ((s = wd_sync_dir(dir, w->err))) goto out;
  step(w);
  /* 2. the new text */
  if ((s = wd_atomic_temp(dir, wd_path_base(f->path), TMP_TAG, f->new_text, f->new_len, (int)f->mode, &w->hook,
                          &tmp, w->err)))
    goto out;
  /* 3. still the file that was read? */
  if ((s = wdi_fix_unchanged(f, w->err))) {
    unlink(tmp);
    goto out;
  }
  /* 4. in place */
  if ((s = wd_atomic_commit(tmp, f->path, &w->hook, w->err))) goto out;
  f->written = true;
  if ((s = wd_sync_dir(dir, w->err))) goto out;
  step(w);
out:
  free(tmp);
  free(dir);
  return s;
}

/* Before writing anything: every file still as read, and every folder
 * writable, so that a plain refusal writes nothing at all. */
static wd_status preflight(wd_fix_plan *p, wd_error *err) {
  for (uint32_t i = 0; i < p->nfiles; i++) {
    wd_fix_file *f = &p->files[i];
    wd_status s = wdi_fix_unchanged(f, err);
    if (s) return s;
    char *dir = wd_path_dir(f->path);
    if (!dir) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    int rc = access(dir, W_OK | X_OK);
    int e = errno;
    if (rc != 0) {
      s = io_error(err, dir, _("cannot write in the folder, so nothing was written"), e);
      free(dir);
      return s;
    }
    free(dir);
  }
  return WD_OK;
}

wd_status wd_fix_apply(wd_fix_plan *p, wd_error *err) {
  wd_error_clear(err);
  writer w = {.err = err};
  w.hook = (wd_atomic_hook){step_ctx, &w};
#ifdef WD_TEST_HOOKS
  w.kill_at = env_u32("WEBDOCTOR_FIX_KILL_AT");
  w.delay_ms = env_u32("WEBDOCTOR_FIX_STEP_DELAY_MS");
#endif
  wd_status s = preflight(p, err);
  for (uint32_t i = 0; !s && i < p->nfiles; i++) s = write_one(&w, &p->files[i]);
  if (s) return s;
  wd_findings_free(&p->after);
  wd_check_options co = {.host = p->host, .no_code = true};
  s = wd_check_project_dir(p->dir, &co, &p->after, NULL, err);
  p->checked_after = s == WD_OK;
  return s;
}
