/*
 * The findings renderers: text, JSON, SARIF, GitHub workflow annotations.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"
#include "report/json_int.h"
#include "webdoctor/report.h"
#include "webdoctor/text.h"
#include "wd_config.h"

static const char *sev_name(wd_severity s) {
  switch (s) {
  case WD_SEV_ERROR: return _("error");
  case WD_SEV_WARNING: return _("warning");
  case WD_SEV_INFO: return _("note");
  }
  return "?";
}

static const char *sev_key(wd_severity s) {
  switch (s) {
  case WD_SEV_ERROR: return "error";
  case WD_SEV_WARNING: return "warning";
  case WD_SEV_INFO: return "note";
  }
  return "?";
}

static void location(const wd_finding *f, char *buf, size_t size) {
  if (!f->file) {
    buf[0] = '\0';
    return;
  }
  if (f->line && f->column) snprintf(buf, size, "%s:%u:%u", f->file, f->line, f->column);
  else if (f->line) snprintf(buf, size, "%s:%u", f->file, f->line);
  else if (f->has_offset) snprintf(buf, size, "%s@0x%llx", f->file, (unsigned long long)f->offset);
  else snprintf(buf, size, "%s", f->file);
}

/* Engine messages are verbatim: one per line, indented, never wrapped. */
static void print_verbatim(FILE *out, const char *text, int indent, const wd_term *t) {
  const char *s = text;
  while (*s) {
    const char *nl = strchr(s, '\n');
    size_t n = nl ? (size_t)(nl - s) : strlen(s);
    fprintf(out, "%*s%s%.*s%s\n", indent, "", wd_term_style(t, WD_STYLE_DIM), (int)n, s,
            wd_term_style(t, WD_STYLE_RESET));
    s += n;
    if (*s) s++;
  }
}

void wd_findings_text(const wd_findings *fs, const wd_render_options *o, const wd_term *t) {
  FILE *out = t->out;
  for (uint32_t i = 0; i < fs->n && !o->quiet; i++) {
    const wd_finding *f = &fs->v[i];
    wd_style st = f->severity == WD_SEV_ERROR ? WD_STYLE_RED
                : f->severity == WD_SEV_WARNING ? WD_STYLE_YELLOW : WD_STYLE_CYAN;
    wd_finding_texts tx;
    if (wd_finding_texts_make(f, false, &tx)) continue;
    char loc[1200];
    location(f, loc, sizeof loc);
    if (loc[0]) fprintf(out, "%s%s:%s ", wd_term_style(t, WD_STYLE_BOLD), loc, wd_term_style(t, WD_STYLE_RESET));
    fprintf(out, "%s%s[%s]%s %s%s%s\n", wd_term_style(t, st), sev_name(f->severity), f->id,
            wd_term_style(t, WD_STYLE_RESET), wd_term_style(t, WD_STYLE_BOLD), tx.message,
            wd_term_style(t, WD_STYLE_RESET));
    if (f->engine_message) print_verbatim(out, f->engine_message, 4, t);
    if (tx.explanation) {
      fprintf(out, "    ");
      wd_text_wrap(out, tx.explanation, 4, 4, 78);
    }
    int hw = wd_text_width(_("fix"));
    if (hw < 3) hw = 3;
    for (uint32_t k = 0; k < f->nfixes; k++) {
      fprintf(out, "    %s", wd_term_style(t, WD_STYLE_GREEN));
      wd_text_pad(out, k == 0 ? _("fix") : "", hw);
      fprintf(out, "%s %u. ", wd_term_style(t, WD_STYLE_RESET), k + 1);
      int col = 4 + hw + 4;
      wd_text_wrap(out, tx.fix[k], col, col, 78);
      if (tx.tradeoff[k]) {
        fprintf(out, "%*s%s", col, "", wd_term_style(t, WD_STYLE_DIM));
        char buf[512];
        snprintf(buf, sizeof buf, _("trade-off: %s"), tx.tradeoff[k]);
        wd_text_wrap(out, buf, col, col, 78);
        fprintf(out, "%s", wd_term_style(t, WD_STYLE_RESET));
      }
    }
    wd_finding_texts_free(&tx);
    fputc('\n', out);
  }
  uint32_t e = wd_findings_count(fs, WD_SEV_ERROR), w = wd_findings_count(fs, WD_SEV_WARNING),
           n = wd_findings_count(fs, WD_SEV_INFO);
  if (e)
    fprintf(out, "%s", wd_term_style(t, WD_STYLE_RED));
  else if (w)
    fprintf(out, "%s", wd_term_style(t, WD_STYLE_YELLOW));
  else
    fprintf(out, "%s", wd_term_style(t, WD_STYLE_GREEN));
  char es[64], ws[64], ns[64];
  snprintf(es, sizeof es, P_("%u error", "%u errors", e), e);
  snprintf(ws, sizeof ws, P_("%u warning", "%u warnings", w), w);
  snprintf(ns, sizeof ns, P_("%u note", "%u notes", n), n);
  /* TRANSLATORS: subject, then the three counts */
  fprintf(out, _("%s: %s, %s, %s"), o->subject ? o->subject : "", es, ws, ns);
  fprintf(out, "%s\n", wd_term_style(t, WD_STYLE_RESET));
}

