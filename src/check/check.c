/* `webdoctor check` dispatch: a project folder or an export folder. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check/check_int.h"
#include "common/i18n.h"

void wdi_summary_init(wd_check_summary *s, wd_check_kind kind) {
  memset(s, 0, sizeof *s);
  s->kind = kind;
  s->threads = -1;
}

wd_chain_node *wdi_chain_add(wd_check_summary *sum, const wd_findings *out, wd_chain_kind kind,
                             const char *name, const char *findings_file, int shared) {
  if (sum->nchain >= WD_CHAIN_MAX || !name) return NULL;
  wd_chain_node *n = &sum->chain[sum->nchain++];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  snprintf(n->name, sizeof n->name, "%s", name);
  n->shared = shared;
  for (uint32_t i = 0; findings_file && i < out->n; i++) {
    const wd_finding *f = &out->v[i];
    if (!f->file || strcmp(f->file, findings_file) != 0 || f->severity == WD_SEV_INFO) continue;
    if (!n->has_findings || f->severity > n->verdict) n->verdict = f->severity;
    n->has_findings = true;
    if (f->nengine_texts && !n->edge_message[0]) {
      /* the first engine's text */
      snprintf(n->edge_message, sizeof n->edge_message, "%s", f->engine_texts[0].text);
    } else if (f->engine_message && !n->edge_message[0]) {
      const char *nl = strchr(f->engine_message, '\n');
      size_t len = nl ? (size_t)(nl - f->engine_message) : strlen(f->engine_message);
      snprintf(n->edge_message, sizeof n->edge_message, "%.*s", (int)len, f->engine_message);
    }
  }
  return n;
}

wd_status wd_check_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                       wd_check_summary *summary, wd_error *err) {
  struct stat st;
  if (stat(dir, &st) != 0)
    return wd_error_set(err, WD_ERR_IO, N_("cannot open '%s': %s"), dir, strerror(errno));
  if (S_ISREG(st.st_mode) && wd_source_is_zip_file(dir)) return wd_check_zip(dir, o, out, summary, err);
  if (!S_ISDIR(st.st_mode))
    return wd_error_set(err, WD_ERR_USAGE,
                        N_("'%s' is not a folder: give an export folder, a .zip of one, or a Godot project folder"),
                        dir);
  char path[4096];
  snprintf(path, sizeof path, "%s/project.godot", dir);
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return wd_check_project_dir(dir, o, out, summary, err);
  return wd_check_export_dir(dir, o, out, summary, err);
}

