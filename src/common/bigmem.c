#include "common/bigmem.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

#define HUGE ((size_t)2 << 20)

#if defined(__linux__) && !defined(__EMSCRIPTEN__) && defined(MADV_HUGEPAGE)
/* Whether transparent huge pages can be had with madvise: "always" or
 * "madvise" is the setting in brackets. Asked once. */
static bool thp_usable(void) {
  static atomic_int known; /* 0 unknown, 1 yes, 2 no */
  int k = atomic_load_explicit(&known, memory_order_relaxed);
  if (k) return k == 1;
  bool yes = false;
  int fd = open("/sys/kernel/mm/transparent_hugepage/enabled", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0) {
      buf[n] = '\0';
      yes = strstr(buf, "[always]") || strstr(buf, "[madvise]");
    }
  }
  atomic_store_explicit(&known, yes ? 1 : 2, memory_order_relaxed);
  return yes;
}

void *wd_big_alloc(size_t size, size_t *len_out) {
  if (size == 0 || size > SIZE_MAX - 2 * HUGE || !thp_usable()) return NULL;
  size_t len = (size + HUGE - 1) & ~(HUGE - 1);
  /* one huge page more, to cut an aligned block out of it */
  uint8_t *raw = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return NULL;
  uint8_t *p = (uint8_t *)(((uintptr_t)raw + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
  if (p > raw) munmap(raw, (size_t)(p - raw));
  size_t tail = (size_t)(raw + len + HUGE - (p + len));
  if (tail) munmap(p + len, tail);
  if (madvise(p, len, MADV_HUGEPAGE) != 0) {
    munmap(p, len);
    return NULL;
  }
  *len_out = len;
  return p;
}

void wd_big_free(void *p, size_t len) {
  if (p) munmap(p, len);
}
#else
void *wd_big_alloc(size_t size, size_t *len_out) {
  (void)size;
  (void)len_out;
  return NULL;
}

void wd_big_free(void *p, size_t len) {
  (void)p;
  (void)len;
}
#endif
