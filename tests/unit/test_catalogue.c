/*
 * The finding catalogue (src/finding/catalogue.def) against docs/findings.md:
 * every ID in one is in the other, once, with the same severity and "what"
 * columns; the severity words of the docs are the catalogue's severity first
 * and then exactly the others it allows. And a finding takes its severity
 * from the catalogue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "webdoctor/finding.h"

static char *trim(char *s) {
  while (*s == ' ') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

/* The severity words in a docs column: the first, and the set of all. */
static int severity_words(const char *s, int *first, unsigned *all) {
  static const struct { const char *w; int sev; } words[] = {
    {"error", WD_SEV_ERROR}, {"warning", WD_SEV_WARNING}, {"note", WD_SEV_INFO}};
  *first = -1;
  *all = 0;
  for (const char *p = s; *p; p++) {
    if (p != s && ((p[-1] >= 'a' && p[-1] <= 'z') || p[-1] == '-')) continue;
    for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
      size_t n = strlen(words[k].w);
      if (!strncmp(p, words[k].w, n) && !(p[n] >= 'a' && p[n] <= 'z')) {
        if (*first < 0) *first = words[k].sev;
        *all |= 1u << words[k].sev;
      }
    }
  }
  return *first;
}

int main(void) {
  const char *src = getenv("WD_SOURCE_DIR");
  char path[4096];
  snprintf(path, sizeof path, "%s/docs/findings.md", src ? src : ".");
  FILE *f = fopen(path, "r");
  CHECK(f != NULL);
  if (!f) return check_summary();

  uint32_t n;
  const wd_rule *rules = wd_rules(&n);
  CHECK_EQ_INT(n, WD_FINDING_COUNT);
  int *seen = calloc(n, sizeof *seen);
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "| WD", 4)) continue;
    /* | ID | severity | what | example input | */
    char *cols[5] = {0};
    int nc = 0;
    char *p = line + 1;
    while (nc < 5 && p) {
      char *bar = strstr(p, " | ");
      if (bar) *bar = '\0';
      cols[nc++] = trim(p);
      p = bar ? bar + 3 : NULL;
    }
    CHECK(nc == 4);
    if (nc < 3) continue;
    const wd_rule *r = wd_rule_get(cols[0]);
    if (!r) {
      fprintf(stderr, "docs/findings.md: %s is not in the catalogue\n", cols[0]);
      CHECK(r != NULL);
      continue;
    }
    seen[r - rules]++;
    CHECK_EQ_STR(cols[1], r->severity_doc);
    CHECK_EQ_STR(cols[2], r->doc);
    int first;
    unsigned all;
    severity_words(r->severity_doc, &first, &all);
    if (first != (int)r->severity || all != ((1u << r->severity) | r->also))
      fprintf(stderr, "%s: the severity column \"%s\" is not the catalogue's severity and others\n", r->id,
              r->severity_doc);
    CHECK_EQ_INT(first, r->severity);
    CHECK_EQ_INT(all, (1u << r->severity) | r->also);
  }
  fclose(f);
  for (uint32_t i = 0; i < n; i++) {
    if (seen[i] != 1) fprintf(stderr, "%s is in docs/findings.md %d times\n", rules[i].id, seen[i]);
    CHECK_EQ_INT(seen[i], 1);
    CHECK(wd_rule_of((wd_finding_id)i) == &rules[i]);
    CHECK(i == 0 || strcmp(rules[i - 1].id, rules[i].id) < 0);
  }
  free(seen);

  /* a finding's severity is its ID's, or one the catalogue allows */
  wd_findings fs = WD_FINDINGS_INIT;
  CHECK(wd_findings_add(&fs, WD210, "big.bin", "%s", "x") != NULL);
  CHECK(wd_findings_add(&fs, WD113, NULL, "%s", "y") != NULL);
  CHECK(wd_findings_add_as(&fs, WD402, WD_SEV_INFO, NULL, "%s", "z") != NULL);
  CHECK_EQ_INT(fs.v[0].severity, WD_SEV_ERROR);
  CHECK_EQ_STR(fs.v[0].id, "WD210");
  CHECK_EQ_INT(fs.v[1].severity, WD_SEV_INFO);
  CHECK_EQ_INT(fs.v[2].severity, WD_SEV_INFO);
  CHECK(wd_rule_get("WD000") == NULL);
  wd_findings_free(&fs);
  return check_summary();
}
