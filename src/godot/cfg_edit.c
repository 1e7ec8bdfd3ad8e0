/*
 * Editing ConfigFile text without rewriting it: every function copies the
 * original bytes and changes only the span it must (one value, one inserted
 * line, one appended section, or removed lines).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "godot/cfg_int.h"

static wd_status usage(wd_error *err, const wd_cfg *cfg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static wd_status usage(wd_error *err, const wd_cfg *cfg, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_error_setv(err, WD_ERR_USAGE, fmt, ap);
  va_end(ap);
  if (cfg && cfg->path[0]) wd_error_set_file(err, cfg->path);
  err->line = err->column = 0;
  return WD_ERR_USAGE;
}

static wd_status nomem(wd_error *err) {
  return wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
}

/* Parse value_text as exactly one value; on failure fill `why` (the
 * reader's message and column). */
static wd_status check_value(const char *t, char *why, size_t why_size) {
  size_t n = strlen(t);
  if (n == 0) {
    snprintf(why, why_size, "%s", _("the value is empty"));
    return WD_ERR_USAGE;
  }
  if (n > WD_CFG_MAX_SIZE) {
    snprintf(why, why_size, "%s", _("the value is too large"));
    return WD_ERR_USAGE;
  }
  if (wdi_cfg_is_space((unsigned char)t[0]) || wdi_cfg_is_space((unsigned char)t[n - 1])) {
    snprintf(why, why_size, "%s", _("the value starts or ends with white space"));
    return WD_ERR_USAGE;
  }
  wd_arena a = WD_ARENA_INIT;
  wd_error e;
  wd_error_clear(&e);
  wdi_cfg_lexer lx;
  wdi_cfg_lexer_init(&lx, t, (uint32_t)n, &a, &e, "");
  const wd_cfg_value *v;
  wd_status s = wdi_cfg_parse_value(&lx, false, &v);
  if (s == WD_OK && lx.p.off != n) {
    snprintf(why, why_size, _("unexpected text after the value at line %u, column %u"),
             lx.p.line, lx.p.col);
    s = WD_ERR_USAGE;
  } else if (s) {
    snprintf(why, why_size, _("%s at line %u, column %u"), e.msg, e.line, e.column);
  }
  wd_buf_release(&lx.warnings);
  wd_arena_release(&a);
  return s;
}

wd_status wd_cfg_check_value(const char *value_text, wd_error *err) {
  wd_error_clear(err);
  if (!value_text) return usage(err, NULL, "%s", W_("no value given"));
  char why[400];
  if (check_value(value_text, why, sizeof why))
    return usage(err, NULL, N_("not a valid value: %s"), why);
  return WD_OK;
}

char *wd_cfg_quote(const char *text) {
  wd_buf b = WD_BUF_INIT;
  int bad = wd_buf_putc(&b, '"');
  for (const char *p = text ? text : ""; *p && !bad; p++) {
    if (*p == '"' || *p == '\\') bad |= wd_buf_putc(&b, '\\');
    bad |= wd_buf_putc(&b, *p);
  }
  bad |= wd_buf_putc(&b, '"');
  if (bad) {
    wd_buf_release(&b);
    return NULL;
  }
  return wd_buf_detach(&b, NULL);
}

static bool key_needs_quotes(const char *k) {
  if (!k[0] || k[0] == '[' || k[0] == '#') return true;
  for (const unsigned char *p = (const unsigned char *)k; *p; p++)
    if (*p <= 32 || *p == '=' || *p == ';' || *p == '"') return true;
  return false;
}

static int put_key(wd_buf *b, const char *k) {
  if (!key_needs_quotes(k)) return wd_buf_puts(b, k);
  int bad = wd_buf_putc(b, '"');
  for (const char *p = k; *p && !bad; p++) {
    switch (*p) {
    case '"': bad |= wd_buf_puts(b, "\\\""); break;
    case '\\': bad |= wd_buf_puts(b, "\\\\"); break;
    case '\n': bad |= wd_buf_puts(b, "\\n"); break;
    case '\r': bad |= wd_buf_puts(b, "\\r"); break;
    case '\t': bad |= wd_buf_puts(b, "\\t"); break;
    default: bad |= wd_buf_putc(b, *p);
    }
  }
  return bad | wd_buf_putc(b, '"');
}

static wd_status finish(wd_buf *b, int bad, char **out, size_t *out_len, wd_error *err) {
  if (bad) {
    wd_buf_release(b);
    return nomem(err);
  }
  *out = wd_buf_detach(b, out_len);
  if (!*out) {
    *out_len = 0;
    return nomem(err);
  }
  return WD_OK;
}

/* Offset just past the line ending that ends the line containing `off`
 * (or the end of the text). */
static uint32_t end_of_line(const wd_cfg *cfg, uint32_t off) {
  const char *nl = off < cfg->len ? memchr(cfg->text + off, '\n', cfg->len - off) : NULL;
  return nl ? (uint32_t)(nl - cfg->text) + 1 : cfg->len;
}

static uint32_t start_of_line(const wd_cfg *cfg, uint32_t off) {
  while (off > 0 && cfg->text[off - 1] != '\n') off--;
  return off;
}

