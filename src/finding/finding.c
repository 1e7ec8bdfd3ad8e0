/*
 * The finding value and the catalogue (catalogue.def). A leaf: it depends on
 * src/common only, and every module that reports depends on it.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/str.h"
#include "webdoctor/finding.h"

#define A_NONE 0u
#define A_ERROR (1u << WD_SEV_ERROR)
#define A_WARNING (1u << WD_SEV_WARNING)
#define A_INFO (1u << WD_SEV_INFO)
#define ERROR WD_SEV_ERROR
#define WARNING WD_SEV_WARNING
#define INFO WD_SEV_INFO

static const wd_rule rules[WD_FINDING_COUNT] = {
#define WD_FINDING(id, key, sev, also, title, sevdoc, doc) [id] = {#id, key, title, sev, also, sevdoc, doc},
#include "finding/catalogue.def"
#undef WD_FINDING
};

#undef ERROR
#undef WARNING
#undef INFO

const wd_rule *wd_rules(uint32_t *count) {
  *count = WD_FINDING_COUNT;
  return rules;
}

const wd_rule *wd_rule_of(wd_finding_id id) {
  return (unsigned)id < WD_FINDING_COUNT ? &rules[id] : NULL;
}

const wd_rule *wd_rule_get(const char *id) {
  for (size_t i = 0; i < WD_FINDING_COUNT; i++)
    if (!strcmp(rules[i].id, id)) return &rules[i];
  return NULL;
}

static wd_finding *push(wd_findings *fs, wd_finding_id id, wd_severity sev, const char *file) {
  if (fs->n == fs->cap) {
    uint32_t cap = fs->cap ? fs->cap * 2 : 16;
    wd_finding *v = realloc(fs->v, cap * sizeof *v);
    if (!v) return NULL;
    fs->v = v;
    fs->cap = cap;
  }
  wd_finding *f = &fs->v[fs->n];
  memset(f, 0, sizeof *f);
  f->code = id;
  f->id = rules[id].id;
  f->severity = sev;
  f->file = wd_strdup(file);
  if (file && !f->file) return NULL;
  return f;
}

static wd_severity allowed(wd_finding_id id, wd_severity sev) {
  const wd_rule *r = &rules[id];
  bool ok = sev == r->severity || (r->also & (1u << sev));
  assert(ok && "a severity the catalogue does not document for this ID");
  return ok ? sev : r->severity;
}

wd_finding *wd_findings_add_msg(wd_findings *fs, wd_finding_id id, wd_severity sev, const char *file, wd_msg *msg) {
  wd_finding *f = push(fs, id, allowed(id, sev), file);
  if (!f) return NULL;
  f->message = *msg;
  memset(msg, 0, sizeof *msg);
  fs->n++;
  return f;
}

static wd_finding *vadd(wd_findings *fs, wd_finding_id id, wd_severity sev, const char *file, const char *fmt,
                        va_list ap) {
  wd_msg m;
  if (wd_msg_vinit(&m, fmt, ap)) return NULL;
  wd_finding *f = wd_findings_add_msg(fs, id, sev, file, &m);
  wd_msg_free(&m);
  return f;
}

wd_finding *wd_findings_add(wd_findings *fs, wd_finding_id id, const char *file, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_finding *f = vadd(fs, id, rules[id].severity, file, fmt, ap);
  va_end(ap);
  return f;
}

wd_finding *wd_findings_addn(wd_findings *fs, wd_finding_id id, const char *file, unsigned long n,
                             const char *one, const char *other, ...) {
  va_list ap;
  va_start(ap, other);
  wd_msg m;
  int rc = wd_msg_vinitn(&m, one, other, n, ap);
  va_end(ap);
  if (rc) return NULL;
  wd_finding *f = wd_findings_add_msg(fs, id, rules[id].severity, file, &m);
  wd_msg_free(&m);
  return f;
}

wd_finding *wd_findings_add_as(wd_findings *fs, wd_finding_id id, wd_severity sev, const char *file,
                               const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_finding *f = vadd(fs, id, sev, file, fmt, ap);
  va_end(ap);
  return f;
}

int wd_finding_explain_msg(wd_finding *f, wd_msg *msg) {
  wd_msg_free(&f->explanation);
  f->explanation = *msg;
  memset(msg, 0, sizeof *msg);
  return 0;
}

int wd_finding_explain(wd_finding *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_msg m;
  int rc = wd_msg_vinit(&m, fmt, ap);
  va_end(ap);
  return rc ? -1 : wd_finding_explain_msg(f, &m);
}

int wd_finding_add_fix_msg(wd_finding *f, wd_msg *text, wd_msg *tradeoff) {
  wd_finding_fix *v = realloc(f->fixes, (f->nfixes + 1) * sizeof *v);
  if (!v) return -1;
  f->fixes = v;
  v[f->nfixes].text = *text;
  memset(text, 0, sizeof *text);
  memset(&v[f->nfixes].tradeoff, 0, sizeof v[f->nfixes].tradeoff);
  if (tradeoff && tradeoff->id && tradeoff->id[0]) v[f->nfixes].tradeoff = *tradeoff;
  else if (tradeoff) wd_msg_free(tradeoff);
  if (tradeoff) memset(tradeoff, 0, sizeof *tradeoff);
  f->nfixes++;
  return 0;
}

/* A text without arguments: the message ID itself (a '%' in it is no
 * conversion). */
