/* `fix --json`: the plan, what was written and what check said after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "webdoctor/fix.h"
#include "wd_config.h"

static cJSON *counts(const wd_findings *fs) {
  cJSON *o = cJSON_CreateObject();
  if (!o) return NULL;
  cJSON_AddNumberToObject(o, "errors", wd_findings_count(fs, WD_SEV_ERROR));
  cJSON_AddNumberToObject(o, "warnings", wd_findings_count(fs, WD_SEV_WARNING));
  cJSON_AddNumberToObject(o, "notes", wd_findings_count(fs, WD_SEV_INFO));
  return o;
}

static void add_str(cJSON *o, const char *k, const char *v) {
  if (v) cJSON_AddStringToObject(o, k, v);
  else cJSON_AddNullToObject(o, k);
}

cJSON *wd_fix_json(const wd_fix_plan *p, bool applied) {
  cJSON *j = cJSON_CreateObject();
  if (!j) return NULL;
  cJSON_AddStringToObject(j, "schema", "webdoctor.fix/1");
  cJSON_AddStringToObject(j, "tool", "webdoctor " WD_VERSION_STRING);
  cJSON_AddStringToObject(j, "project", p->dir);
  cJSON_AddStringToObject(j, "asked", wd_fix_strategy_name(p->asked));
  cJSON_AddStringToObject(j, "strategy", wd_fix_strategy_name(p->strategy));
  add_str(j, "reason", p->reason);
  const wd_host_info *h = wd_host_get(p->host);
  add_str(j, "host", p->host == WD_HOST_UNKNOWN ? NULL : h->key);
  cJSON *presets = cJSON_AddArrayToObject(j, "presets");
  for (uint32_t i = 0; presets && i < p->npresets; i++) cJSON_AddItemToArray(presets, cJSON_CreateString(p->presets[i]));
  cJSON_AddBoolToObject(j, "applied", applied);
  cJSON *files = cJSON_AddArrayToObject(j, "files");
  for (uint32_t i = 0; files && i < p->nfiles; i++) {
    const wd_fix_file *f = &p->files[i];
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddStringToObject(o, "file", f->rel);
    cJSON_AddBoolToObject(o, "written", f->written);
    if (f->backup) {
      size_t n = strlen(f->rel) + strlen(f->backup) + 1;
      char *b = malloc(n);
      if (b) {
        snprintf(b, n, "%s%s", f->rel, f->backup);
        cJSON_AddStringToObject(o, "backup", b);
      }
      free(b);
    } else {
      cJSON_AddNullToObject(o, "backup");
    }
    cJSON *ch = cJSON_AddArrayToObject(o, "changes");
    for (uint32_t k = 0; ch && k < f->nchanges; k++) {
      const wd_fix_change *c = &f->changes[k];
      cJSON *co = cJSON_CreateObject();
      if (!co) break;
      cJSON_AddStringToObject(co, "section", c->section);
      cJSON_AddStringToObject(co, "key", c->key);
      add_str(co, "old", c->old_value);
      cJSON_AddStringToObject(co, "new", c->new_value);
      cJSON_AddStringToObject(co, "why", c->why);
      cJSON_AddItemToArray(ch, co);
    }
    char an[4200], bn[4200];
    snprintf(an, sizeof an, "a/%s", f->rel);
    snprintf(bn, sizeof bn, "b/%s", f->rel);
    char *d = wd_diff_unified(f->old_text, f->old_len, f->new_text, f->new_len, an, bn, 3);
    add_str(o, "diff", d);
    free(d);
    cJSON_AddItemToArray(files, o);
  }
  cJSON *missing = cJSON_AddArrayToObject(j, "missing");
  for (uint32_t i = 0; missing && i < p->nmissing; i++) {
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddStringToObject(o, "extension", p->missing[i].extension);
    cJSON_AddStringToObject(o, "needs", p->missing[i].threads ? "threads" : "nothreads");
    cJSON_AddStringToObject(o, "advice", p->missing[i].advice);
    cJSON_AddItemToArray(missing, o);
  }
  cJSON *kept = cJSON_AddArrayToObject(j, "kept");
  for (uint32_t i = 0; kept && i < p->nkept; i++) cJSON_AddItemToArray(kept, cJSON_CreateString(p->kept[i]));
  add_str(j, "headers_advice", p->headers_advice);
  add_str(j, "headers_command", p->headers_command);
  cJSON_AddItemToObject(j, "before", counts(&p->before));
  if (p->checked_after) cJSON_AddItemToObject(j, "after", counts(&p->after));
  else cJSON_AddNullToObject(j, "after");
  return j;
}
