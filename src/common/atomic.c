/* The one atomic write (atomic.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/atomic.h"
#include "common/i18n.h"

#define TAG_RANDOM 6

static wd_status io_error(wd_error *err, const char *path, const char *what, int e) {
  wd_error_set_file(err, path);
  wd_status s = wd_error_set(err, WD_ERR_IO, "%s: %s", what, strerror(e));
  errno = e;
  return s;
}

static void step(const wd_atomic_hook *h) {
  if (h && h->step) h->step(h->ctx);
}

char *wd_path_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

const char *wd_path_base(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* A new file named prefix + 6 random characters that nobody else has
 * (O_EXCL), created with 0666 so that the umask applies: mkstemp would
 * make it 0600, and reading the umask is not thread-safe. */
static int create_excl(char *path, size_t prefix_len) {
  static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int attempt = 0; attempt < 100; attempt++) {
    unsigned char r[TAG_RANDOM];
    if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
      unsigned long seed = (unsigned long)getpid() * 2654435761ul ^ (unsigned long)clock() ^ (unsigned long)attempt;
      for (int i = 0; i < TAG_RANDOM; i++) r[i] = (unsigned char)((seed >>= 5) ^ (unsigned long)i * 131u);
    }
    for (int i = 0; i < TAG_RANDOM; i++) path[prefix_len + (size_t)i] = chars[r[i] % (sizeof chars - 1)];
    path[prefix_len + TAG_RANDOM] = '\0';
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  return -1;
}

wd_status wd_atomic_temp(const char *dir, const char *base, const char *tag, const void *data, size_t len,
                         int mode, const wd_atomic_hook *hook, char **tmp, wd_error *err) {
  *tmp = NULL;
  size_t n = strlen(dir) + strlen(base) + strlen(tag) + TAG_RANDOM + 3;
  char *path = malloc(n);
  if (!path) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  int prefix = snprintf(path, n, "%s/.%s%s", dir, base, tag);
  int fd = create_excl(path, (size_t)prefix);
  if (fd < 0) {
    wd_status s = io_error(err, dir, _("cannot create a temporary file in the folder"), errno);
    free(path);
    return s;
  }
  step(hook);
  const char *what = NULL;
  int e = 0;
  size_t done = 0;
  while (done < len) {
    ssize_t k = write(fd, (const char *)data + done, len - done);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) {
      what = _("cannot write");
      e = k < 0 ? errno : ENOSPC;
      break;
    }
    done += (size_t)k;
  }
  if (!what) step(hook);
  if (!what && mode >= 0 && fchmod(fd, (mode_t)mode) != 0) what = _("cannot set the mode of"), e = errno;
  if (!what && fsync(fd) != 0) what = _("cannot sync"), e = errno;
  if (!what) step(hook);
  if (close(fd) != 0 && !what) what = _("cannot write"), e = errno;
  if (what) {
    unlink(path);
    wd_status s = io_error(err, path, what, e);
    free(path);
    errno = e;
    return s;
  }
  *tmp = path;
  return WD_OK;
}

wd_status wd_sync_dir(const char *dir, wd_error *err) {
  int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(err, dir, _("cannot open the folder to sync it"), errno);
  int rc = fsync(fd);
  int e = errno;
  close(fd);
  /* some file systems cannot sync folders; the rename itself is done */
  if (rc != 0 && e != EINVAL && e != ENOTSUP) return io_error(err, dir, _("cannot sync the folder"), e);
  return WD_OK;
}

wd_status wd_atomic_commit(const char *tmp, const char *path, const wd_atomic_hook *hook, wd_error *err) {
  if (rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return io_error(err, path, _("cannot replace the file"), e);
  }
  step(hook);
  return WD_OK;
}

wd_status wd_atomic_write(const char *path, const void *data, size_t len, int mode, wd_error *err) {
  char *dir = wd_path_dir(path), *tmp = NULL;
  if (!dir) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  wd_status s = wd_atomic_temp(dir, wd_path_base(path), ".wdtmp-", data, len, mode, NULL, &tmp, err);
  if (!s) s = wd_atomic_commit(tmp, path, NULL, err);
  if (!s) s = wd_sync_dir(dir, err);
  int e = errno;
  free(tmp);
  free(dir);
  errno = e;
  return s;
}

void wd_atomic_remove_stale(const char *dir, const char *base, const char *tag) {
  DIR *d = opendir(dir);
  if (!d) return;
  size_t n = strlen(base), tn = strlen(tag);
  struct dirent *de;
  while ((de = readdir(d))) {
    const char *e = de->d_name;
    if (e[0] != '.' || strncmp(e + 1, base, n) != 0) continue;
    const char *rest = e + 1 + n;
    if (!strncmp(rest, ".bak", 4)) rest += 4;
    if (strncmp(rest, tag, tn) != 0 || strlen(rest) != tn + TAG_RANDOM) continue;
    char full[8192];
    if ((size_t)snprintf(full, sizeof full, "%s/%s", dir, e) < sizeof full) unlink(full);
  }
  closedir(d);
}
