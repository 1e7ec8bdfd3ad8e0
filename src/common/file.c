#include "common/file.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/bigmem.h"
#include "common/i18n.h"

#if !defined(WD_NO_THREADS) && (!defined(__EMSCRIPTEN__) || defined(__EMSCRIPTEN_PTHREADS__))
#define WD_FILE_THREADS 1
#include <pthread.h>
#include <stdatomic.h>
#else
#define WD_FILE_THREADS 0
#endif

#ifdef MAP_POPULATE
#define WD_MAP_POPULATE MAP_POPULATE
#else
#define WD_MAP_POPULATE 0
#endif

static uint8_t empty_file[1];

static wd_status read_all(int fd, const char *path, wd_file *f, uint64_t max_size,
                          wd_error *err) {
  size_t cap = 1 << 16, len = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) return wd_error_set(err, WD_ERR_NOMEM, N_("out of memory reading '%s'"), path);
  for (;;) {
    if (len == cap) {
      if (cap > SIZE_MAX / 2) { free(buf); return wd_error_set(err, WD_ERR_LIMIT, N_("'%s' is too large"), path); }
      uint8_t *n = realloc(buf, cap * 2);
      if (!n) { free(buf); return wd_error_set(err, WD_ERR_NOMEM, N_("out of memory reading '%s'"), path); }
      buf = n;
      cap *= 2;
    }
    ssize_t r = read(fd, buf + len, cap - len);
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      free(buf);
      return wd_error_set(err, WD_ERR_IO, N_("cannot read '%s': %s"), path, strerror(e));
    }
    if (r == 0) break;
    len += (size_t)r;
    if (max_size && len > max_size) {
      free(buf);
      return wd_error_set(err, WD_ERR_LIMIT, N_("'%s' is larger than the limit of %llu bytes"),
                          path, (unsigned long long)max_size);
    }
  }
  f->data = len ? buf : empty_file;
  f->size = len;
  f->owned = buf;
  f->mapped = 0;
  return WD_OK;
}

/* pread of a large file's bytes. Test builds (cmake -DWD_TEST_HOOKS=ON)
 * end the read at byte N of WEBDOCTOR_TEST_READ_END, as if the file had
 * shrunk to N bytes meanwhile, or fail it there with EIO when
 * WEBDOCTOR_TEST_READ_EIO is set too (tests/wasm/arriving.test.sh: the
 * module parsed as it arrives ends as one read first). */
static ssize_t big_pread(int fd, uint8_t *buf, size_t n, uint64_t off) {
#ifdef WD_TEST_HOOKS
  const char *end = getenv("WEBDOCTOR_TEST_READ_END");
  if (end && *end) {
    uint64_t at = strtoull(end, NULL, 10);
    if (off >= at) {
      if (!getenv("WEBDOCTOR_TEST_READ_EIO")) return 0;
      errno = EIO;
      return -1;
    }
    if (n > at - off) n = (size_t)(at - off);
  }
#endif
  return pread(fd, buf, n, (off_t)off);
}

/* Read `size` bytes of a regular file into huge pages; false (and
 * nothing allocated) where none can be had, to map it instead. A file
 * that shrinks meanwhile is taken as it is read. (Reading the two halves
 * in two threads was no faster: the 37.7 MB Godot engine took a median
 * 11.4 ms that way, 10.6 ms in one read, on a busy 2-core machine.) */
static bool read_big(int fd, const char *path, wd_file *f, uint64_t size, wd_status *st,
                     wd_error *err) {
  if (size < WD_BIG_MIN || size > SIZE_MAX) return false;
  size_t len;
  uint8_t *buf = wd_big_alloc((size_t)size, &len);
  if (!buf) return false;
  uint64_t got = 0;
  while (got < size) {
    ssize_t r = big_pread(fd, buf + got, (size_t)(size - got), got);
    if (r < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      wd_big_free(buf, len);
      *st = wd_error_set(err, WD_ERR_IO, N_("cannot read '%s': %s"), path, strerror(e));
      return true;
    }
    if (r == 0) break;
    got += (uint64_t)r;
  }
  f->data = buf;
  f->size = got;
  f->big_len = len;
  *st = WD_OK;
  return true;
}

#if WD_FILE_THREADS
/* The reader publishes what has arrived after each piece of this size
 * (one huge page: one page fault, one copy). */
#define ARRIVE_PIECE ((uint64_t)2 << 20)

struct wd_file_arrival {
  int fd;
  uint8_t *buf;
  uint64_t size;
  _Atomic uint64_t avail; /* bytes [0, avail) are in */
  bool done;              /* under mu */
  int error;              /* errno of a failed read, else 0 */
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  char path[];
};

static void arrival_publish(wd_file_arrival *a, uint64_t got, bool done) {
  pthread_mutex_lock(&a->mu);
  atomic_store_explicit(&a->avail, got, memory_order_release);
  if (done) a->done = true;
  pthread_cond_broadcast(&a->cv);
  pthread_mutex_unlock(&a->mu);
}

static void *arrival_read(void *arg) {
  wd_file_arrival *a = arg;
  uint64_t got = 0;
  while (got < a->size) {
    uint64_t n = ARRIVE_PIECE - got % ARRIVE_PIECE;
    if (n > a->size - got) n = a->size - got;
    ssize_t r = big_pread(a->fd, a->buf + got, (size_t)n, got);
    if (r < 0) {
      if (errno == EINTR) continue;
      a->error = errno;
      break;
    }
    if (r == 0) break;
    got += (uint64_t)r;
    if (got < a->size) arrival_publish(a, got, false);
  }
  arrival_publish(a, got, true);
  return NULL;
}

