/*
 * A Godot project folder: its .gdextension/.csproj files, its Godot version,
 * and the web builds of each extension (moved here from the project checks
 * so that `check` and `fix` see the same files and builds).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/str.h"
#include "common/i18n.h"
#include "webdoctor/project.h"
#include "webdoctor/wasm.h"

static wd_status nomem(wd_error *err) {
  return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
}

static int push(wd_path_list *l, const char *s) {
  if (l->n == l->cap) {
    uint32_t cap = l->cap ? l->cap * 2 : 16;
    char **v = realloc(l->v, cap * sizeof *v);
    if (!v) return -1;
    l->v = v;
    l->cap = cap;
  }
  if (!(l->v[l->n] = strdup(s))) return -1;
  l->n++;
  return 0;
}

void wd_path_list_free(wd_path_list *l) {
  if (!l) return;
  for (uint32_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  l->v = NULL;
  l->n = l->cap = 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct scan_ctx {
  const char *dir;
  wd_path_list *gdext, *csproj;
  uint32_t budget;
} scan_ctx;

static int scan(scan_ctx *c, const char *rel, int depth) {
  if (depth > 12) return 0;
  char path[4096];
  snprintf(path, sizeof path, "%s%s%s", c->dir, rel[0] ? "/" : "", rel);
  DIR *d = opendir(path);
  if (!d) return 0;
  struct dirent *de;
  int rc = 0;
  while (!rc && c->budget && (de = readdir(d))) {
    c->budget--;
    if (de->d_name[0] == '.' || !strcmp(de->d_name, "node_modules")) continue;
    char sub[4096];
    int k = snprintf(sub, sizeof sub, "%s%s%s", rel, rel[0] ? "/" : "", de->d_name);
    if (k < 0 || (size_t)k >= sizeof sub) continue;
    char full[8192];
    k = snprintf(full, sizeof full, "%s/%s", c->dir, sub);
    if (k < 0 || (size_t)k >= sizeof full) continue;
    struct stat st;
    if (stat(full, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) rc = scan(c, sub, depth + 1);
    else if (c->gdext && wd_ends_with(de->d_name, ".gdextension")) rc = push(c->gdext, sub);
    else if (c->csproj && wd_ends_with(de->d_name, ".csproj")) rc = push(c->csproj, sub);
  }
  closedir(d);
  return rc;
}

wd_status wd_project_scan(const char *dir, wd_path_list *gdextensions, wd_path_list *csprojs,
                          wd_error *err) {
  scan_ctx c = {dir, gdextensions, csprojs, 200000};
  if (scan(&c, "", 0)) return nomem(err);
  if (gdextensions && gdextensions->n) qsort(gdextensions->v, gdextensions->n, sizeof *gdextensions->v, cmp_str);
  if (csprojs && csprojs->n) qsort(csprojs->v, csprojs->n, sizeof *csprojs->v, cmp_str);
  return WD_OK;
}

int wd_project_godot_minor(const wd_cfg *project, char *label, size_t label_size) {
  int minor = 0;
  if (label && label_size) label[0] = '\0';
  const wd_cfg_value *feats = project ? wd_cfg_get(project, "application", "config/features") : NULL;
  for (uint32_t i = 0; i < wd_cfg_len(feats); i++) {
    const char *v = wd_cfg_string(wd_cfg_at(feats, i));
    int maj, min;
    if (v && sscanf(v, "%d.%d", &maj, &min) == 2 && maj == 4 && min >= 0) {
      minor = min;
      if (label && label_size) snprintf(label, label_size, "Godot %s", v);
    }
  }
  return minor;
}

/* ---- web builds ---------------------------------------------------------- */

typedef struct cand {
  char *file;
  bool shared, named, exports_entry;
} cand;

typedef struct cands {
  cand *v;
  uint32_t n, cap;
} cands;

static void free_cands(cands *c) {
  for (uint32_t i = 0; i < c->n; i++) free(c->v[i].file);
  free(c->v);
}