/* en: the texts in English; loc: in the active language, or NULL */
static cJSON *finding_json(const wd_finding *f, const wd_finding_texts *en, const wd_finding_texts *loc) {
  cJSON *o = cJSON_CreateObject();
  const wd_rule *r = wd_rule_of(f->code);
  cJSON_AddStringToObject(o, "id", f->id);
  cJSON_AddStringToObject(o, "rule", r->key);
  cJSON_AddStringToObject(o, "severity", sev_key(f->severity));
  if (f->file) cJSON_AddStringToObject(o, "file", f->file);
  else cJSON_AddNullToObject(o, "file");
  if (f->has_offset) cJSON_AddNumberToObject(o, "offset", (double)f->offset);
  if (f->line) cJSON_AddNumberToObject(o, "line", f->line);
  if (f->column) cJSON_AddNumberToObject(o, "column", f->column);
  wdi_json_add_text(o, "message", en->message, loc ? loc->message : NULL);
  if (en->explanation) wdi_json_add_text(o, "explanation", en->explanation, loc ? loc->explanation : NULL);
  if (f->engine_message) cJSON_AddStringToObject(o, "engine_message", f->engine_message);
  cJSON *fx = cJSON_AddArrayToObject(o, "fixes");
  for (uint32_t k = 0; k < f->nfixes; k++) {
    cJSON *x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "rank", k + 1);
    wdi_json_add_text(x, "text", en->fix[k], loc ? loc->fix[k] : NULL);
    if (en->tradeoff[k]) wdi_json_add_text(x, "tradeoff", en->tradeoff[k], loc ? loc->tradeoff[k] : NULL);
    cJSON_AddItemToArray(fx, x);
  }
  return o;
}

static const wd_findings *sorting;
static int cmp_english(const void *a, const void *b) {
  const uint32_t *x = a, *y = b;
  int c = wd_finding_cmp(&sorting->v[*x], &sorting->v[*y], true);
  return c ? c : (*x > *y) - (*x < *y);
}

