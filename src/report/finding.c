/*
 * The findings list, the rule catalogue, and the text/JSON/SARIF/GitHub
 * renderers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "webdoctor/finding.h"
#include "webdoctor/text.h"
#include "wd_config.h"

/* The catalogue. IDs are stable forever; retired ones stay, marked. */
static const wd_rule rules[] = {
  {"WD100", "wasm-malformed", N_("a .wasm file cannot be read"), WD_SEV_ERROR},
  {"WD101", "shared-memory-mismatch", N_("engine and extension disagree about threads (shared memory)"), WD_SEV_ERROR},
  {"WD102", "signature-mismatch", N_("an imported function's signature differs from the export"), WD_SEV_ERROR},
  {"WD103", "unresolved-function", N_("a function nobody provides: fails at its first call"), WD_SEV_WARNING},
  {"WD104", "undefined-symbol", N_("a data symbol nobody defines"), WD_SEV_ERROR},
  {"WD105", "exception-tag", N_("an extension built with wasm exceptions, an engine without"), WD_SEV_ERROR},
  {"WD106", "memory-limits", N_("memory limits differ between engine and extension"), WD_SEV_ERROR},
  {"WD107", "table-mismatch", N_("the function table cannot take the extension"), WD_SEV_ERROR},
  {"WD108", "global-mismatch", N_("a global's type or mutability differs"), WD_SEV_ERROR},
  {"WD109", "not-side-module", N_("an extension file is not a side module"), WD_SEV_ERROR},
  {"WD110", "needed-missing", N_("a library an extension needs is missing"), WD_SEV_ERROR},
  {"WD111", "glue-mismatch", N_("the JS glue does not provide what the engine imports"), WD_SEV_ERROR},
  {"WD112", "import-mismatch", N_("an import of another kind than provided"), WD_SEV_ERROR},
  {"WD113", "browser-features", N_("WebAssembly features some browsers do not run"), WD_SEV_INFO},
  {"WD114", "emscripten-versions", N_("engine and extension built with different Emscripten versions"), WD_SEV_WARNING},
  {"WD201", "file-missing", N_("a file the page loads is missing"), WD_SEV_ERROR},
  {"WD202", "file-size", N_("a file's size differs from what the page expects"), WD_SEV_WARNING},
  {"WD203", "isolation-needed", N_("a threaded export needs cross-origin isolation"), WD_SEV_WARNING},
  {"WD204", "extensions-without-dlink", N_("GDExtensions listed, but the engine cannot load them"), WD_SEV_ERROR},
  {"WD205", "shell-placeholders", N_("the HTML shell has unreplaced $GODOT_ placeholders"), WD_SEV_ERROR},
  {"WD206", "precompressed-stale", N_("a precompressed copy does not match its file"), WD_SEV_ERROR},
  {"WD207", "stale-extension", N_("an extension .wasm the export no longer lists"), WD_SEV_WARNING},
  {"WD208", "threads-flag-mismatch", N_("the shell's thread setting disagrees with the engine"), WD_SEV_ERROR},
  {"WD209", "service-worker-files", N_("the service worker caches a file that is not there"), WD_SEV_ERROR},
  {"WD210", "host-limits", N_("the export exceeds a hosting site's upload limits"), WD_SEV_WARNING},
  {"WD211", "pck-damaged", N_("the .pck is damaged or truncated"), WD_SEV_ERROR},
  {"WD212", "no-shell", N_("no Godot HTML shell with GODOT_CONFIG"), WD_SEV_ERROR},
  {"WD300", "project-file-malformed", N_("a project file cannot be parsed"), WD_SEV_ERROR},
  {"WD301", "preset-extension-threads", N_("the Web preset's thread setting picks the wrong extension build"), WD_SEV_ERROR},
  {"WD302", "no-suitable-library", N_("no library in a .gdextension matches the Web preset"), WD_SEV_ERROR},
  {"WD303", "extensions-support-off", N_("GDExtensions used, but Extensions Support is off"), WD_SEV_ERROR},
  {"WD304", "custom-template-threads", N_("the custom template disagrees with the thread setting"), WD_SEV_ERROR},
  {"WD305", "library-file-missing", N_("a library a .gdextension names is missing"), WD_SEV_ERROR},
  {"WD306", "csharp-web", N_("C# projects cannot export to the Web in Godot 4"), WD_SEV_ERROR},
  {"WD307", "renderer-web", N_("the renderer does not run on the Web"), WD_SEV_WARNING},
  {"WD308", "coep-third-party", N_("cross-origin resources blocked by isolation"), WD_SEV_WARNING},
  {"WD309", "no-web-preset", N_("no Web export preset to check"), WD_SEV_INFO},
  {"WD401", "http-status", N_("the server answers a file with an HTTP error"), WD_SEV_ERROR},
  {"WD402", "isolation-headers", N_("a threaded export's page is not cross-origin isolated"), WD_SEV_ERROR},
  {"WD403", "cross-origin-blocked", N_("a file the isolated page loads is blocked or needs CORS/CORP"), WD_SEV_ERROR},
  {"WD404", "insecure-context", N_("the page is not served in a secure context (HTTPS)"), WD_SEV_ERROR},
  {"WD405", "content-type", N_("a file is sent with the wrong Content-Type"), WD_SEV_WARNING},
  {"WD406", "content-encoding", N_("the bytes do not match Content-Encoding"), WD_SEV_ERROR},
  {"WD407", "caching", N_("files cached in a way that mixes builds after an update"), WD_SEV_WARNING},
  {"WD408", "transfer-failed", N_("a file could not be downloaded"), WD_SEV_ERROR},
  {"WD409", "uncompressed", N_("a large file is sent uncompressed"), WD_SEV_INFO},
};

