/*
 * A zip of a web export, checked as a host that takes zip uploads (itch.io,
 * Newgrounds, Poki) unpacks it: the export it holds goes through the same
 * checks as a folder, plus what only a zip gets wrong (WD213-WD216).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check_int.h"
#include "common/i18n.h"
#include "common/str.h"

#define OOM_IF(x)            \
  do {                       \
    if (x) goto oom;         \
  } while (0)

static bool ends_with(const char *s, const char *suf) {
  size_t a = strlen(s), b = strlen(suf);
  return a >= b && strcmp(s + a - b, suf) == 0;
}

/* macOS's Archive Utility adds __MACOSX/ (resource forks): never the export */
static bool ignored(const char *path) {
  return !strncmp(path, "__MACOSX/", 9);
}

static uint32_t depth(const char *path) {
  uint32_t d = 0;
  for (; *path; path++) d += *path == '/';
  return d;
}

/* Where the export is: "" when an .html is at the top; else the shallowest
 * folder holding an index.html (or another .html beside a .wasm). */
static void find_root(const wd_source *src, char *root, size_t size) {
  root[0] = '\0';
  uint32_t n = wd_source_count(src);
  for (uint32_t i = 0; i < n; i++) {
    const wd_source_entry *e = wd_source_entry_at(src, i);
    if (e->kind == WD_ENTRY_FILE && !strchr(e->path, '/') && ends_with(e->path, ".html")) return;
  }
  const char *best = NULL;
  uint32_t best_depth = UINT32_MAX;
  int best_rank = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wd_source_entry *e = wd_source_entry_at(src, i);
    if (e->kind != WD_ENTRY_FILE || ignored(e->path) || !ends_with(e->path, ".html")) continue;
    const char *slash = strrchr(e->path, '/');
    if (!slash) continue;
    int rank = !strcmp(slash + 1, "index.html") ? 2 : 0;
    if (!rank) {
      /* another page, when a .wasm sits beside it */
      size_t dl = (size_t)(slash - e->path) + 1;
      for (uint32_t k = 0; k < n && !rank; k++) {
        const char *p = wd_source_entry_at(src, k)->path;
        if (!strncmp(p, e->path, dl) && !strchr(p + dl, '/') && ends_with(p, ".wasm")) rank = 1;
      }
      if (!rank) continue;
    }
    uint32_t d = depth(e->path);
    if (d < best_depth || (d == best_depth && rank > best_rank)) {
      best = e->path;
      best_depth = d;
      best_rank = rank;
    }
  }
  if (best) snprintf(root, size, "%.*s", (int)(strrchr(best, '/') - best), best);
}

static int nested_finding(const wd_check_options *o, const char *root, const char *page, wd_findings *out) {
  bool zip_host = o->host == WD_HOST_ITCH || o->host == WD_HOST_NEWGROUNDS;
  const wd_host_info *h = wd_host_get(o->host);
  char file[1024];
  snprintf(file, sizeof file, "%s/%s", root, page ? page : "index.html");
  wd_finding *f = wd_findings_add_as(out, WD213, zip_host ? WD_SEV_ERROR : WD_SEV_WARNING, file,
                                  N_("the export is in the folder '%s/' of the zip, not at its top"), root);
  if (!f) return WDI_OOM;
  if (zip_host ? wd_finding_explain(f, N_("%s opens index.html at the top of an uploaded zip; with the export "
                                         "one folder down there is none, and the game does not start. The "
                                         "findings below are about the export in '%s/'."),
                                    h->name, root)
               : wd_finding_explain(f, N_("Sites that take a zip upload (itch.io, Newgrounds, Poki) look for "
                                         "index.html at the top of the zip. The findings below are about the "
                                         "export in '%s/'."),
                                    root))
    return WDI_OOM;
  if (wd_finding_add_fix(f, N_("Zip the files of the export folder, not the folder itself (in the folder: "
                              "`zip -r ../game.zip .`), or let Godot export straight into a .zip."),
                         NULL))
    return WDI_OOM;
  return 0;
}

/* ASCII case folding: what Windows and macOS file systems (and some hosts'
 * storage) treat as the same name. */
static int casecmp(const void *a, const void *b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  for (;; x++, y++) {
    int cx = (unsigned char)*x, cy = (unsigned char)*y;
    if (cx >= 'A' && cx <= 'Z') cx += 32;
    if (cy >= 'A' && cy <= 'Z') cy += 32;
    if (cx != cy || !cx) return cx != cy ? cx - cy : strcmp(*(const char *const *)a, *(const char *const *)b);
  }
}