cJSON *wd_findings_json(const wd_findings *fs, const wd_render_options *o) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "schema", WD_CHECK_SCHEMA);
  if (o->language) cJSON_AddStringToObject(root, "language", o->language);
  cJSON_AddStringToObject(root, "tool", "webdoctor " WD_VERSION_STRING);
  if (o->subject) cJSON_AddStringToObject(root, "subject", o->subject);
  cJSON *sum = cJSON_AddObjectToObject(root, "summary");
  cJSON_AddNumberToObject(sum, "errors", wd_findings_count(fs, WD_SEV_ERROR));
  cJSON_AddNumberToObject(sum, "warnings", wd_findings_count(fs, WD_SEV_WARNING));
  cJSON_AddNumberToObject(sum, "notes", wd_findings_count(fs, WD_SEV_INFO));
  cJSON *arr = cJSON_AddArrayToObject(root, "findings");
  /* in the order of the English messages, whatever the active language */
  uint32_t *order = fs->n ? malloc(fs->n * sizeof *order) : NULL;
  if (fs->n && !order) {
    cJSON_Delete(root);
    return NULL;
  }
  for (uint32_t i = 0; i < fs->n; i++) order[i] = i;
  sorting = fs;
  if (fs->n > 1) qsort(order, fs->n, sizeof *order, cmp_english);
  sorting = NULL;
  for (uint32_t i = 0; i < fs->n; i++) {
    const wd_finding *f = &fs->v[order[i]];
    wd_finding_texts en, loc;
    bool both = o->language != NULL;
    if (wd_finding_texts_make(f, true, &en)) goto oom;
    if (both && wd_finding_texts_make(f, false, &loc)) {
      wd_finding_texts_free(&en);
      goto oom;
    }
    cJSON_AddItemToArray(arr, finding_json(f, &en, both ? &loc : NULL));
    wd_finding_texts_free(&en);
    if (both) wd_finding_texts_free(&loc);
  }
  free(order);
  return root;
oom:
  free(order);
  cJSON_Delete(root);
  return NULL;
}

/* ---- where a finding is, for CI: relative to the working directory ------ */

/* A finding's file as CI tools want it: the checked folder joined in front
 * ("build/web/index.wasm" for `check build/web`), relative to the working
 * directory; absolute when it is outside it; as it is when the subject is a
 * URL (probe). Caller frees. */
static char *ci_path(const wd_render_options *o, const char *file, bool *absolute) {
  *absolute = false;
  const char *subj = o ? o->subject : NULL;
  char *joined;
  if (!subj || !subj[0] || strstr(subj, "://") || file[0] == '/') {
    joined = strdup(file);
  } else {
    size_t n = strlen(subj) + strlen(file) + 2;
    joined = malloc(n);
    if (joined) snprintf(joined, n, "%s/%s", subj, file);
  }
  if (!joined) return NULL;
  /* "./a//b/./c" -> "a/b/c" */
  char *r = joined, *w = joined;
  bool abs = joined[0] == '/';
  while (*r) {
    if (r[0] == '/' && (w > joined && w[-1] == '/')) { r++; continue; }
    if (r[0] == '.' && (r[1] == '/' || !r[1]) && (r == joined || r[-1] == '/')) { r += r[1] ? 2 : 1; continue; }
    *w++ = *r++;
  }
  if (w > joined + 1 && w[-1] == '/') w--;
  *w = '\0';
  if (abs && !strstr(subj ? subj : "", "://")) {
    char cwd[4096];
    size_t cl = getcwd(cwd, sizeof cwd) ? strlen(cwd) : 0;
    if (cl > 1 && !strncmp(joined, cwd, cl) && joined[cl] == '/') memmove(joined, joined + cl + 1, strlen(joined + cl + 1) + 1);
    else *absolute = true;
  }
  return joined;
}

/* Binary files get a byte offset, text files a line: by the name, then by a
 * NUL byte in the first 8 KiB. */
static bool is_binary(const char *path) {
  static const char *const bin[] = {".wasm", ".pck", ".zip", ".so", ".dll", ".dylib", ".a", ".br", ".gz", ".png", ".jpg", ".webp"};
  size_t n = strlen(path);
  for (size_t i = 0; i < sizeof bin / sizeof *bin; i++) {
    size_t k = strlen(bin[i]);
    if (n >= k && !strcmp(path + n - k, bin[i])) return true;
  }
  FILE *fp = fopen(path, "rb");
  if (!fp) return false;
  char buf[8192];
  size_t got = fread(buf, 1, sizeof buf, fp);
  fclose(fp);
  return memchr(buf, 0, got) != NULL;
}

/* The 1-based line and column of byte `off` of a text file; false when it
 * cannot be read that far. */
static bool line_of(const char *path, uint64_t off, uint32_t *line, uint32_t *col) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return false;
  uint32_t l = 1, c = 1;
  uint64_t i = 0;
  int ch = 0;
  while (i < off && (ch = fgetc(fp)) != EOF) {
    i++;
    if (ch == '\n') l++, c = 1;
    else if ((ch & 0xC0) != 0x80) c++;
  }
  fclose(fp);
  if (i < off) return false;
  *line = l;
  *col = c;
  return true;
}