const wd_rule *wd_rules(uint32_t *count) {
  *count = sizeof rules / sizeof *rules;
  return rules;
}

const wd_rule *wd_rule_get(const char *id) {
  for (size_t i = 0; i < sizeof rules / sizeof *rules; i++)
    if (!strcmp(rules[i].id, id)) return &rules[i];
  return NULL;
}

static char *vfmt(const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0) return NULL;
  char *s = malloc((size_t)n + 1);
  if (s) vsnprintf(s, (size_t)n + 1, fmt, ap);
  return s;
}

static char *dup(const char *s) {
  if (!s) return NULL;
  size_t n = strlen(s);
  char *d = malloc(n + 1);
  if (d) memcpy(d, s, n + 1);
  return d;
}

wd_finding *wd_findings_add(wd_findings *fs, const char *id, wd_severity sev, const char *file,
                            const char *fmt, ...) {
  if (fs->n == fs->cap) {
    uint32_t cap = fs->cap ? fs->cap * 2 : 16;
    wd_finding *v = realloc(fs->v, cap * sizeof *v);
    if (!v) return NULL;
    fs->v = v;
    fs->cap = cap;
  }
  wd_finding *f = &fs->v[fs->n];
  memset(f, 0, sizeof *f);
  const wd_rule *r = wd_rule_get(id);
  f->id = r ? r->id : "WD000";
  f->severity = sev;
  f->file = dup(file);
  va_list ap;
  va_start(ap, fmt);
  f->message = vfmt(fmt, ap);
  va_end(ap);
  if (!f->message || (file && !f->file)) {
    free(f->message);
    free(f->file);
    return NULL;
  }
  fs->n++;
  return f;
}

int wd_finding_explain(wd_finding *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = vfmt(fmt, ap);
  va_end(ap);
  if (!s) return -1;
  free(f->explanation);
  f->explanation = s;
  return 0;
}

int wd_finding_add_fix(wd_finding *f, const char *text, const char *tradeoff) {
  wd_finding_fix *v = realloc(f->fixes, (f->nfixes + 1) * sizeof *v);
  if (!v) return -1;
  f->fixes = v;
  v[f->nfixes].text = dup(text);
  v[f->nfixes].tradeoff = tradeoff && tradeoff[0] ? dup(tradeoff) : NULL;
  if (!v[f->nfixes].text) return -1;
  f->nfixes++;
  return 0;
}

int wd_finding_set_engine_message(wd_finding *f, const char *msg) {
  free(f->engine_message);
  f->engine_message = dup(msg);
  return f->engine_message ? 0 : -1;
}