static bool has_file(const cands *c, const char *file) {
  for (uint32_t i = 0; i < c->n; i++)
    if (!strcmp(c->v[i].file, file)) return true;
  return false;
}

/* Add `file` when it is a side module; 0 also when it is not one. */
static int add_cand(cands *c, const char *file, bool named, const char *entry) {
  if (has_file(c, file)) return 0;
  wd_module *m = NULL;
  wd_error e;
  wd_read_options ro = {.skip_code = true};
  if (wd_module_open(file, &ro, &m, &e) != WD_OK) return 0;
  const wd_limits *l = wd_module_memory0(m, NULL);
  if (!m->dylink.present || !l) {
    wd_module_free(m);
    return 0;
  }
  bool shared = l->shared;
  bool exports_entry = entry && entry[0] && wd_module_find_export(m, entry, (uint32_t)strlen(entry)) != NULL;
  wd_module_free(m);
  if (c->n == c->cap) {
    uint32_t cap = c->cap ? c->cap * 2 : 8;
    cand *v = realloc(c->v, cap * sizeof *v);
    if (!v) return -1;
    c->v = v;
    c->cap = cap;
  }
  char *dup = strdup(file);
  if (!dup) return -1;
  c->v[c->n++] = (cand){dup, shared, named, exports_entry};
  return 0;
}

static bool is_web(const wd_gdext_library *l) {
  for (uint32_t t = 0; t < l->ntags; t++)
    if (!strcmp(l->tags[t], "web")) return true;
  return false;
}

/* The file name up to its first '.' ("liblimboai"). */
static size_t stem(const char *path, const char **start) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  *start = b;
  const char *dot = strchr(b, '.');
  return dot ? (size_t)(dot - b) : strlen(b);
}

static bool same_stem(const wd_gdextension *g, const char *file) {
  const char *s;
  size_t n = stem(file, &s);
  for (uint32_t i = 0; i < g->nlibs; i++) {
    const char *t;
    size_t k = stem(g->libs[i].path, &t);
    if (k == n && k > 0 && !memcmp(s, t, n)) return true;
  }
  return false;
}

static int scan_folder(cands *c, const char *folder, const char *entry) {
  DIR *d = opendir(folder);
  if (!d) return 0;
  wd_path_list names = WD_PATH_LIST_INIT;
  struct dirent *de;
  int rc = 0;
  while (!rc && names.n < 256 && (de = readdir(d)))
    if (de->d_name[0] != '.' && wd_ends_with(de->d_name, ".wasm")) rc = push(&names, de->d_name);
  closedir(d);
  if (names.n) qsort(names.v, names.n, sizeof *names.v, cmp_str);
  for (uint32_t i = 0; !rc && i < names.n; i++) {
    char full[8192];
    int k = snprintf(full, sizeof full, "%s/%s", folder, names.v[i]);
    if (k < 0 || (size_t)k >= sizeof full) continue;
    rc = add_cand(c, full, false, entry);
  }
  wd_path_list_free(&names);
  return rc;
}

