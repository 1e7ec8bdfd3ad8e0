/* The JSON of a headers plan and of what --write wrote (schema webdoctor.headers/1). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "deploy/deploy_int.h"
#include "webdoctor/wasm.h"
#include "wd_config.h"

/* ---- JSON ---------------------------------------------------------------- */

static const char *merge_key(wd_headers_merge m) {
  switch (m) {
  case WD_MERGE_REPLACE: return "replace";
  case WD_MERGE_BLOCK: return "block";
  case WD_MERGE_JSON: return "json";
  case WD_MERGE_HTML_SCRIPT: return "html-script";
  }
  return "?";
}

static const char *threads_key(wd_threads_source s) {
  switch (s) {
  case WD_THREADS_FROM_OPTION: return "option";
  case WD_THREADS_FROM_ENGINE: return "engine";
  case WD_THREADS_FROM_SHELL: return "shell";
  case WD_THREADS_DEFAULT: return "default";
  case WD_THREADS_FROM_PRESET: return "preset";
  }
  return "?";
}

cJSON *wd_headers_plan_json(const wd_headers_plan *p, const wd_headers_report *written) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  const wd_host_info *h = wd_host_get(p->host);
  cJSON_AddStringToObject(root, "schema", WD_HEADERS_SCHEMA);
  cJSON_AddStringToObject(root, "tool", "webdoctor " WD_VERSION_STRING);
  cJSON *host = cJSON_AddObjectToObject(root, "host");
  cJSON_AddStringToObject(host, "key", h->key);
  cJSON_AddStringToObject(host, "name", h->name);
  cJSON_AddBoolToObject(host, "can_set_headers", h->can_set_headers);
  cJSON_AddStringToObject(host, "coop_coep", wd_headers_isolation_key(p->host));
  cJSON_AddBoolToObject(root, "threads", p->threads);
  cJSON_AddStringToObject(root, "threads_from", threads_key(p->threads_from));
  if (p->preset) cJSON_AddStringToObject(root, "preset", p->preset);
  else cJSON_AddNullToObject(root, "preset");
  if (p->export_dir && *p->export_dir) cJSON_AddStringToObject(root, "export_folder", p->export_dir);
  else cJSON_AddNullToObject(root, "export_folder");
  if (p->nothing_to_write) cJSON_AddStringToObject(root, "nothing_to_write", p->nothing_to_write);
  else cJSON_AddNullToObject(root, "nothing_to_write");
  cJSON_AddBoolToObject(root, "service_worker", p->service_worker);
  cJSON *files = cJSON_AddArrayToObject(root, "files");
  for (uint32_t i = 0; i < p->nfiles; i++) {
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "name", p->files[i].name);
    cJSON_AddStringToObject(f, "where", p->files[i].where);
    cJSON_AddStringToObject(f, "merge", merge_key(p->files[i].merge));
    cJSON_AddBoolToObject(f, "outside", p->files[i].outside);
    cJSON_AddStringToObject(f, "content", p->files[i].content);
    cJSON_AddItemToArray(files, f);
  }
  cJSON *steps = cJSON_AddArrayToObject(root, "steps");
  for (uint32_t i = 0; i < p->nsteps; i++) cJSON_AddItemToArray(steps, cJSON_CreateString(p->steps[i]));
  cJSON *notes = cJSON_AddArrayToObject(root, "notes");
  for (uint32_t i = 0; i < p->nnotes; i++) cJSON_AddItemToArray(notes, cJSON_CreateString(p->notes[i]));
  if (written) {
    static const char *const actions[] = {"created", "updated", "unchanged"};
    cJSON *w = cJSON_AddArrayToObject(root, "written");
    for (uint32_t i = 0; i < written->n; i++) {
      cJSON *x = cJSON_CreateObject();
      cJSON_AddStringToObject(x, "name", written->v[i].name);
      cJSON_AddStringToObject(x, "path", written->v[i].path);
      cJSON_AddStringToObject(x, "action", actions[written->v[i].action]);
      if (written->v[i].backup) cJSON_AddStringToObject(x, "backup", written->v[i].backup);
      else cJSON_AddNullToObject(x, "backup");
      cJSON_AddItemToArray(w, x);
    }
    if (written->outside) cJSON_AddStringToObject(root, "outside", written->outside);
    else cJSON_AddNullToObject(root, "outside");
  }
  return root;
}