static bool same_but_case(const char *x, const char *y) {
  if (strlen(x) != strlen(y) || !strcmp(x, y)) return false;
  for (; *x; x++, y++) {
    int cx = (unsigned char)*x, cy = (unsigned char)*y;
    if (cx >= 'A' && cx <= 'Z') cx += 32;
    if (cy >= 'A' && cy <= 'Z') cy += 32;
    if (cx != cy) return false;
  }
  return true;
}

static int case_findings(const wd_source *src, wd_findings *out) {
  uint32_t n = wd_source_count(src), m = 0;
  const char **v = malloc((n ? n : 1) * sizeof *v);
  if (!v) return WDI_OOM;
  for (uint32_t i = 0; i < n; i++)
    if (!ignored(wd_source_entry_at(src, i)->path)) v[m++] = wd_source_entry_at(src, i)->path;
  qsort(v, m, sizeof *v, casecmp);
  int rc = 0;
  for (uint32_t i = 1; i < m && !rc; i++) {
    if (!same_but_case(v[i - 1], v[i])) continue;
    wd_finding *f = wd_findings_add(out, WD214, v[i],
                                    N_("'%s' and '%s' differ only in case"), v[i - 1], v[i]);
    if (!f || wd_finding_explain(f, N_("Unpacked on Windows or macOS, or by a host whose storage ignores case, "
                                      "one of them replaces the other, and which one is left depends on the "
                                      "order of the zip; browsers ask for names exactly as written.")) ||
        wd_finding_add_fix(f, N_("Keep one of them: export again into an empty folder and zip that."), NULL))
      rc = WDI_OOM;
  }
  free(v);
  return rc;
}

/* The host's limits over every entry of the zip, where WD210 (the export's
 * top level) does not already say it. */
static int limit_findings(const wd_source *src, const char *root, const wd_check_options *o, wd_findings *out) {
  if (o->host == WD_HOST_UNKNOWN) return 0;
  const wd_host_info *h = wd_host_get(o->host);
  size_t rl = strlen(root);
  uint32_t n = wd_source_count(src), files = 0, top_files = 0;
  uint64_t total = 0, top_total = 0;
  for (uint32_t i = 0; i < n; i++) {
    const wd_source_entry *e = wd_source_entry_at(src, i);
    if (e->kind != WD_ENTRY_FILE) continue;
    files++;
    total += e->size;
    bool top = rl ? !strncmp(e->path, root, rl) && e->path[rl] == '/' && !strchr(e->path + rl + 1, '/')
                  : !strchr(e->path, '/');
    if (top) {
      top_files++;
      top_total += e->size;
      continue;
    }
    if (!h->max_file_size || e->size <= h->max_file_size) continue;
    char a[WD_SIZE_STR_MAX], b[WD_SIZE_STR_MAX];
    wd_finding *f = wd_findings_add(out, WD215, e->path, N_("%s is %s unpacked: %s accepts files up to %s"),
                                    e->path, wd_format_size(e->size, a, sizeof a), h->name,
                                    wd_format_size(h->max_file_size, b, sizeof b));
    if (!f || wd_finding_add_fix(f, N_("Leave out of the zip what the game does not load, or shrink the file."),
                                 NULL))
      return WDI_OOM;
  }
  if (h->max_files && files > h->max_files && top_files <= h->max_files) {
    wd_finding *f = wd_findings_add(out, WD215, NULL, N_("the zip holds %u files: %s accepts at most %u"),
                                    files, h->name, h->max_files);
    if (!f || wd_finding_add_fix(f, N_("Zip only the export's own files (not the project, not .import folders)."),
                                 NULL))
      return WDI_OOM;
  }
  if (h->max_total_size && total > h->max_total_size && top_total <= h->max_total_size) {
    char a[WD_SIZE_STR_MAX], b[WD_SIZE_STR_MAX];
    wd_finding *f = wd_findings_add(out, WD215, NULL, N_("the zip unpacks to %s: %s accepts up to %s"),
                                    wd_format_size(total, a, sizeof a), h->name,
                                    wd_format_size(h->max_total_size, b, sizeof b));
    if (!f || wd_finding_add_fix(f, N_("Zip only the export's own files (not the project, not .import folders)."),
                                 NULL))
      return WDI_OOM;
  }
  return 0;
}

