/*
 * Unified diffs of two texts, by lines.
 *
 * Hand-written rather than taken from libgit2 (Debian's libgit2-dev has
 * git_patch_from_buffers), for these reasons:
 *  - linking libgit2 needs a line in CMakeLists.txt, which this area may
 *    not edit; committing a caller before that line lands would break the
 *    shared tree's build for every other engineer;
 *  - libgit2 is a whole Git implementation (with libssh2, mbedTLS,
 *    http-parser and PCRE2 behind it) for ~200 lines of diffing;
 *  - the inputs are small ConfigFiles whose differences are a few lines:
 *    after trimming the common head and tail, Myers' O(ND) greedy
 *    algorithm does a handful of steps. Measured (Release build, this
 *    2-core machine): the diff of the 78-line export_presets.cfg of
 *    tests/godot/data/cfg with 2 changed lines takes about 12 microseconds;
 *    a 20000-line file with 200 scattered changes about 3 ms
 *    (tests/unit/test_fix_diff.c prints both).
 * The output is checked against diff(1)'s on small cases, by applying
 * 3000 random diffs (tests/unit/test_fix_diff.c), and with patch(1) on
 * the fixes of real projects (tests/fix/fix.test.sh).
 *
 * When the edit distance exceeds MAX_D lines (files that share almost
 * nothing) the middle is reported as wholly replaced: still a correct diff,
 * just not the shortest.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "webdoctor/fix.h"

#define MAX_D 2048

typedef struct line {
  const char *p;
  size_t n;        /* with its '\n' when it has one */
} line;

enum { OP_EQ = 0, OP_DEL = 1, OP_INS = 2 };

typedef struct op {
  uint8_t type;
  uint32_t a, b;   /* line index in a (EQ, DEL) and in b (EQ, INS) */
} op;

static line *split(const char *t, size_t len, uint32_t *count) {
  uint32_t n = 0;
  for (size_t i = 0; i < len; i++)
    if (t[i] == '\n') n++;
  if (len && t[len - 1] != '\n') n++;
  line *v = malloc((n + 1) * sizeof *v);
  if (!v) return NULL;
  uint32_t k = 0;
  size_t start = 0;
  for (size_t i = 0; i < len; i++)
    if (t[i] == '\n') {
      v[k++] = (line){t + start, i + 1 - start};
      start = i + 1;
    }
  if (start < len) v[k++] = (line){t + start, len - start};
  *count = k;
  return v;
}

static bool same(const line *x, const line *y) {
  return x->n == y->n && memcmp(x->p, y->p, x->n) == 0;
}

typedef struct ops {
  op *v;
  uint32_t n, cap;
} ops;

static int push_op(ops *o, uint8_t type, uint32_t a, uint32_t b) {
  if (o->n == o->cap) {
    uint32_t cap = o->cap ? o->cap * 2 : 64;
    op *v = realloc(o->v, (size_t)cap * sizeof *v);
    if (!v) return -1;
    o->v = v;
    o->cap = cap;
  }
  o->v[o->n++] = (op){type, a, b};
  return 0;
}

/* The shortest edit script of a[0..n) -> b[0..m), appended to `out` in
 * order, indices offset by (ao, bo). Returns -1 when out of memory. */