wd_status wd_gdext_web_builds(const wd_gdextension *g, const char *project_dir, wd_web_builds *out,
                              wd_error *err) {
  out->v = NULL;
  out->n = 0;
  cands c = {0};
  wd_path_list folders = WD_PATH_LIST_INIT;
  const char *entry = g->entry_symbol;
  int rc = 0;
  /* the named web libraries, then the named others' files are only folders */
  for (int pass = 0; pass < 2 && !rc; pass++)
    for (uint32_t i = 0; i < g->nlibs && !rc; i++) {
      if (is_web(&g->libs[i]) != (pass == 0)) continue;
      char *p = wd_gdext_resolve(g, project_dir, g->libs[i].path);
      if (!p) {
        rc = -1;
        break;
      }
      if (pass == 0) rc = add_cand(&c, p, true, entry);
      char *slash = strrchr(p, '/');
      if (!rc && slash) {
        *slash = '\0';
        bool seen = false;
        for (uint32_t k = 0; k < folders.n && !seen; k++) seen = !strcmp(folders.v[k], p);
        if (!seen) rc = push(&folders, p);
      }
      free(p);
    }
  for (uint32_t k = 0; k < folders.n && !rc; k++) rc = scan_folder(&c, folders.v[k], entry);
  wd_path_list_free(&folders);
  if (rc) {
    free_cands(&c);
    return nomem(err);
  }
  bool any_entry = false;
  for (uint32_t i = 0; i < c.n; i++) any_entry |= c.v[i].exports_entry;
  out->v = calloc(c.n + 1, sizeof *out->v);
  if (!out->v) {
    free_cands(&c);
    return nomem(err);
  }
  size_t dirlen = strlen(project_dir);
  while (dirlen > 1 && project_dir[dirlen - 1] == '/') dirlen--;
  for (uint32_t i = 0; i < c.n; i++) {
    cand *k = &c.v[i];
    bool mine = k->named || (any_entry ? k->exports_entry : same_stem(g, k->file));
    if (!mine) continue;
    wd_web_build *b = &out->v[out->n];
    bool inside = !strncmp(k->file, project_dir, dirlen) && k->file[dirlen] == '/';
    const char *rel = k->file + dirlen;
    while (inside && *rel == '/') rel++;
    b->path = strdup(inside ? rel : k->file);
    b->file = k->file;
    k->file = NULL;
    b->shared = k->shared;
    b->named = k->named;
    out->n++;
    if (!b->path) {
      free_cands(&c);
      wd_web_builds_free(out);
      return nomem(err);
    }
  }
  free_cands(&c);
  return WD_OK;
}

void wd_web_builds_free(wd_web_builds *b) {
  if (!b) return;
  for (uint32_t i = 0; i < b->n; i++) {
    free(b->v[i].path);
    free(b->v[i].file);
  }
  free(b->v);
  b->v = NULL;
  b->n = 0;
}

const wd_web_build *wd_web_builds_first(const wd_web_builds *b, bool shared) {
  for (uint32_t i = 0; i < b->n; i++)
    if (b->v[i].shared == shared) return &b->v[i];
  return NULL;
}

/* ---- which key of a .gdextension should name which build ---------------- */

/* The build a [libraries] entry names: compared by file identity (a
 * symbolic link or "../" in the path names the same build), or NULL. */
static const wd_web_build *named_build(const wd_gdextension *g, const char *dir, const wd_web_builds *b, int li) {
  if (li < 0) return NULL;
  char *p = wd_gdext_resolve(g, dir, g->libs[li].path);
  struct stat st, bs;
  bool ok = p && stat(p, &st) == 0;
  free(p);
  if (!ok) return NULL;
  for (uint32_t i = 0; i < b->n; i++)
    if (stat(b->v[i].file, &bs) == 0 && bs.st_dev == st.st_dev && bs.st_ino == st.st_ino) return &b->v[i];
  return NULL;
}