typedef struct ci_loc {
  char *path;        /* see ci_path */
  bool absolute;
  bool binary;
  uint32_t line, col;/* 0: none */
  bool has_offset;   /* binary: byte offset */
  uint64_t offset;
} ci_loc;

static bool ci_locate(const wd_render_options *o, const wd_finding *f, ci_loc *l) {
  memset(l, 0, sizeof *l);
  if (!f->file || !(l->path = ci_path(o, f->file, &l->absolute))) return false;
  bool local = !(o && o->subject && strstr(o->subject, "://"));
  l->binary = local && is_binary(l->path);
  /* a binary file has no lines: a line given with it is not one of its own */
  l->line = l->binary ? 0 : f->line;
  l->col = l->binary ? 0 : f->column;
  if (!l->line && f->has_offset) {
    if (!l->binary && local && line_of(l->path, f->offset, &l->line, &l->col)) {
      /* a text file: its line */
    } else {
      l->has_offset = true;
      l->offset = f->offset;
    }
  }
  return true;
}

static const char *sarif_level(wd_severity s) {
  switch (s) {
  case WD_SEV_ERROR: return "error";
  case WD_SEV_WARNING: return "warning";
  case WD_SEV_INFO: return "note";
  }
  return "none";
}

cJSON *wd_findings_sarif(const wd_findings *fs, const wd_render_options *o) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  cJSON_AddStringToObject(root, "version", "2.1.0");
  cJSON *runs = cJSON_AddArrayToObject(root, "runs");
  cJSON *run = cJSON_CreateObject();
  cJSON_AddItemToArray(runs, run);
  cJSON *tool = cJSON_AddObjectToObject(run, "tool");
  cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
  cJSON_AddStringToObject(driver, "name", "webdoctor");
  cJSON_AddStringToObject(driver, "version", WD_VERSION_STRING);
  cJSON_AddStringToObject(driver, "informationUri", "https://github.com/webdoctor/webdoctor");
  /* paths are relative to the working directory, named %SRCROOT% (where
   * CI runs the check: the repository's root for GitHub code scanning) */
  char cwd[4096];
  if (getcwd(cwd, sizeof cwd)) {
    cJSON *bases = cJSON_AddObjectToObject(run, "originalUriBaseIds");
    cJSON *root_base = cJSON_AddObjectToObject(bases, "%SRCROOT%");
    char uri[4200];
    snprintf(uri, sizeof uri, "file://%s%s", cwd, strcmp(cwd, "/") ? "/" : "");
    cJSON_AddStringToObject(root_base, "uri", uri);
  }
  cJSON *rarr = cJSON_AddArrayToObject(driver, "rules");
  uint32_t nrules;
  const wd_rule *rs = wd_rules(&nrules);
  for (uint32_t i = 0; i < nrules; i++) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "id", rs[i].id);
    cJSON_AddStringToObject(r, "name", rs[i].key);
    cJSON *sd = cJSON_AddObjectToObject(r, "shortDescription");
    cJSON_AddStringToObject(sd, "text", _(rs[i].title));
    cJSON *dc = cJSON_AddObjectToObject(r, "defaultConfiguration");
    cJSON_AddStringToObject(dc, "level", sarif_level(rs[i].severity));
    cJSON_AddItemToArray(rarr, r);
  }
  cJSON *results = cJSON_AddArrayToObject(run, "results");
  for (uint32_t i = 0; i < fs->n; i++) {
    const wd_finding *f = &fs->v[i];
    cJSON *res = cJSON_CreateObject();
    cJSON_AddStringToObject(res, "ruleId", f->id);
    cJSON_AddNumberToObject(res, "ruleIndex", f->code);
    cJSON_AddStringToObject(res, "level", sarif_level(f->severity));
    cJSON *msg = cJSON_AddObjectToObject(res, "message");
    wd_finding_texts tx;
    if (wd_finding_texts_make(f, false, &tx)) {
      cJSON_Delete(res);
      continue;
    }
    if (tx.explanation) {
      size_t n = strlen(tx.message) + strlen(tx.explanation) + 4;
      char *t = malloc(n);
      if (t) {
        snprintf(t, n, "%s. %s", tx.message, tx.explanation);
        cJSON_AddStringToObject(msg, "text", t);
        free(t);
      }
    } else {
      cJSON_AddStringToObject(msg, "text", tx.message);
    }
    ci_loc l;
    if (ci_locate(o, f, &l)) {
      cJSON *locs = cJSON_AddArrayToObject(res, "locations");
      cJSON *loc = cJSON_CreateObject();
      cJSON_AddItemToArray(locs, loc);
      cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
      cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
      if (l.absolute) {
        size_t n = strlen(l.path) + 8;
        char *u = malloc(n);
        if (u) {
          snprintf(u, n, "file://%s", l.path);
          cJSON_AddStringToObject(al, "uri", u);
        }
        free(u);
      } else {
        cJSON_AddStringToObject(al, "uri", l.path);
        if (!(o && o->subject && strstr(o->subject, "://"))) cJSON_AddStringToObject(al, "uriBaseId", "%SRCROOT%");
      }
      if (l.line || l.has_offset) {
        cJSON *reg = cJSON_AddObjectToObject(pl, "region");
        if (l.line) {
          cJSON_AddNumberToObject(reg, "startLine", l.line);
          if (l.col) cJSON_AddNumberToObject(reg, "startColumn", l.col);
        } else {
          cJSON_AddNumberToObject(reg, "byteOffset", (double)l.offset);
          cJSON_AddNumberToObject(reg, "byteLength", 1);
        }
      }
      free(l.path);
    }
    if (f->nfixes) {
      /* ranked fixes as plain text: SARIF fixes need file edits */
      cJSON *props = cJSON_AddObjectToObject(res, "properties");
      cJSON *fx = cJSON_AddArrayToObject(props, "fixes");
      for (uint32_t k = 0; k < f->nfixes; k++) cJSON_AddItemToArray(fx, cJSON_CreateString(tx.fix[k]));
      if (f->engine_message) cJSON_AddStringToObject(props, "engineMessage", f->engine_message);
    }
    wd_finding_texts_free(&tx);
    cJSON_AddItemToArray(results, res);
  }
  return root;
}

