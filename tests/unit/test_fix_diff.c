/*
 * wd_diff_unified: exact output on small cases (as diff -u prints them), and
 * on random texts every diff, applied by the small hunk applier below, gives
 * back the new text exactly. Prints the timing of two sizes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "webdoctor/fix.h"

/* ---- a strict applier: every context and removed line must match ---------- */

typedef struct text {
  char *p;
  size_t n, cap;
} text;

static void put(text *t, const char *s, size_t n) {
  if (t->n + n + 1 > t->cap) {
    t->cap = (t->n + n + 1) * 2;
    t->p = realloc(t->p, t->cap);
  }
  memcpy(t->p + t->n, s, n);
  t->n += n;
  t->p[t->n] = '\0';
}

/* Line i (0-based) of a: start and length with its '\n'. */
static int nth_line(const char *a, size_t alen, size_t i, size_t *start, size_t *len) {
  size_t off = 0;
  for (size_t k = 0; k < i; k++) {
    const char *nl = memchr(a + off, '\n', alen - off);
    if (!nl) return -1;
    off = (size_t)(nl - a) + 1;
  }
  if (off >= alen) return -1;
  const char *nl = memchr(a + off, '\n', alen - off);
  *start = off;
  *len = nl ? (size_t)(nl - (a + off)) + 1 : alen - off;
  return 0;
}

/* Apply `d` to a; returns the new text (malloc'ed) or NULL if it does not
 * apply exactly. */