static const char *section_label(const char *section) {
  return section[0] ? section : _("(the keys before the first section)");
}

wd_status wd_cfg_set_value(const wd_cfg *cfg, const char *section, const char *key,
                           const char *value_text, char **out, size_t *out_len,
                           wd_error *err) {
  wd_error_clear(err);
  if (out) *out = NULL;
  if (out_len) *out_len = 0;
  if (!cfg || !section || !key || !value_text || !out || !out_len)
    return usage(err, cfg, "%s", W_("missing argument to wd_cfg_set_value"));
  char why[400];
  if (check_value(value_text, why, sizeof why))
    return usage(err, cfg, N_("invalid value for key '%s' in [%s]: %s"), key,
                 section_label(section), why);

  const char *t = cfg->text;
  uint32_t end = cfg->content_end;
  wd_buf b = WD_BUF_INIT;
  int bad = 0;
  const wd_cfg_entry *e = wd_cfg_find(cfg, section, key);
  if (e) {
    uint32_t at = e->value_span.offset, after = at + e->value_span.length;
    bad |= wd_buf_append(&b, t, at);
    bad |= wd_buf_puts(&b, value_text);
    bad |= wd_buf_append(&b, t + after, cfg->len - after);
    return finish(&b, bad, out, out_len, err);
  }

  /* The section to extend: the unnamed one for "", else its last header. */
  const wd_cfg_section *sec = NULL;
  if (!section[0]) {
    sec = &cfg->sections[0];
  } else {
    for (uint32_t i = 1; i < cfg->nsections; i++)
      if (wd_str_eq(cfg->sections[i].name, section)) sec = &cfg->sections[i];
  }
  if (!sec) {
    if (strchr(section, '\n') || strchr(section, '\r') || strchr(section, ']') ||
        wdi_cfg_is_space((unsigned char)section[0]) ||
        wdi_cfg_is_space((unsigned char)section[strlen(section) - 1]))
      return usage(err, cfg, N_("cannot write a section header for '%s'"), section);
    bad |= wd_buf_append(&b, t, end);
    if (end && t[end - 1] != '\n') bad |= wd_buf_puts(&b, cfg->eol);
    if (end > (cfg->has_bom ? 3u : 0u)) bad |= wd_buf_puts(&b, cfg->eol);
    bad |= wd_buf_printf(&b, "[%s]%s%s", section, cfg->eol, cfg->eol);
    bad |= put_key(&b, key);
    bad |= wd_buf_printf(&b, "=%s%s", value_text, cfg->eol);
    bad |= wd_buf_append(&b, t + end, cfg->len - end);
    return finish(&b, bad, out, out_len, err);
  }

  uint32_t at;
  bool blank_after = false;
  if (sec->nentries) {
    const wd_cfg_entry *last = &sec->entries[sec->nentries - 1];
    at = last->line_span.offset + last->line_span.length;
  } else if (sec->has_header) {
    at = end_of_line(cfg, sec->header_span.offset + sec->header_span.length);
    if (at > end) at = end;
  } else if (cfg->nsections > 1) {
    at = start_of_line(cfg, cfg->sections[1].header_span.offset);
    blank_after = true;
  } else {
    at = end;
  }
  if (cfg->has_bom && at < 3) at = 3;
  bool eol_before = at > 0 && t[at - 1] != '\n' && !(cfg->has_bom && at == 3);
  bad |= wd_buf_append(&b, t, at);
  if (eol_before) bad |= wd_buf_puts(&b, cfg->eol);
  bad |= put_key(&b, key);
  bad |= wd_buf_putc(&b, '=');
  bad |= wd_buf_puts(&b, value_text);
  if (!eol_before || at < end) bad |= wd_buf_puts(&b, cfg->eol);
  if (blank_after) bad |= wd_buf_puts(&b, cfg->eol);
  bad |= wd_buf_append(&b, t + at, cfg->len - at);
  return finish(&b, bad, out, out_len, err);
}

wd_status wd_cfg_remove(const wd_cfg *cfg, const char *section, const char *key, char **out,
                        size_t *out_len, wd_error *err) {
  wd_error_clear(err);
  if (out) *out = NULL;
  if (out_len) *out_len = 0;
  if (!cfg || !section || !key || !out || !out_len)
    return usage(err, cfg, "%s", W_("missing argument to wd_cfg_remove"));
  wd_buf b = WD_BUF_INIT;
  int bad = 0;
  uint32_t copied = 0, removed = 0;
  for (uint32_t i = 0; i < cfg->nentries; i++) {
    const wd_cfg_entry *e = &cfg->entries[i];
    if (!wd_str_eq(e->key, key) || !wd_str_eq(cfg->sections[e->section].name, section)) continue;
    bad |= wd_buf_append(&b, cfg->text + copied, e->line_span.offset - copied);
    copied = e->line_span.offset + e->line_span.length;
    removed++;
  }
  if (!removed) {
    wd_buf_release(&b);
    return usage(err, cfg, N_("key '%s' not found in [%s]"), key, section_label(section));
  }
  bad |= wd_buf_append(&b, cfg->text + copied, cfg->len - copied);
  return finish(&b, bad, out, out_len, err);
}