static int plain(wd_msg *m, const char *text) {
  if (!strchr(text, '%')) return wd_msg_plain(m, text);
  return wd_msg_verbatim(m, text);
}

int wd_finding_add_fix(wd_finding *f, const char *text, const char *tradeoff) {
  wd_msg t, o = {0};
  if (plain(&t, text)) return -1;
  if (tradeoff && tradeoff[0] && plain(&o, tradeoff)) {
    wd_msg_free(&t);
    return -1;
  }
  int rc = wd_finding_add_fix_msg(f, &t, &o);
  wd_msg_free(&t);
  wd_msg_free(&o);
  return rc;
}

int wd_finding_set_engine_message(wd_finding *f, const char *msg) {
  free(f->engine_message);
  f->engine_message = wd_strdup(msg);
  return f->engine_message ? 0 : -1;
}

int wd_finding_add_engine_text(wd_finding *f, const char *engine, const char *text) {
  wd_finding_engine_text *v = realloc(f->engine_texts, (f->nengine_texts + 1) * sizeof *v);
  if (!v) return -1;
  f->engine_texts = v;
  char *t = wd_strdup(text);
  char *m = wd_asprintf("%s%s%s: %s", f->engine_message ? f->engine_message : "", f->engine_message ? "\n" : "",
                        engine, text);
  if (!t || !m) {
    free(t);
    free(m);
    return -1;
  }
  v[f->nengine_texts].engine = engine;
  v[f->nengine_texts].text = t;
  f->nengine_texts++;
  free(f->engine_message);
  f->engine_message = m;
  return 0;
}

void wd_findings_free(wd_findings *fs) {
  for (uint32_t i = 0; i < fs->n; i++) {
    wd_finding *f = &fs->v[i];
    free(f->file);
    wd_msg_free(&f->message);
    wd_msg_free(&f->explanation);
    free(f->engine_message);
    for (uint32_t k = 0; k < f->nengine_texts; k++) free(f->engine_texts[k].text);
    free(f->engine_texts);
    for (uint32_t k = 0; k < f->nfixes; k++) {
      wd_msg_free(&f->fixes[k].text);
      wd_msg_free(&f->fixes[k].tradeoff);
    }
    free(f->fixes);
  }
  free(fs->v);
  fs->v = NULL;
  fs->n = fs->cap = 0;
}

int wd_findings_move(wd_findings *to, wd_findings *from) {
  if (!from->n) return 0;
  if (to->cap - to->n < from->n) {
    uint32_t cap = to->n + from->n;
    wd_finding *v = realloc(to->v, cap * sizeof *v);
    if (!v) return -1;
    to->v = v;
    to->cap = cap;
  }
  memcpy(to->v + to->n, from->v, from->n * sizeof *from->v);
  to->n += from->n;
  free(from->v);
  from->v = NULL;
  from->n = from->cap = 0;
  return 0;
}

int wd_finding_cmp(const wd_finding *x, const wd_finding *y, bool english) {
  if (x->severity != y->severity) return x->severity > y->severity ? -1 : 1;
  int c = strcmp(x->id, y->id);
  if (c) return c;
  c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
  if (c) return c;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
  char *mx = wd_msg_str(&x->message, english), *my = wd_msg_str(&y->message, english);
  c = strcmp(mx ? mx : "", my ? my : "");
  free(mx);
  free(my);
  return c;
}

static int cmp_finding(const void *a, const void *b) {
  return wd_finding_cmp(a, b, false);
}

void wd_findings_sort(wd_findings *fs) {
  if (fs->n > 1) qsort(fs->v, fs->n, sizeof *fs->v, cmp_finding);
}

uint32_t wd_findings_count(const wd_findings *fs, wd_severity sev) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < fs->n; i++) n += fs->v[i].severity == sev;
  return n;
}

void wd_finding_texts_free(wd_finding_texts *t) {
  free(t->message);
  free(t->explanation);
  for (uint32_t k = 0; k < t->nfixes; k++) {
    free(t->fix[k]);
    free(t->tradeoff[k]);
  }
  free(t->fix);
  free(t->tradeoff);
  memset(t, 0, sizeof *t);
}

int wd_finding_texts_make(const wd_finding *f, bool english, wd_finding_texts *t) {
  memset(t, 0, sizeof *t);
  t->message = wd_msg_str(&f->message, english);
  bool ok = t->message != NULL;
  if (ok && f->explanation.id) ok = (t->explanation = wd_msg_str(&f->explanation, english)) != NULL;
  if (ok && f->nfixes) {
    t->fix = calloc(f->nfixes, sizeof *t->fix);
    t->tradeoff = calloc(f->nfixes, sizeof *t->tradeoff);
    ok = t->fix && t->tradeoff;
    if (ok) t->nfixes = f->nfixes;
    for (uint32_t k = 0; ok && k < f->nfixes; k++) {
      ok = (t->fix[k] = wd_msg_str(&f->fixes[k].text, english)) != NULL;
      if (ok && f->fixes[k].tradeoff.id) ok = (t->tradeoff[k] = wd_msg_str(&f->fixes[k].tradeoff, english)) != NULL;
    }
  }
  if (!ok) {
    if (!t->nfixes) {
      free(t->fix);
      free(t->tradeoff);
      t->fix = t->tradeoff = NULL;
    }
    wd_finding_texts_free(t);
    return -1;
  }
  return 0;
}