static char *apply(const char *a, size_t alen, const char *d, size_t *outlen) {
  text out = {0};
  put(&out, "", 0);
  size_t aline = 0; /* next line of a to copy */
  const char *p = d;
  if (*p && strncmp(p, "--- ", 4) != 0) return NULL;
  if (*p) {
    p = strchr(p, '\n') + 1;
    if (strncmp(p, "+++ ", 4) != 0) return NULL;
    p = strchr(p, '\n') + 1;
  }
  while (*p) {
    unsigned as, ac = 1, bs, bc = 1;
    if (sscanf(p, "@@ -%u,%u +%u,%u @@", &as, &ac, &bs, &bc) != 4 &&
        sscanf(p, "@@ -%u +%u,%u @@", &as, &bs, &bc) != 3 && sscanf(p, "@@ -%u,%u +%u @@", &as, &ac, &bs) != 3 &&
        sscanf(p, "@@ -%u +%u @@", &as, &bs) != 2) {
      free(out.p);
      return NULL;
    }
    size_t first = ac ? as - 1 : as; /* 0-based first line of a in the hunk */
    for (; aline < first; aline++) {
      size_t s, l;
      if (nth_line(a, alen, aline, &s, &l)) goto bad;
      put(&out, a + s, l);
    }
    p = strchr(p, '\n') + 1;
    while (*p && *p != '@') {
      const char *nl = strchr(p, '\n');
      size_t l = (size_t)(nl - p); /* without '\n' */
      bool no_eol = nl[1] == '\\';
      size_t body = l - 1 + (no_eol ? 0 : 1);
      if (*p == ' ' || *p == '-') {
        size_t s, al;
        if (nth_line(a, alen, aline, &s, &al) || al != body || memcmp(a + s, p + 1, body) != 0) goto bad;
        aline++;
        if (*p == ' ') put(&out, p + 1, body);
      } else if (*p == '+') {
        put(&out, p + 1, body);
      } else goto bad;
      p = nl + 1;
      if (no_eol) p = strchr(p, '\n') + 1;
    }
  }
  for (;; aline++) {
    size_t s, l;
    if (nth_line(a, alen, aline, &s, &l)) break;
    put(&out, a + s, l);
  }
  *outlen = out.n;
  return out.p;
bad:
  free(out.p);
  return NULL;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

static char *random_text(uint32_t lines, size_t *len) {
  text t = {0};
  put(&t, "", 0);
  for (uint32_t i = 0; i < lines; i++) {
    char l[32];
    int n = snprintf(l, sizeof l, "k%u=%u\n", rnd(6), rnd(4));
    put(&t, l, (size_t)n);
  }
  if (t.n && rnd(3) == 0) t.p[--t.n] = '\0'; /* no final newline */
  *len = t.n;
  return t.p;
}

static char *mutate(const char *a, size_t alen, uint32_t edits, size_t *len) {
  text t = {0};
  put(&t, "", 0);
  size_t off = 0;
  while (off < alen) {
    const char *nl = memchr(a + off, '\n', alen - off);
    size_t l = nl ? (size_t)(nl - (a + off)) + 1 : alen - off;
    uint32_t r = rnd(100);
    if (r < edits) {
      /* delete */
    } else if (r < 2 * edits) {
      put(&t, "new=1\n", 6);
      put(&t, a + off, l);
    } else if (r < 3 * edits) {
      put(&t, "changed=2\n", 10);
    } else {
      put(&t, a + off, l);
    }
    off += l;
  }
  if (rnd(4) == 0) put(&t, "tail=3", 6);
  *len = t.n;
  return t.p;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void exact(const char *a, const char *b, const char *want) {
  char *d = wd_diff_unified(a, strlen(a), b, strlen(b), "a/f", "b/f", 3);
  CHECK_EQ_STR(d, want);
  free(d);
}

int main(void) {
  /* what diff -u prints for the same inputs (GNU diffutils 3.8) */
  exact("a\nb\nc\n", "a\nb\nc\n", "");
  exact("", "", "");
  exact("a\nb\nc\n", "a\nB\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  exact("", "x\n", "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
  exact("x\n", "", "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-x\n");
  exact("a\nb", "a\nb\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  exact("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\n10\nY\n12\n",
        "--- a/f\n+++ b/f\n@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+Y\n 12\n");
  /* 6 equal lines between two changes: one hunk */
  exact("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", "1\n2\nX\n4\n5\n6\n7\n8\n9\nY\n11\n",
        "--- a/f\n+++ b/f\n@@ -1,11 +1,11 @@\n 1\n 2\n-3\n+X\n 4\n 5\n 6\n 7\n 8\n 9\n-10\n+Y\n 11\n");
  exact("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\nY\n",
        "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -10,4 +10,4 @@\n 10\n 11\n 12\n-13\n+Y\n");
  /* an insertion after line 2 of 5 */
  exact("a\nb\nc\nd\ne\n", "a\nb\nNEW\nc\nd\ne\n", "--- a/f\n+++ b/f\n@@ -1,5 +1,6 @@\n a\n b\n+NEW\n c\n d\n e\n");
  /* CRLF lines are lines like others: the '\r' is part of the text */
  exact("a\r\nb\r\n", "a\r\nc\r\n", "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n");

  /* random texts: the diff applies exactly */
  int bad = 0;
  for (int round = 0; round < 3000; round++) {
    size_t alen, blen, got;
    char *a = random_text(rnd(40), &alen);
    char *b = rnd(10) == 0 ? random_text(rnd(40), &blen) : mutate(a, alen, 1 + rnd(20), &blen);
    char *d = wd_diff_unified(a, alen, b, blen, "a/f", "b/f", rnd(4));
    char *r = d ? apply(a, alen, d, &got) : NULL;
    if (!r || got != blen || memcmp(r, b, blen) != 0) {
      if (bad++ < 3) fprintf(stderr, "round %d: diff does not apply\n--a--\n%s\n--b--\n%s\n--diff--\n%s\n", round, a, b, d ? d : "(null)");
    }
    if (d && alen == blen && !memcmp(a, b, alen)) CHECK(d[0] == '\0');
    free(a);
    free(b);
    free(d);
    free(r);
  }
  CHECK_EQ_INT(bad, 0);

  /* timing: a 78-line preset file with 2 changes, and 20000 lines with 200 changes */
  {
    const char *dir = getenv("WD_SOURCE_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/godot/data/cfg/export_presets.cfg", dir ? dir : ".");
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
      char buf[65536];
      size_t n = fread(buf, 1, sizeof buf - 1, f);
      fclose(f);
      buf[n] = '\0';
      char *b = malloc(n + 16);
      memcpy(b, buf, n + 1);
      char *t = strstr(b, "thread_support=false");
      CHECK(t != NULL);
      if (t) memcpy(t + 15, "true ", 5);
      char *e = strstr(b, "encrypt_pck=false");
      if (e) memcpy(e + 12, "true ", 5);
      double t0 = now_s();
      int reps = 2000;
      for (int i = 0; i < reps; i++) free(wd_diff_unified(buf, n, b, n, "a", "b", 3));
      double t1 = now_s();
      printf("diff of export_presets.cfg (%zu bytes, 2 lines changed): %.1f us\n", n, (t1 - t0) / reps * 1e6);
      free(b);
    }
    size_t alen, blen;
    rng = 42;
    char *a = random_text(20000, &alen);
    text t = {0};
    put(&t, a, alen);
    for (int k = 0; k < 200; k++) {
      size_t at = rnd((uint32_t)t.n);
      while (at < t.n && t.p[at] != '\n') at++;
      if (at < t.n) t.p[at - 1 < t.n ? at - 1 : at] = 'Z';
    }
    blen = t.n;
    double t0 = now_s();
    char *d = wd_diff_unified(a, alen, t.p, blen, "a", "b", 3);
    double t1 = now_s();
    size_t got;
    char *r = apply(a, alen, d, &got);
    CHECK(r && got == blen && !memcmp(r, t.p, blen));
    printf("diff of 20000 lines with 200 changed: %.2f ms\n", (t1 - t0) * 1e3);
    free(r);
    free(d);
    free(a);
    free(t.p);
  }
  return check_summary();
}