static int damaged_finding(const wd_error *err, const char *file, wd_findings *out) {
  wd_finding *f = wd_findings_add(out, WD216, file, "%s", err->msg);
  if (!f || wd_msg_set_arg_text2(&f->message, 0, err->msg_en, err->msg)) return WDI_OOM;
  if (err->has_offset) {
    f->offset = err->offset;
    f->has_offset = true;
  }
  if (wd_finding_explain(f, N_("A host unpacks the zip before serving it: a truncated or damaged archive is "
                              "refused, or unpacks without the damaged files (an interrupted download or "
                              "upload, a disk that filled up, a transfer in text mode).")) ||
      wd_finding_add_fix(f, N_("Make the zip again from the export folder (or export again) and check it with "
                              "`unzip -t`."),
                         NULL))
    return WDI_OOM;
  return 0;
}

/* Every file entry decompresses with its CRC-32: libzip checks it. */
static int integrity_findings(const wd_source *src, wd_findings *out) {
  uint32_t n = wd_source_count(src);
  for (uint32_t i = 0; i < n; i++) {
    const wd_source_entry *e = wd_source_entry_at(src, i);
    if (e->kind != WD_ENTRY_FILE) continue;
    wd_source_data d;
    wd_error err;
    wd_error_clear(&err);
    wd_status s = wd_source_read(src, e->path, 0, &d, &err);
    if (s == WD_ERR_NOMEM) return WDI_OOM;
    if (s == WD_ERR_MALFORMED && damaged_finding(&err, e->path, out)) return WDI_OOM;
    if (!s) wd_source_data_release(&d);
  }
  return 0;
}

wd_status wd_check_zip_source(const wd_source *src, const wd_check_options *o, wd_findings *out,
                              wd_check_summary *summary, wd_error *err) {
  static const wd_check_options defaults = {0};
  if (!o) o = &defaults;
  wd_check_summary local;
  if (!summary) summary = &local;
  char root[1024];
  find_root(src, root, sizeof root);
  wd_source *sub = NULL;
  wd_status s = WD_OK;
  if (root[0]) {
    if ((s = wd_source_open_sub(src, root, &sub, err))) return s;
  }
  s = wd_check_export_source(sub ? sub : src, o, out, summary, err);
  if (s) goto done;
  if (root[0]) {
    const char *page = summary->nchain && summary->chain[0].kind == WD_CHAIN_PAGE
                           ? summary->chain[0].name : NULL;
    OOM_IF(nested_finding(o, root, page, out));
  }
  OOM_IF(case_findings(src, out));
  OOM_IF(limit_findings(src, root, o, out));
  OOM_IF(integrity_findings(src, out));
  wd_findings_sort(out);
  goto done;
oom:
  s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
done:
  wd_source_free(sub);
  return s;
}

static wd_status check_opened_zip(wd_source *src, wd_status s, wd_error *zerr, const wd_check_options *o,
                                  wd_findings *out, wd_check_summary *summary, wd_error *err);

wd_status wd_check_zip(const char *path, const wd_check_options *o, wd_findings *out, wd_check_summary *summary,
                       wd_error *err) {
  wd_source *src = NULL;
  wd_error zerr;
  wd_error_clear(&zerr);
  wd_status s = wd_source_open_zip(path, &src, &zerr);
  return check_opened_zip(src, s, &zerr, o, out, summary, err);
}

wd_status wd_check_zip_memory(const char *name, const uint8_t *data, uint64_t size, const wd_check_options *o,
                              wd_findings *out, wd_check_summary *summary, wd_error *err) {
  wd_source *src = NULL;
  wd_error zerr;
  wd_error_clear(&zerr);
  wd_status s = wd_source_open_zip_memory(name, data, size, &src, &zerr);
  return check_opened_zip(src, s, &zerr, o, out, summary, err);
}

static wd_status check_opened_zip(wd_source *src, wd_status s, wd_error *zerr, const wd_check_options *o,
                                  wd_findings *out, wd_check_summary *summary, wd_error *err) {
  if (s == WD_ERR_MALFORMED) {
    /* the archive itself is damaged: the finding, and nothing to check in it */
    if (summary) wdi_summary_init(summary, WD_CHECKED_EXPORT);
    if (damaged_finding(zerr, NULL, out)) return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    wd_findings_sort(out);
    return WD_OK;
  }
  if (s) {
    *err = *zerr;
    return s;
  }
  s = wd_check_zip_source(src, o, out, summary, err);
  wd_source_free(src);
  return s;
}