void wd_findings_free(wd_findings *fs) {
  for (uint32_t i = 0; i < fs->n; i++) {
    wd_finding *f = &fs->v[i];
    free(f->file);
    free(f->message);
    free(f->explanation);
    free(f->engine_message);
    for (uint32_t k = 0; k < f->nfixes; k++) {
      free(f->fixes[k].text);
      free(f->fixes[k].tradeoff);
    }
    free(f->fixes);
  }
  free(fs->v);
  fs->v = NULL;
  fs->n = fs->cap = 0;
}

static int cmp_finding(const void *a, const void *b) {
  const wd_finding *x = a, *y = b;
  if (x->severity != y->severity) return x->severity > y->severity ? -1 : 1;
  int c = strcmp(x->id, y->id);
  if (c) return c;
  c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
  if (c) return c;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
  return strcmp(x->message, y->message);
}

void wd_findings_sort(wd_findings *fs) {
  if (fs->n > 1) qsort(fs->v, fs->n, sizeof *fs->v, cmp_finding);
}

uint32_t wd_findings_count(const wd_findings *fs, wd_severity sev) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < fs->n; i++) n += fs->v[i].severity == sev;
  return n;
}

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
  case WD_SEV_INFO: return "info";
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
    char loc[1200];
    location(f, loc, sizeof loc);
    if (loc[0]) fprintf(out, "%s%s:%s ", wd_term_style(t, WD_STYLE_BOLD), loc, wd_term_style(t, WD_STYLE_RESET));
    fprintf(out, "%s%s[%s]%s %s%s%s\n", wd_term_style(t, st), sev_name(f->severity), f->id,
            wd_term_style(t, WD_STYLE_RESET), wd_term_style(t, WD_STYLE_BOLD), f->message,
            wd_term_style(t, WD_STYLE_RESET));
    if (f->engine_message) print_verbatim(out, f->engine_message, 4, t);
    if (f->explanation) {
      fprintf(out, "    ");
      wd_text_wrap(out, f->explanation, 4, 4, 78);
    }
    int hw = wd_text_width(_("fix"));
    if (hw < 3) hw = 3;
    for (uint32_t k = 0; k < f->nfixes; k++) {
      fprintf(out, "    %s", wd_term_style(t, WD_STYLE_GREEN));
      wd_text_pad(out, k == 0 ? _("fix") : "", hw);
      fprintf(out, "%s %u. ", wd_term_style(t, WD_STYLE_RESET), k + 1);
      int col = 4 + hw + 4;
      wd_text_wrap(out, f->fixes[k].text, col, col, 78);
      if (f->fixes[k].tradeoff) {
        fprintf(out, "%*s%s", col, "", wd_term_style(t, WD_STYLE_DIM));
        char buf[512];
        snprintf(buf, sizeof buf, "%s: %s", _("trade-off"), f->fixes[k].tradeoff);
        wd_text_wrap(out, buf, col, col, 78);
        fprintf(out, "%s", wd_term_style(t, WD_STYLE_RESET));
      }
    }
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

static cJSON *finding_json(const wd_finding *f) {
  cJSON *o = cJSON_CreateObject();
  const wd_rule *r = wd_rule_get(f->id);
  cJSON_AddStringToObject(o, "id", f->id);
  cJSON_AddStringToObject(o, "rule", r ? r->key : "");
  cJSON_AddStringToObject(o, "severity", sev_key(f->severity));
  if (f->file) cJSON_AddStringToObject(o, "file", f->file);
  else cJSON_AddNullToObject(o, "file");
  if (f->has_offset) cJSON_AddNumberToObject(o, "offset", (double)f->offset);
  if (f->line) cJSON_AddNumberToObject(o, "line", f->line);
  if (f->column) cJSON_AddNumberToObject(o, "column", f->column);
  cJSON_AddStringToObject(o, "message", f->message);
  if (f->explanation) cJSON_AddStringToObject(o, "explanation", f->explanation);
  if (f->engine_message) cJSON_AddStringToObject(o, "engine_message", f->engine_message);
  cJSON *fx = cJSON_AddArrayToObject(o, "fixes");
  for (uint32_t k = 0; k < f->nfixes; k++) {
    cJSON *x = cJSON_CreateObject();
    cJSON_AddNumberToObject(x, "rank", k + 1);
    cJSON_AddStringToObject(x, "text", f->fixes[k].text);
    if (f->fixes[k].tradeoff) cJSON_AddStringToObject(x, "tradeoff", f->fixes[k].tradeoff);
    cJSON_AddItemToArray(fx, x);
  }
  return o;
}