/* GitHub workflow commands: values escape % \r \n, properties also : and , */
static void gh_escape(FILE *out, const char *s, bool property) {
  for (; *s; s++) {
    switch (*s) {
    case '%': fputs("%25", out); break;
    case '\r': fputs("%0D", out); break;
    case '\n': fputs("%0A", out); break;
    case ':': fputs(property ? "%3A" : ":", out); break;
    case ',': fputs(property ? "%2C" : ",", out); break;
    default: fputc(*s, out);
    }
  }
}

void wd_findings_github(const wd_findings *fs, const wd_render_options *o, FILE *out) {
  for (uint32_t i = 0; i < fs->n; i++) {
    const wd_finding *f = &fs->v[i];
    const char *cmd = f->severity == WD_SEV_ERROR ? "error" : f->severity == WD_SEV_WARNING ? "warning" : "notice";
    fprintf(out, "::%s ", cmd);
    bool comma = false;
    ci_loc l;
    bool have = ci_locate(o, f, &l);
    if (have) {
      fputs("file=", out);
      gh_escape(out, l.path, true);
      comma = true;
    }
    if (have && l.line) {
      fprintf(out, "%sline=%u", comma ? "," : "", l.line);
      comma = true;
      if (l.col) fprintf(out, ",col=%u", l.col);
    }
    if (have) free(l.path);
    fprintf(out, "%stitle=", comma ? "," : "");
    gh_escape(out, f->id, true);
    fputs("::", out);
    wd_finding_texts tx;
    if (!wd_finding_texts_make(f, false, &tx)) {
      gh_escape(out, tx.message, false);
      if (tx.explanation) {
        fputs("%0A", out);
        gh_escape(out, tx.explanation, false);
      }
      wd_finding_texts_free(&tx);
    }
    fputc('\n', out);
  }
}