static const char *base_name(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static bool names_target(const char *name, bool debug) {
  return debug ? strstr(name, "debug") || strstr(name, "editor") : strstr(name, "release") != NULL;
}

/* The build to name for a debug/release export with(out) threads: the name
 * decides debug against release only (threads come from the memory, as
 * found); among equals, the one whose name is closest to `ref` (the build
 * named now), then the first found. */
static const wd_web_build *pick(const wd_web_builds *b, bool shared, bool debug, const char *ref) {
  const wd_web_build *best = NULL;
  int best1 = -1;
  size_t best2 = 0;
  const char *rb = ref ? base_name(ref) : NULL;
  for (uint32_t i = 0; i < b->n; i++) {
    const wd_web_build *w = &b->v[i];
    if (w->shared != shared || w->path[0] == '/') continue;
    const char *name = base_name(w->path);
    bool tgt = names_target(name, debug), opp = names_target(name, !debug);
    int s1 = tgt && !opp ? 2 : !tgt && !opp ? 1 : 0;
    size_t s2 = 0;
    if (rb) {
      size_t a = strlen(name), r = strlen(rb), k = 0;
      while (k < a && k < r && name[k] == rb[k]) k++;
      size_t j = 0;
      while (j < a - k && j < r - k && name[a - 1 - j] == rb[r - 1 - j]) j++;
      s2 = k + j;
    }
    if (s1 > best1 || (s1 == best1 && s2 > best2)) {
      best = w;
      best1 = s1;
      best2 = s2;
    }
  }
  return best;
}

static bool has_tag(const wd_gdext_library *l, const char *tag) {
  for (uint32_t t = 0; t < l->ntags; t++)
    if (!strcmp(l->tags[t], tag)) return true;
  return false;
}

void wd_web_key_for(const wd_gdextension *g, const char *dir, const wd_web_builds *b, bool shared, bool debug,
                    bool desktop, bool mobile, int godot_minor, wd_web_key *out) {
  memset(out, 0, sizeof *out);
  /* Godot 4.0-4.2 have no threads/nothreads feature tags; 4.3 added them */
  bool tags = godot_minor == 0 || godot_minor >= 3;
  const char *feat[16], *ofeat[16];
  uint32_t nf = wd_web_export_features(shared, debug, desktop, mobile, godot_minor, feat);
  int li = wd_gdext_match(g, feat, nf);
  const wd_web_build *cur = named_build(g, dir, b, li);
  out->now = cur;
  out->now_key = li >= 0 ? g->libs[li].key : NULL;
  /* Godot already picks a build of the right kind: nothing to set, whatever
   * key names it (a threaded build under web.release.wasm32 is right for a
   * threaded export; adding web.release.threads.wasm32 for the same file
   * would only edit a third-party file) */
  if (cur && cur->shared == shared) {
    out->ok = true;
    out->build = cur;
    snprintf(out->key, sizeof out->key, "%s", g->libs[li].key);
    return;
  }
  const char *ref = NULL;
  if (li >= 0) ref = g->libs[li].path;
  else {
    uint32_t on = wd_web_export_features(!shared, debug, desktop, mobile, godot_minor, ofeat);
    int lo = wd_gdext_match(g, ofeat, on);
    if (lo >= 0) ref = g->libs[lo].path;
  }
  out->build = pick(b, shared, debug, ref);
  if (!out->build) return;
  char key[64];
  snprintf(key, sizeof key, "web.%s.%swasm32", debug ? "debug" : "release", shared && tags ? "threads." : "");
  uint32_t key_tags = shared && tags ? 4 : 3;
  /* a more specific key that matches wins over ours: correct that one */
  if (li >= 0 && strcmp(g->libs[li].key, key) != 0 && g->libs[li].ntags >= key_tags &&
      (!shared || !tags || has_tag(&g->libs[li], "threads")))
    snprintf(out->key, sizeof out->key, "%s", g->libs[li].key);
  else snprintf(out->key, sizeof out->key, "%s", key);
}

char *wd_web_build_res_path(const wd_web_build *b) {
  const char *rel = b->path;
  if (rel[0] == '/') return NULL;
  size_t n = strlen(rel);
  char *out = malloc(n + 7);
  if (!out) return NULL;
  memcpy(out, "res://", 6);
  size_t o = 6;
  const char *p = rel;
  /* "." and ".." resolved; NULL when it leaves the project */
  while (*p) {
    const char *q = strchr(p, '/');
    size_t k = q ? (size_t)(q - p) : strlen(p);
    if (k == 0 || (k == 1 && p[0] == '.')) {
      /* skip */
    } else if (k == 2 && p[0] == '.' && p[1] == '.') {
      if (o == 6) {
        free(out);
        return NULL;
      }
      while (o > 6 && out[o - 1] != '/') o--;
      if (o > 6) o--;
    } else {
      if (o > 6) out[o++] = '/';
      memcpy(out + o, p, k);
      o += k;
    }
    p += k;
    if (*p == '/') p++;
  }
  out[o] = '\0';
  return out;
}