static int myers(const line *a, uint32_t n, const line *b, uint32_t m, uint32_t ao, uint32_t bo, ops *out) {
  int64_t max = (int64_t)n + m;
  if (max == 0) return 0;
  int64_t dcap = max < MAX_D ? max : MAX_D;
  int64_t off = dcap + 1;
  int64_t *v = calloc((size_t)(2 * dcap + 3), sizeof *v);
  /* trace[d] holds V[-d..d] after step d */
  int64_t **trace = calloc((size_t)dcap + 1, sizeof *trace);
  int rc = -1;
  int64_t found = -1;
  if (!v || !trace) goto done;
  for (int64_t d = 0; d <= dcap && found < 0; d++) {
    for (int64_t k = -d; k <= d; k += 2) {
      int64_t x;
      if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
      else x = v[off + k - 1] + 1;
      int64_t y = x - k;
      while (x < n && y < m && same(&a[x], &b[y])) x++, y++;
      v[off + k] = x;
      if (x >= n && y >= m) found = d;
    }
    if (!(trace[d] = malloc((size_t)(2 * d + 1) * sizeof **trace))) goto done;
    memcpy(trace[d], v + off - d, (size_t)(2 * d + 1) * sizeof *v);
  }
  if (found < 0) {
    /* too different: everything in the middle replaced */
    for (uint32_t i = 0; i < n; i++)
      if (push_op(out, OP_DEL, ao + i, bo)) goto done;
    for (uint32_t j = 0; j < m; j++)
      if (push_op(out, OP_INS, ao + n, bo + j)) goto done;
    rc = 0;
    goto done;
  }
  {
    /* backtrack from (n, m), collecting ops in reverse */
    ops rev = {0};
    int64_t x = n, y = m;
    for (int64_t d = found; d > 0; d--) {
      const int64_t *pv = trace[d - 1];
      int64_t k = x - y, pk;
      if (k == -d || (k != d && pv[k - 1 + (d - 1)] < pv[k + 1 + (d - 1)])) pk = k + 1;
      else pk = k - 1;
      int64_t px = pv[pk + (d - 1)], py = px - pk;
      int64_t sx = pk == k + 1 ? px : px + 1, sy = pk == k + 1 ? py + 1 : py;
      while (x > sx && y > sy) {
        x--, y--;
        if (push_op(&rev, OP_EQ, ao + (uint32_t)x, bo + (uint32_t)y)) goto rev_fail;
      }
      if (pk == k + 1) {
        if (push_op(&rev, OP_INS, ao + (uint32_t)px, bo + (uint32_t)py)) goto rev_fail;
      } else {
        if (push_op(&rev, OP_DEL, ao + (uint32_t)px, bo + (uint32_t)py)) goto rev_fail;
      }
      x = px, y = py;
    }
    while (x > 0 && y > 0) {
      x--, y--;
      if (push_op(&rev, OP_EQ, ao + (uint32_t)x, bo + (uint32_t)y)) goto rev_fail;
    }
    for (uint32_t i = rev.n; i-- > 0;)
      if (push_op(out, rev.v[i].type, rev.v[i].a, rev.v[i].b)) goto rev_fail;
    free(rev.v);
    rc = 0;
    goto done;
  rev_fail:
    free(rev.v);
  }
done:
  if (trace)
    for (int64_t d = 0; d <= dcap; d++) free(trace[d]);
  free(trace);
  free(v);
  return rc;
}

/* Within each run of changes, deletions before insertions (as diff(1)
 * prints them); the run still replaces the same lines. */
static void order_runs(ops *o) {
  uint32_t i = 0;
  while (i < o->n) {
    if (o->v[i].type == OP_EQ) {
      i++;
      continue;
    }
    uint32_t j = i;
    while (j < o->n && o->v[j].type != OP_EQ) j++;
    /* stable partition of [i, j): DEL first */
    uint32_t nd = 0;
    for (uint32_t k = i; k < j; k++) nd += o->v[k].type == OP_DEL;
    op *tmp = malloc((size_t)(j - i) * sizeof *tmp);
    if (tmp) {
      uint32_t di = 0, ii = nd;
      for (uint32_t k = i; k < j; k++) tmp[o->v[k].type == OP_DEL ? di++ : ii++] = o->v[k];
      memcpy(o->v + i, tmp, (size_t)(j - i) * sizeof *tmp);
      free(tmp);
    }
    i = j;
  }
}

static int put_line(wd_buf *b, char mark, const line *l) {
  int bad = wd_buf_putc(b, mark);
  bad |= wd_buf_append(b, l->p, l->n);
  if (!l->n || l->p[l->n - 1] != '\n') bad |= wd_buf_puts(b, "\n\\ No newline at end of file\n");
  return bad;
}

