/*
 * Malformed real modules: every fixture module (built by Emscripten) cut at
 * every section boundary, inside every section, and at many points inside
 * the code; and every section whose size lies by one byte either way. The
 * reader must reject each with an offset inside the file and a message
 * naming what it expected (or, for a lie that still frames valid sections,
 * accept it), never crash, never read past the end (ASan runs this too).
 */
#include <dirent.h>
#include <stdlib.h>

#include "check.h"
#include "common/file.h"
#include "common/leb128.h"
#include "webdoctor/wasm.h"

static int parse(const uint8_t *p, uint64_t n, wd_error *err) {
  wd_module *m = NULL;
  wd_error_clear(err);
  wd_status s = wd_module_parse(p, n, NULL, &m, err);
  wd_module_free(m);
  return s;
}

/* A cut copy on the heap, so ASan sees a read past the end. */
static void check_cut(const uint8_t *data, uint64_t len, const char *name) {
  uint8_t *copy = malloc(len ? len : 1);
  if (!copy) return;
  memcpy(copy, data, len);
  wd_error err;
  int s = parse(copy, len, &err);
  if (s == WD_OK) {
    /* a cut exactly at a section boundary is a valid (shorter) module only
     * if nothing declared needs what was cut (function/code counts) */
    check_passed++;
  } else {
    bool ok = err.code == WD_ERR_MALFORMED && err.has_offset && err.offset <= len && err.msg[0];
    if (!ok) fprintf(stderr, "%s cut at %llu: code %d offset %llu msg '%s'\n", name,
                     (unsigned long long)len, err.code, (unsigned long long)err.offset, err.msg);
    CHECK(ok);
  }
  free(copy);
}

static void lie_about_sizes(const uint8_t *data, uint64_t len, const wd_module *m, const char *name) {
  uint8_t *copy = malloc(len);
  if (!copy) return;
  for (uint32_t i = 0; i < m->nsections; i++) {
    const wd_section *s = &m->sections[i];
    uint64_t at = s->offset + 1; /* the size LEB */
    uint32_t size;
    int n = wd_leb_u32(data + at, data + len, &size);
    if (n <= 0) continue;
    for (int delta = -1; delta <= 1; delta += 2) {
      if (size == 0 && delta < 0) continue;
      uint32_t ns = size + (uint32_t)delta;
      /* re-encode with the same length (padded LEB) */
      memcpy(copy, data, len);
      uint32_t v = ns;
      for (int k = 0; k < n; k++) {
        copy[at + (uint64_t)k] = (uint8_t)((v & 0x7f) | (k + 1 < n ? 0x80 : 0));
        v >>= 7;
      }
      if (v) continue; /* does not fit in the same length */
      wd_error err;
      int st = parse(copy, len, &err);
      if (st != WD_OK) {
        bool ok = err.code == WD_ERR_MALFORMED && err.has_offset && err.offset <= len;
        if (!ok) fprintf(stderr, "%s: section %u size %u->%u: code %d '%s'\n", name, i, size, ns, err.code, err.msg);
        CHECK(ok);
      } else {
        check_passed++;
      }
    }
  }
  free(copy);
}

static void run_file(const char *path) {
  wd_file f;
  wd_error err;
  wd_error_clear(&err);
  if (wd_file_load(path, &f, 0, &err)) {
    CHECK(!"cannot load fixture");
    return;
  }
  wd_module *m = NULL;
  CHECK(wd_module_parse(f.data, f.size, NULL, &m, &err) == WD_OK);
  if (!m) {
    wd_file_close(&f);
    return;
  }
  if (f.size <= 4096) {
    for (uint64_t len = 0; len < f.size; len++) check_cut(f.data, len, path);
  } else {
    for (uint32_t i = 0; i < m->nsections; i++) {
      const wd_section *s = &m->sections[i];
      uint64_t points[] = {s->offset, s->offset + 1, s->payload_offset, s->payload_offset + 1,
                           s->payload_offset + s->size / 2, s->payload_offset + s->size - 1};
      for (size_t k = 0; k < sizeof points / sizeof *points; k++)
        if (points[k] < f.size) check_cut(f.data, points[k], path);
    }
    /* inside the code: every body boundary and the middle of each body */
    for (uint32_t b = 0; b < m->nbodies; b++) {
      check_cut(f.data, m->bodies[b].code_offset, path);
      check_cut(f.data, (m->bodies[b].code_offset + m->bodies[b].end) / 2, path);
      check_cut(f.data, m->bodies[b].end - 1, path);
    }
  }
  lie_about_sizes(f.data, f.size, m, path);
  wd_module_free(m);
  wd_file_close(&f);
}

int main(void) {
  const char *fx = getenv("WD_FIXTURES");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/wasm", fx ? fx : "tests/fixtures");
  DIR *d = opendir(dir);
  CHECK(d != NULL);
  int files = 0;
  struct dirent *de;
  while (d && (de = readdir(d))) {
    size_t n = strlen(de->d_name);
    if (n < 6 || strcmp(de->d_name + n - 5, ".wasm") != 0) continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
    run_file(path);
    files++;
  }
  if (d) closedir(d);
  CHECK(files >= 20);
  printf("%d modules cut and mangled\n", files);
  return check_summary();
}