cJSON *wd_findings_json(const wd_findings *fs, const wd_render_options *o) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "schema", WD_CHECK_SCHEMA);
  cJSON_AddStringToObject(root, "tool", "webdoctor " WD_VERSION_STRING);
  if (o->subject) cJSON_AddStringToObject(root, "subject", o->subject);
  cJSON *sum = cJSON_AddObjectToObject(root, "summary");
  cJSON_AddNumberToObject(sum, "errors", wd_findings_count(fs, WD_SEV_ERROR));
  cJSON_AddNumberToObject(sum, "warnings", wd_findings_count(fs, WD_SEV_WARNING));
  cJSON_AddNumberToObject(sum, "notes", wd_findings_count(fs, WD_SEV_INFO));
  cJSON *arr = cJSON_AddArrayToObject(root, "findings");
  for (uint32_t i = 0; i < fs->n; i++) cJSON_AddItemToArray(arr, finding_json(&fs->v[i]));
  return root;
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
  (void)o;
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
    for (uint32_t k = 0; k < nrules; k++)
      if (!strcmp(rs[k].id, f->id)) cJSON_AddNumberToObject(res, "ruleIndex", k);
    cJSON_AddStringToObject(res, "level", sarif_level(f->severity));
    cJSON *msg = cJSON_AddObjectToObject(res, "message");
    if (f->explanation) {
      size_t n = strlen(f->message) + strlen(f->explanation) + 4;
      char *t = malloc(n);
      if (t) {
        snprintf(t, n, "%s. %s", f->message, f->explanation);
        cJSON_AddStringToObject(msg, "text", t);
        free(t);
      }
    } else {
      cJSON_AddStringToObject(msg, "text", f->message);
    }
    if (f->file) {
      cJSON *locs = cJSON_AddArrayToObject(res, "locations");
      cJSON *loc = cJSON_CreateObject();
      cJSON_AddItemToArray(locs, loc);
      cJSON *pl = cJSON_AddObjectToObject(loc, "physicalLocation");
      cJSON *al = cJSON_AddObjectToObject(pl, "artifactLocation");
      cJSON_AddStringToObject(al, "uri", f->file);
      if (f->line || f->has_offset) {
        cJSON *reg = cJSON_AddObjectToObject(pl, "region");
        if (f->line) {
          cJSON_AddNumberToObject(reg, "startLine", f->line);
          if (f->column) cJSON_AddNumberToObject(reg, "startColumn", f->column);
        } else {
          cJSON_AddNumberToObject(reg, "byteOffset", (double)f->offset);
        }
      }
    }
    if (f->nfixes) {
      /* ranked fixes as plain text: SARIF fixes need file edits */
      cJSON *props = cJSON_AddObjectToObject(res, "properties");
      cJSON *fx = cJSON_AddArrayToObject(props, "fixes");
      for (uint32_t k = 0; k < f->nfixes; k++) cJSON_AddItemToArray(fx, cJSON_CreateString(f->fixes[k].text));
      if (f->engine_message) cJSON_AddStringToObject(props, "engineMessage", f->engine_message);
    }
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
  (void)o;
  for (uint32_t i = 0; i < fs->n; i++) {
    const wd_finding *f = &fs->v[i];
    const char *cmd = f->severity == WD_SEV_ERROR ? "error" : f->severity == WD_SEV_WARNING ? "warning" : "notice";
    fprintf(out, "::%s ", cmd);
    bool comma = false;
    if (f->file) {
      fputs("file=", out);
      gh_escape(out, f->file, true);
      comma = true;
    }
    if (f->line) {
      fprintf(out, "%sline=%u", comma ? "," : "", f->line);
      comma = true;
      if (f->column) fprintf(out, ",col=%u", f->column);
    }
    fprintf(out, "%stitle=", comma ? "," : "");
    gh_escape(out, f->id, true);
    fputs("::", out);
    gh_escape(out, f->message, false);
    if (f->explanation) {
      fputs("%0A", out);
      gh_escape(out, f->explanation, false);
    }
    fputc('\n', out);
  }
}