/* As read_big, the read in a thread: true when it started (the thread
 * owns fd then), false to read otherwise. */
static bool arrive_big(int fd, const char *path, wd_file *f, uint64_t size) {
  if (size < WD_BIG_MIN || size > SIZE_MAX) return false;
  size_t plen = strlen(path);
  wd_file_arrival *a = calloc(1, sizeof *a + plen + 1);
  if (!a) return false;
  size_t len;
  a->buf = wd_big_alloc((size_t)size, &len);
  if (!a->buf) {
    free(a);
    return false;
  }
  a->fd = fd;
  a->size = size;
  memcpy(a->path, path, plen + 1);
  atomic_init(&a->avail, 0);
  if (pthread_mutex_init(&a->mu, NULL) != 0) goto fail;
  if (pthread_cond_init(&a->cv, NULL) != 0) {
    pthread_mutex_destroy(&a->mu);
    goto fail;
  }
  if (pthread_create(&a->thread, NULL, arrival_read, a) != 0) {
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
    goto fail;
  }
  f->data = a->buf;
  f->size = size;
  f->big_len = len;
  f->arriving = a;
  return true;
fail:
  wd_big_free(a->buf, len);
  free(a);
  return false;
}

uint64_t wd_file_wait(wd_file_arrival *a, uint64_t want) {
  if (!a) return UINT64_MAX;
  uint64_t have = atomic_load_explicit(&a->avail, memory_order_acquire);
  if (have >= want) return have;
  pthread_mutex_lock(&a->mu);
  while ((have = atomic_load_explicit(&a->avail, memory_order_relaxed)) < want && !a->done)
    pthread_cond_wait(&a->cv, &a->mu);
  pthread_mutex_unlock(&a->mu);
  return have;
}

wd_status wd_file_arrived(wd_file *f, wd_error *err) {
  wd_file_arrival *a = f->arriving;
  if (!a) return WD_OK;
  pthread_join(a->thread, NULL);
  f->arriving = NULL;
  close(a->fd);
  wd_status s = WD_OK;
  if (a->error) {
    wd_big_free((void *)f->data, f->big_len);
    memset(f, 0, sizeof *f);
    s = wd_error_set(err, WD_ERR_IO, N_("cannot read '%s': %s"), a->path, strerror(a->error));
  } else {
    f->size = atomic_load_explicit(&a->avail, memory_order_relaxed);
  }
  pthread_cond_destroy(&a->cv);
  pthread_mutex_destroy(&a->mu);
  free(a);
  return s;
}
#else
static bool arrive_big(int fd, const char *path, wd_file *f, uint64_t size) {
  (void)fd;
  (void)path;
  (void)f;
  (void)size;
  return false;
}

uint64_t wd_file_wait(wd_file_arrival *a, uint64_t want) {
  (void)a;
  (void)want;
  return UINT64_MAX;
}

wd_status wd_file_arrived(wd_file *f, wd_error *err) {
  (void)f;
  (void)err;
  return WD_OK;
}
#endif

wd_status wd_file_load_as(const char *path, wd_file *f, uint64_t max_size, wd_file_mode mode, wd_error *err) {
  bool all = mode != WD_FILE_MAPPED;
  memset(f, 0, sizeof *f);
  wd_error_set_file(err, path);
  int fd;
  if (strcmp(path, "-") == 0) {
    fd = STDIN_FILENO;
  } else {
    /* O_NONBLOCK: opening a FIFO nobody writes to must not hang; with the
       flag cleared again, reading it returns what a writer sends, or the
       end of the file at once when there is no writer */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
      return wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), path, strerror(errno));
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) {
      int e = errno;
      close(fd);
      return wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), path, strerror(e));
    }
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int e = errno;
    if (fd != STDIN_FILENO) close(fd);
    return wd_error_set(err, WD_ERR_IO, N_("cannot stat '%s': %s"), path, strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    if (fd != STDIN_FILENO) close(fd);
    return wd_error_set(err, WD_ERR_IO, N_("'%s' is a directory, not a file"), path);
  }
  wd_status s = WD_OK;
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    if (max_size && (uint64_t)st.st_size > max_size) {
      s = wd_error_set(err, WD_ERR_LIMIT, N_("'%s' is larger than the limit of %llu bytes"), path,
                       (unsigned long long)max_size);
    } else if (mode == WD_FILE_ARRIVING && arrive_big(fd, path, f, (uint64_t)st.st_size)) {
      return WD_OK; /* fd is the reader's now (wd_file_arrived closes it) */
    } else if (all && read_big(fd, path, f, (uint64_t)st.st_size, &s, err)) {
      /* read (or failed to) */
    } else {
      int map_flags = all ? WD_MAP_POPULATE : 0;
      void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | map_flags, fd, 0);
      if (p != MAP_FAILED) {
        f->data = p;
        f->size = (uint64_t)st.st_size;
        f->mapped = 1;
      } else {
        s = read_all(fd, path, f, max_size, err);
      }
    }
  } else {
    s = read_all(fd, path, f, max_size, err);
  }
  if (fd != STDIN_FILENO) close(fd);
  return s;
}

wd_status wd_file_load(const char *path, wd_file *f, uint64_t max_size, wd_error *err) {
  return wd_file_load_as(path, f, max_size, WD_FILE_MAPPED, err);
}

void wd_file_close(wd_file *f) {
  if (f->arriving) {
    wd_error ignored;
    wd_error_clear(&ignored);
    if (wd_file_arrived(f, &ignored)) return; /* nothing left */
  }
  if (f->big_len) wd_big_free((void *)f->data, f->big_len);
  else if (f->mapped) munmap((void *)f->data, (size_t)f->size);
  else free(f->owned);
  memset(f, 0, sizeof *f);
}
