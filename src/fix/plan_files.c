/* fix: the files a plan reads, edits in memory and records changes of
 * (plan_int.h). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/i18n.h"
#include "common/str.h"
#include "fix/plan_int.h"

/* ---- files ------------------------------------------------------------- */

void wdi_fix_wfile_free(wfile *f) {
  free(f->rel);
  free(f->shown);
  free(f->path);
  free(f->orig);
  free(f->cur);
  wd_cfg_free(f->cfg);
  for (uint32_t i = 0; i < f->nchanges; i++) {
    free(f->changes[i].section);
    free(f->changes[i].key);
    free(f->changes[i].old_value);
    free(f->changes[i].new_value);
    free(f->changes[i].why);
  }
  free(f->changes);
  memset(f, 0, sizeof *f);
}

/* Read and parse dir/rel. A file that cannot be parsed is refused: nothing
 * can be edited safely in it. */
wd_status wdi_fix_wfile_load(fctx *c, const char *rel, wfile *f) {
  memset(f, 0, sizeof *f);
  f->rel = strdup(rel);
  f->shown = wd_asprintf("%s/%s", c->dir, rel);
  if (!f->rel || !f->shown) return wdi_fix_nomem(c->err);
  char *real = realpath(f->shown, NULL);
  f->path = real ? real : strdup(f->shown);
  if (!f->path) return wdi_fix_nomem(c->err);
  wd_status s = wdi_fix_read(f->path, &f->orig, &f->orig_len, &f->id, c->err);
  if (s) {
    wd_error_set_file(c->err, f->shown);
    return s;
  }
  if (!(f->cur = malloc(f->orig_len + 1))) return wdi_fix_nomem(c->err);
  memcpy(f->cur, f->orig, f->orig_len + 1);
  f->cur_len = f->orig_len;
  s = wd_cfg_parse(f->cur, f->cur_len, f->shown, &f->cfg, c->err);
  if (s == WD_ERR_MALFORMED || s == WD_ERR_LIMIT || s == WD_ERR_UNSUPPORTED) {
    char msg[sizeof c->err->msg];
    snprintf(msg, sizeof msg, "%s", c->err->msg);
    wd_error_set(c->err, WD_ERR_MALFORMED, N_("%s (fix edits nothing in a file it cannot read)"), msg);
  }
  return s;
}

/* The separator between key and value of an entry ("=" or " = "), when it
 * is only blanks around one '='. */
static bool separator(const wd_cfg *cfg, const wd_cfg_entry *e, const char **sep, size_t *len) {
  uint32_t a = e->key_span.offset + e->key_span.length, b = e->value_span.offset;
  if (b <= a || b - a > 8) return false;
  int eq = 0;
  for (uint32_t i = a; i < b; i++) {
    char ch = cfg->text[i];
    if (ch == '=') eq++;
    else if (ch != ' ' && ch != '\t') return false;
  }
  if (eq != 1) return false;
  *sep = cfg->text + a;
  *len = b - a;
  return true;
}

static wd_status reparse(fctx *c, wfile *f, char *text, size_t len) {
  wd_cfg *cfg = NULL;
  wd_status s = wd_cfg_parse(text, len, f->shown, &cfg, c->err);
  if (s) {
    free(text);
    return s;
  }
  free(f->cur);
  wd_cfg_free(f->cfg);
  f->cur = text;
  f->cur_len = len;
  f->cfg = cfg;
  return WD_OK;
}

static wd_status record(fctx *c, wfile *f, const char *section, const char *key, char *old_value,
                        const char *value, const char *why) {
  for (uint32_t i = 0; i < f->nchanges; i++) {
    wd_fix_change *ch = &f->changes[i];
    if (strcmp(ch->section, section) || strcmp(ch->key, key)) continue;
    free(old_value);
    char *nv = strdup(value), *nw = strdup(why);
    if (!nv || !nw) {
      free(nv);
      free(nw);
      return wdi_fix_nomem(c->err);
    }
    free(ch->new_value);
    free(ch->why);
    ch->new_value = nv;
    ch->why = nw;
    return WD_OK;
  }
  wd_fix_change *v = realloc(f->changes, (f->nchanges + 1) * sizeof *v);
  if (!v) {
    free(old_value);
    return wdi_fix_nomem(c->err);
  }
  f->changes = v;
  wd_fix_change *ch = &v[f->nchanges++];
  ch->section = strdup(section);
  ch->key = strdup(key);
  ch->old_value = old_value;
  ch->new_value = strdup(value);
  ch->why = strdup(why);
  if (!ch->section || !ch->key || !ch->new_value || !ch->why) return wdi_fix_nomem(c->err);
  return WD_OK;
}