static int put_range(wd_buf *b, char sign, uint32_t start, uint32_t count) {
  /* diff(1): an empty range names the line before it; ",1" is left out */
  if (count == 0) return wd_buf_printf(b, "%c%u,0", sign, start);
  if (count == 1) return wd_buf_printf(b, "%c%u", sign, start + 1);
  return wd_buf_printf(b, "%c%u,%u", sign, start + 1, count);
}

char *wd_diff_unified(const char *a, size_t alen, const char *b, size_t blen, const char *a_name,
                      const char *b_name, unsigned context) {
  uint32_t na = 0, nb = 0;
  line *la = split(a, alen, &na), *lb = split(b, blen, &nb);
  ops o = {0};
  wd_buf out = WD_BUF_INIT;
  char *res = NULL;
  if (!la || !lb) goto done;
  /* the common head and tail need no search */
  uint32_t head = 0;
  while (head < na && head < nb && same(&la[head], &lb[head])) head++;
  uint32_t tail = 0;
  while (tail < na - head && tail < nb - head && same(&la[na - 1 - tail], &lb[nb - 1 - tail])) tail++;
  for (uint32_t i = 0; i < head; i++)
    if (push_op(&o, OP_EQ, i, i)) goto done;
  if (myers(la + head, na - head - tail, lb + head, nb - head - tail, head, head, &o)) goto done;
  for (uint32_t i = 0; i < tail; i++)
    if (push_op(&o, OP_EQ, na - tail + i, nb - tail + i)) goto done;
  order_runs(&o);

  int bad = 0;
  bool any = false;
  uint32_t i = 0;
  while (i < o.n) {
    uint32_t s = i;
    while (s < o.n && o.v[s].type == OP_EQ) s++;
    if (s == o.n) break;
    /* the end of this hunk's changes: runs of equal lines of at most
     * 2*context between changes are merged into one hunk */
    uint32_t e = s;
    for (;;) {
      while (e < o.n && o.v[e].type != OP_EQ) e++;
      uint32_t r = e;
      while (r < o.n && o.v[r].type == OP_EQ) r++;
      if (r < o.n && r - e <= 2u * context) e = r;
      else break;
    }
    uint32_t hs = s >= i + context ? s - context : i;
    uint32_t he = e + context < o.n ? e + context : o.n;
    /* counts, and the first positions: within a reordered run an op's
     * position may lie past the run's start, so take the smallest */
    uint32_t acount = 0, bcount = 0, astart = UINT32_MAX, bstart = UINT32_MAX;
    for (uint32_t k = hs; k < he; k++) {
      acount += o.v[k].type != OP_INS;
      bcount += o.v[k].type != OP_DEL;
      if (o.v[k].a < astart) astart = o.v[k].a;
      if (o.v[k].b < bstart) bstart = o.v[k].b;
    }
    if (!any) {
      bad |= wd_buf_printf(&out, "--- %s\n+++ %s\n", a_name, b_name);
      any = true;
    }
    bad |= wd_buf_puts(&out, "@@ ");
    bad |= put_range(&out, '-', astart, acount);
    bad |= wd_buf_putc(&out, ' ');
    bad |= put_range(&out, '+', bstart, bcount);
    bad |= wd_buf_puts(&out, " @@\n");
    for (uint32_t k = hs; k < he; k++) {
      const op *p = &o.v[k];
      if (p->type == OP_EQ) bad |= put_line(&out, ' ', &la[p->a]);
      else if (p->type == OP_DEL) bad |= put_line(&out, '-', &la[p->a]);
      else bad |= put_line(&out, '+', &lb[p->b]);
    }
    i = he;
  }
  if (!bad) res = wd_buf_detach(&out, NULL);
done:
  wd_buf_release(&out);
  free(o.v);
  free(la);
  free(lb);
  return res;
}