/* The text of f with [section] key = value (Godot value text), in *text
 * (malloc'ed); *old gets the value text it replaces (NULL when the key is
 * added). *text is NULL when the value is already so. An inserted line
 * takes the key/value separator of its neighbours, so a .gdextension
 * written `key = "value"` stays so. f is not changed. */
wd_status wdi_fix_edit_text(fctx *c, const wfile *f, const char *section, const char *key, const char *value,
                            char **text, size_t *len, char **old) {
  *text = NULL;
  *old = NULL;
  const wd_cfg_entry *e = wd_cfg_find(f->cfg, section, key);
  if (e) {
    if (e->value_span.length == strlen(value) && !memcmp(f->cur + e->value_span.offset, value, strlen(value)))
      return WD_OK;
    if (!(*old = malloc(e->value_span.length + 1))) return wdi_fix_nomem(c->err);
    memcpy(*old, f->cur + e->value_span.offset, e->value_span.length);
    (*old)[e->value_span.length] = '\0';
  }
  wd_status s = wd_cfg_set_value(f->cfg, section, key, value, text, len, c->err);
  if (s || e) goto out;
  /* the inserted entry and a neighbour in its section */
  wd_cfg *cfg = NULL;
  if ((s = wd_cfg_parse(*text, *len, f->shown, &cfg, c->err))) goto out;
  const wd_cfg_entry *ne = wd_cfg_find(cfg, section, key), *nb = NULL;
  if (ne && ne->index > 0 && cfg->entries[ne->index - 1].section == ne->section)
    nb = &cfg->entries[ne->index - 1];
  else if (ne && ne->index + 1 < cfg->nentries && cfg->entries[ne->index + 1].section == ne->section)
    nb = &cfg->entries[ne->index + 1];
  const char *sep, *mine;
  size_t seplen, minelen;
  if (nb && separator(cfg, nb, &sep, &seplen) && separator(cfg, ne, &mine, &minelen) &&
      (seplen != minelen || memcmp(sep, mine, seplen))) {
    size_t a = (size_t)(mine - cfg->text), b = a + minelen;
    size_t n2 = *len - minelen + seplen;
    char *t2 = malloc(n2 + 1);
    if (!t2) s = wdi_fix_nomem(c->err);
    else {
      memcpy(t2, *text, a);
      memcpy(t2 + a, sep, seplen);
      memcpy(t2 + a + seplen, *text + b, *len - b);
      t2[n2] = '\0';
      free(*text);
      *text = t2;
      *len = n2;
    }
  }
  wd_cfg_free(cfg);
out:
  if (s) {
    free(*text);
    free(*old);
    *text = *old = NULL;
  }
  return s;
}

/* Make `text` (from edit_text) f's text, recording the change. Takes text
 * and old. */
wd_status wdi_fix_commit(fctx *c, wfile *f, char *text, size_t len, const char *section, const char *key,
                         char *old, const char *value, const char *why) {
  wd_status s = reparse(c, f, text, len);
  if (s) {
    free(old);
    return s;
  }
  return record(c, f, section, key, old, value, why);
}

wd_status wdi_fix_wfile_set(fctx *c, wfile *f, const char *section, const char *key, const char *value,
                            const char *why) {
  char *text, *old;
  size_t len;
  wd_status s = wdi_fix_edit_text(c, f, section, key, value, &text, &len, &old);
  if (s || !text) return s;
  return wdi_fix_commit(c, f, text, len, section, key, old, value, why);
}
