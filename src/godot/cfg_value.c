/*
 * Godot Variant text: the value grammar of ConfigFile files, after
 * core/variant/variant_parser.cpp (get_token, parse_value, _parse_array,
 * _parse_dictionary), but building a syntax tree instead of Variants:
 * constructors are kept generic (a name, optional [types], arguments), so
 * types this reader does not know still parse.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"
#include "godot/cfg_int.h"

void wdi_cfg_lexer_init(wdi_cfg_lexer *lx, const char *s, uint32_t n, wd_arena *arena,
                        wd_error *err, const char *path) {
  memset(lx, 0, sizeof *lx);
  lx->s = s;
  lx->n = n;
  lx->p.off = 0;
  lx->p.line = 1;
  lx->p.col = 1;
  lx->p.line_start = 0;
  lx->arena = arena;
  lx->err = err;
  lx->path = path ? path : "";
  wd_buf w = WD_BUF_INIT;
  lx->warnings = w;
}

/* ---- the cursor over the text ---------------------------------------- */

static inline int peek_at(const wdi_cfg_lexer *lx, uint32_t k) {
  return lx->n - lx->p.off > k ? (unsigned char)lx->s[lx->p.off + k] : -1;
}

wd_status wdi_cfg_fail_at(wdi_cfg_lexer *lx, wdi_cfg_pos at, wd_status code, const char *fmt,
                          ...) {
  va_list ap;
  va_start(ap, fmt);
  wd_error_setv(lx->err, code, fmt, ap);
  va_end(ap);
  if (lx->path[0]) wd_error_set_file(lx->err, lx->path);
  lx->err->line = at.line;
  lx->err->column = at.col;
  return code;
}

static wd_status nomem(wdi_cfg_lexer *lx) {
  return wdi_cfg_fail_at(lx, lx->p, WD_ERR_NOMEM, "%s", W_("out of memory"));
}

/* Describe the byte at the current position for "found ..." messages. */
static void describe_here(const wdi_cfg_lexer *lx, char *buf, size_t size) {
  int c = wdi_cfg_peek(lx);
  if (c < 0) snprintf(buf, size, "%s", _("the end of the file"));
  else if (c == '\n' || c == '\r') snprintf(buf, size, "%s", _("the end of the line"));
  else if (c > 32 && c < 127) snprintf(buf, size, "'%c'", c);
  else snprintf(buf, size, _("byte 0x%02x"), (unsigned)c);
}

static bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static int hex_val(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* White space, newlines and ';' comments between the tokens of a value. */
static void skip_ws(wdi_cfg_lexer *lx) {
  for (;;) {
    int c = wdi_cfg_peek(lx);
    if (wdi_cfg_is_space(c)) {
      wdi_cfg_adv(lx);
    } else if (c == ';') {
      while (wdi_cfg_peek(lx) >= 0 && wdi_cfg_peek(lx) != '\n') wdi_cfg_adv(lx);
    } else {
      return;
    }
  }
}

static void warn(wdi_cfg_lexer *lx, wdi_cfg_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(wdi_cfg_lexer *lx, wdi_cfg_pos at, const char *fmt, ...) {
  if (!lx->collect_warnings) return;
  wd_cfg_warning w;
  memset(&w, 0, sizeof w);
  w.line = at.line;
  w.column = at.col;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(w.msg, sizeof w.msg, fmt, ap);
  va_end(ap);
  if (wd_buf_append(&lx->warnings, &w, sizeof w)) { /* a lost warning is not an error */ }
}

static wd_cfg_value *new_value(wdi_cfg_lexer *lx, wd_cfg_kind kind) {
  wd_cfg_value *v = wd_arena_alloc(lx->arena, sizeof *v);
  if (v) v->kind = kind;
  return v;
}

static void close_span(const wdi_cfg_lexer *lx, wd_cfg_value *v, wdi_cfg_pos start) {
  v->span.offset = start.off;
  v->span.length = lx->p.off - start.off;
  v->span.line = start.line;
  v->span.column = start.col;
}

static bool set_text(wdi_cfg_lexer *lx, wd_cfg_value *v, const char *p, uint32_t n) {
  char *t = wd_arena_strndup(lx->arena, p, n);
  if (!t) return false;
  v->text.ptr = t;
  v->text.len = n;
  return true;
}

/* ---- strings ----------------------------------------------------------- */

static size_t put_utf8(char *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    o[0] = (char)(0xc0 | cp >> 6);
    o[1] = (char)(0x80 | (cp & 0x3f));
    return 2;
  }
  if (cp < 0x10000) {
    o[0] = (char)(0xe0 | cp >> 12);
    o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[2] = (char)(0x80 | (cp & 0x3f));
    return 3;
  }
  o[0] = (char)(0xf0 | cp >> 18);
  o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
  o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
  o[3] = (char)(0x80 | (cp & 0x3f));
  return 4;
}

/* At the opening '"'. Fills v->text with the unescaped UTF-8. `start` is
 * where the literal began (at a prefix such as '&'), for messages. */
static wd_status parse_string(wdi_cfg_lexer *lx, wd_cfg_value *v, wdi_cfg_pos start) {
  /* First find the closing quote, so that an unterminated string is
   * reported where it begins, before anything inside it. */
  uint32_t i = lx->p.off + 1, end = 0;
  bool closed = false;
  while (i < lx->n) {
    char c = lx->s[i];
    if (c == '\\') {
      i += 2;
      continue;
    }
    if (c == '"') {
      end = i;
      closed = true;
      break;
    }
    i++;
  }
  if (!closed)
    return wdi_cfg_fail_at(lx, start, WD_ERR_MALFORMED, "%s",
                   W_("unterminated string: the closing '\"' is missing"));
  /* The unescaped text is never longer than the escaped one. */
  char *out = wd_arena_alloc(lx->arena, (size_t)(end - lx->p.off));
  if (!out) return nomem(lx);
  size_t n = 0;
  uint32_t lead = 0;          /* a pending UTF-16 lead surrogate */
  wdi_cfg_pos lead_at = lx->p;
  wdi_cfg_adv(lx);                    /* '"' */
  while (lx->p.off < end) {
    int c = wdi_cfg_peek(lx);
    wdi_cfg_pos at = lx->p;
    if (c == 0)
      return wdi_cfg_fail_at(lx, at, WD_ERR_MALFORMED, "%s", W_("unexpected NUL byte in a string"));
    if (c != '\\') {
      if (lead)
        return wdi_cfg_fail_at(lx, lead_at, WD_ERR_MALFORMED, "%s",
                       W_("unpaired UTF-16 lead surrogate in a string escape"));
      out[n++] = (char)c;
      wdi_cfg_adv(lx);
      continue;
    }
    wdi_cfg_adv(lx);
    int e = wdi_cfg_peek(lx);         /* present: the scan above saw the closing quote after it */
    wdi_cfg_adv(lx);
    uint32_t cp;
    switch (e) {
    case 'b': cp = 8; break;
    case 't': cp = 9; break;
    case 'n': cp = 10; break;
    case 'f': cp = 12; break;
    case 'r': cp = 13; break;
    case 'u':
    case 'U': {
      int digits = e == 'U' ? 6 : 4;
      cp = 0;
      for (int k = 0; k < digits; k++) {
        int h = lx->p.off < end ? hex_val(wdi_cfg_peek(lx)) : -1;
        if (h < 0)
          return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                         N_("malformed escape '\\%c' in a string: expected %d hex digits"), e,
                         digits);
        cp = cp << 4 | (uint32_t)h;
        wdi_cfg_adv(lx);
      }
      break;
    }
    default:
      /* Any other escaped byte stands for itself (\" \\ \' \/ ...). */
      if (lead)
        return wdi_cfg_fail_at(lx, lead_at, WD_ERR_MALFORMED, "%s",
                       W_("unpaired UTF-16 lead surrogate in a string escape"));
      out[n++] = (char)e;
      continue;
    }
    if ((cp & 0xfffffc00u) == 0xd800) {
      if (lead)
        return wdi_cfg_fail_at(lx, lead_at, WD_ERR_MALFORMED, "%s",
                       W_("unpaired UTF-16 lead surrogate in a string escape"));
      lead = cp;
      lead_at = at;
      continue;
    }
    if ((cp & 0xfffffc00u) == 0xdc00) {
      if (!lead)
        return wdi_cfg_fail_at(lx, at, WD_ERR_MALFORMED, "%s",
                       W_("unpaired UTF-16 trail surrogate in a string escape"));
      cp = 0x10000 + ((lead - 0xd800) << 10) + (cp - 0xdc00);
      lead = 0;
    } else if (lead) {
      return wdi_cfg_fail_at(lx, lead_at, WD_ERR_MALFORMED, "%s",
                     W_("unpaired UTF-16 lead surrogate in a string escape"));
    }
    if (cp > 0x10ffff) cp = 0xfffd;
    n += put_utf8(out + n, cp);
  }
  if (lead)
    return wdi_cfg_fail_at(lx, lead_at, WD_ERR_MALFORMED, "%s",
                   W_("unpaired UTF-16 lead surrogate in a string escape"));
  wdi_cfg_adv(lx);                    /* closing '"' */
  out[n] = '\0';
  v->text.ptr = out;
  v->text.len = (uint32_t)n;
  return WD_OK;
}

/* ---- numbers ----------------------------------------------------------- */

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* [-]digits[.digits][(e|E)[+-]digits] to a double, independent of the C
 * locale. Not correctly rounded in every case; good to ~15 digits. */
static double decimal_value(const char *s, uint32_t n) {
  uint32_t i = 0;
  bool neg = false;
  if (i < n && s[i] == '-') {
    neg = true;
    i++;
  }
  uint64_t mant = 0;
  int32_t exp10 = 0;
  int sig = 0;
  for (; i < n && is_digit(s[i]); i++) {
    if (sig < 19) {
      mant = mant * 10 + (uint64_t)(s[i] - '0');
      if (mant) sig++;
    } else {
      exp10++;
    }
  }
  if (i < n && s[i] == '.') {
    for (i++; i < n && is_digit(s[i]); i++) {
      if (sig < 19) {
        mant = mant * 10 + (uint64_t)(s[i] - '0');
        if (mant) sig++;
        exp10--;
      }
    }
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    bool eneg = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    int32_t e = 0;
    for (; i < n && is_digit(s[i]); i++)
      if (e < 100000) e = e * 10 + (s[i] - '0');
    exp10 += eneg ? -e : e;
  }
  double v = (double)mant;
  if (mant != 0) {
    while (exp10 > 22 && v < 1e308) {
      v *= 1e22;
      exp10 -= 22;
    }
    while (exp10 < -22 && v > 1e-300) {
      v /= 1e22;
      exp10 += 22;
    }
    if (exp10 > 22) v *= 1e22;        /* overflows to inf */
    else if (exp10 < -22) v /= 1e22;  /* underflows to 0 */
    else if (exp10 >= 0) v *= pow10_tab[exp10];
    else v /= pow10_tab[-exp10];
  }
  return neg ? -v : v;
}

/* At a digit, or at '-' followed by a digit. The shape follows Godot's
 * tokenizer (1, -2, 3.5, 1., 1e5, 2.5E-3); 0x1f is read too. */
static wd_status parse_number(wdi_cfg_lexer *lx, wd_cfg_value *v, wdi_cfg_pos start) {
  bool neg = wdi_cfg_peek(lx) == '-';
  if (neg) wdi_cfg_adv(lx);
  if (wdi_cfg_peek(lx) == '0' && (peek_at(lx, 1) == 'x' || peek_at(lx, 1) == 'X') &&
      hex_val(peek_at(lx, 2)) >= 0) {
    wdi_cfg_adv(lx);
    wdi_cfg_adv(lx);
    uint64_t u = 0;
    bool over = false;
    while (hex_val(wdi_cfg_peek(lx)) >= 0) {
      if (u >> 60) over = true;
      u = u << 4 | (uint64_t)hex_val(wdi_cfg_peek(lx));
      wdi_cfg_adv(lx);
    }
    v->kind = WD_CFG_INT;
    v->hex = true;
    uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    if (over || u > lim) u = lim;
    v->integer = neg ? (int64_t)(0 - u) : (int64_t)u;
    if (neg && u == (uint64_t)INT64_MAX + 1) v->integer = INT64_MIN;
    v->number = (double)v->integer;
    warn(lx, start, "%s", _("Godot does not read hexadecimal numbers in this file"));
    return WD_OK;
  }
  enum { INT, DEC, EXP } state = INT;
  bool is_float = false, exp_sign = false, exp_digit = false;
  for (;;) {
    int c = wdi_cfg_peek(lx);
    if (state == INT) {
      if (is_digit(c)) {
      } else if (c == '.') {
        state = DEC;
        is_float = true;
      } else if (c == 'e' || c == 'E') {
        state = EXP;
        is_float = true;
      } else {
        break;
      }
    } else if (state == DEC) {
      if (is_digit(c)) {
      } else if (c == 'e' || c == 'E') {
        state = EXP;
      } else {
        break;
      }
    } else {
      if (is_digit(c)) exp_digit = true;
      else if ((c == '-' || c == '+') && !exp_sign && !exp_digit) exp_sign = true;
      else break;
    }
    wdi_cfg_adv(lx);
  }
  const char *s = lx->s + start.off;
  uint32_t n = lx->p.off - start.off;
  if (is_float) {
    v->kind = WD_CFG_FLOAT;
    v->number = decimal_value(s, n);
    return WD_OK;
  }
  v->kind = WD_CFG_INT;
  uint64_t u = 0;
  bool over = false;
  for (uint32_t i = neg ? 1 : 0; i < n; i++) {
    uint64_t d = (uint64_t)(s[i] - '0');
    if (u > (UINT64_MAX - d) / 10) over = true;
    else u = u * 10 + d;
  }
  uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  if (over || u > lim) u = lim;
  if (neg) v->integer = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
  else v->integer = (int64_t)u;
  v->number = (double)v->integer;
  return WD_OK;
}

/* ---- containers and constructors --------------------------------------- */

typedef struct item {
  const wd_cfg_value *key, *value;
  struct item *next;
} item;

typedef struct list {
  item *head, *tail;
  uint32_t count;
} list;

static bool list_add(wdi_cfg_lexer *lx, list *l, const wd_cfg_value *k, const wd_cfg_value *v) {
  item *it = wd_arena_alloc(lx->arena, sizeof *it);
  if (!it) return false;
  it->key = k;
  it->value = v;
  if (l->tail) l->tail->next = it;
  else l->head = it;
  l->tail = it;
  l->count++;
  return true;
}

/* Flatten: values into *items, keys into *keys (when want_keys). */
static bool list_flatten(wdi_cfg_lexer *lx, const list *l, const wd_cfg_value ***items,
                         const wd_cfg_value ***keys, bool want_keys) {
  *items = NULL;
  if (keys) *keys = NULL;
  if (!l->count) return true;
  const wd_cfg_value **vi = wd_arena_array(lx->arena, l->count, sizeof *vi);
  const wd_cfg_value **ki = want_keys ? wd_arena_array(lx->arena, l->count, sizeof *ki) : NULL;
  if (!vi || (want_keys && !ki)) return false;
  uint32_t i = 0;
  for (const item *it = l->head; it; it = it->next, i++) {
    vi[i] = it->value;
    if (ki) ki[i] = it->key;
  }
  *items = vi;
  if (keys) *keys = ki;
  return true;
}

typedef enum seq_kind { SEQ_ARRAY, SEQ_DICT, SEQ_ARGS, SEQ_TYPES } seq_kind;

static wd_status parse_value_at(wdi_cfg_lexer *lx, bool allow_ident, const wd_cfg_value **out);

static wd_status enter(wdi_cfg_lexer *lx, wdi_cfg_pos at) {
  if (++lx->depth > WD_CFG_MAX_DEPTH)
    return wdi_cfg_fail_at(lx, at, WD_ERR_LIMIT, N_("values are nested more than %u levels deep"),
                   (unsigned)WD_CFG_MAX_DEPTH);
  return WD_OK;
}

/* The items of [..], {..}, (..) or the [..] of a typed Array/Dictionary,
 * after the opening bracket (at `open`). Trailing commas are accepted. */
static wd_status parse_seq(wdi_cfg_lexer *lx, seq_kind kind, wdi_cfg_pos open, const char *name,
                           list *l) {
  char close = kind == SEQ_DICT ? '}' : kind == SEQ_ARGS ? ')' : ']';
  char openc = kind == SEQ_DICT ? '{' : kind == SEQ_ARGS ? '(' : '[';
  bool need_comma = false;
  wd_status s;
  for (;;) {
    skip_ws(lx);
    int c = wdi_cfg_peek(lx);
    if (c < 0)
      return wdi_cfg_fail_at(lx, open, WD_ERR_MALFORMED,
                     N_("unclosed '%c': expected '%c' before the end of the file"), openc, close);
    if (c == close) {
      if (kind == SEQ_TYPES && l->count == 0)
        return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("expected a type inside %s[]"), name);
      wdi_cfg_adv(lx);
      return WD_OK;
    }
    if (need_comma) {
      if (c == ',') {
        wdi_cfg_adv(lx);
        need_comma = false;
        continue;
      }
      char found[32];
      describe_here(lx, found, sizeof found);
      switch (kind) {
      case SEQ_DICT:
        return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                       N_("expected ',' or '}' in a dictionary, found %s"), found);
      case SEQ_ARRAY:
        return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                       N_("expected ',' or ']' in an array, found %s"), found);
      case SEQ_ARGS:
        return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                       N_("expected ',' or ')' in the arguments of %s, found %s"), name, found);
      case SEQ_TYPES:
        return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                       N_("expected ',' or ']' in the types of %s, found %s"), name, found);
      }
    }
    const wd_cfg_value *k = NULL, *v = NULL;
    bool idents = kind == SEQ_ARGS || kind == SEQ_TYPES;
    if ((s = parse_value_at(lx, idents, &v))) return s;
    if (kind == SEQ_DICT || kind == SEQ_ARGS) {
      skip_ws(lx);
      if (wdi_cfg_peek(lx) < 0)
        return wdi_cfg_fail_at(lx, open, WD_ERR_MALFORMED,
                       N_("unclosed '%c': expected '%c' before the end of the file"), openc,
                       close);
      if (wdi_cfg_peek(lx) == ':') {
        wdi_cfg_adv(lx);
        skip_ws(lx);
        if (wdi_cfg_peek(lx) < 0)
          return wdi_cfg_fail_at(lx, open, WD_ERR_MALFORMED,
                         N_("unclosed '%c': expected '%c' before the end of the file"), openc,
                         close);
        k = v;
        if ((s = parse_value_at(lx, false, &v))) return s;
      } else if (kind == SEQ_DICT) {
        char found[32];
        describe_here(lx, found, sizeof found);
        return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                       N_("expected ':' after a dictionary key, found %s"), found);
      }
    }
    if (!list_add(lx, l, k, v)) return nomem(lx);
    need_comma = true;
  }
}

static bool text_is(const char *p, uint32_t n, const char *z) {
  return strlen(z) == n && memcmp(p, z, n) == 0;
}

/* At an identifier (or "-" + identifier). Keywords, constructors, typed
 * Array[...](...) / Dictionary[...](...), or (allow_ident) a bare name. */
static wd_status parse_ident(wdi_cfg_lexer *lx, bool allow_ident, wd_cfg_value *v,
                             wdi_cfg_pos start) {
  if (wdi_cfg_peek(lx) == '-') wdi_cfg_adv(lx);
  while (is_alpha(wdi_cfg_peek(lx)) || is_digit(wdi_cfg_peek(lx))) wdi_cfg_adv(lx);
  const char *name = lx->s + start.off;
  uint32_t n = lx->p.off - start.off;
  if (text_is(name, n, "true") || text_is(name, n, "false")) {
    v->kind = WD_CFG_BOOL;
    v->boolean = name[0] == 't';
    return WD_OK;
  }
  if (text_is(name, n, "null") || text_is(name, n, "nil")) {
    v->kind = WD_CFG_NULL;
    return WD_OK;
  }
  if (text_is(name, n, "inf") || text_is(name, n, "-inf") || text_is(name, n, "inf_neg")) {
    v->kind = WD_CFG_FLOAT;
    v->number = name[0] == 'i' && n == 3 ? (double)INFINITY : -(double)INFINITY;
    return WD_OK;
  }
  if (text_is(name, n, "nan")) {
    v->kind = WD_CFG_FLOAT;
    v->number = (double)NAN;
    return WD_OK;
  }
  if (name[0] == '-')
    return wdi_cfg_fail_at(lx, start, WD_ERR_MALFORMED, N_("unexpected identifier '%.*s' in a value"),
                   (int)n, name);
  if (!set_text(lx, v, name, n)) return nomem(lx);
  wdi_cfg_pos after = lx->p;
  skip_ws(lx);
  int c = wdi_cfg_peek(lx);
  bool typed = c == '[' && (text_is(name, n, "Array") || text_is(name, n, "Dictionary"));
  if (c != '(' && !typed) {
    lx->p = after;
    if (!allow_ident)
      return wdi_cfg_fail_at(lx, start, WD_ERR_MALFORMED, N_("unexpected identifier '%.*s' in a value"),
                     (int)n, name);
    v->kind = WD_CFG_IDENT;
    return WD_OK;
  }
  v->kind = WD_CFG_CALL;
  wd_status s;
  if (typed) {
    wdi_cfg_pos open = lx->p;
    if ((s = enter(lx, open))) return s;
    wdi_cfg_adv(lx);
    list types = {0};
    if ((s = parse_seq(lx, SEQ_TYPES, open, v->text.ptr, &types))) return s;
    lx->depth--;
    if (!list_flatten(lx, &types, &v->types, NULL, false)) return nomem(lx);
    v->ntypes = types.count;
    skip_ws(lx);
    if (wdi_cfg_peek(lx) != '(') {
      char found[32];
      describe_here(lx, found, sizeof found);
      return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("expected '(' after %s[...], found %s"),
                     v->text.ptr, found);
    }
  }
  wdi_cfg_pos open = lx->p;
  if ((s = enter(lx, open))) return s;
  wdi_cfg_adv(lx);
  list args = {0};
  if ((s = parse_seq(lx, SEQ_ARGS, open, v->text.ptr, &args))) return s;
  lx->depth--;
  if (!list_flatten(lx, &args, &v->items, &v->keys, true)) return nomem(lx);
  v->count = args.count;
  return WD_OK;
}

static wd_status parse_value_at(wdi_cfg_lexer *lx, bool allow_ident, const wd_cfg_value **out) {
  wdi_cfg_pos start = lx->p;
  wd_cfg_value *v = new_value(lx, WD_CFG_NULL);
  if (!v) return nomem(lx);
  wd_status s = WD_OK;
  int c = wdi_cfg_peek(lx);
  switch (c) {
  case '{':
  case '[': {
    bool dict = c == '{';
    if ((s = enter(lx, start))) return s;
    wdi_cfg_adv(lx);
    list l = {0};
    if ((s = parse_seq(lx, dict ? SEQ_DICT : SEQ_ARRAY, start, "", &l))) return s;
    lx->depth--;
    v->kind = dict ? WD_CFG_DICT : WD_CFG_ARRAY;
    if (!list_flatten(lx, &l, &v->items, &v->keys, dict)) return nomem(lx);
    v->count = l.count;
    break;
  }
  case '"':
    v->kind = WD_CFG_STRING;
    s = parse_string(lx, v, start);
    break;
  case '&':
  case '@':
  case '^':
    if (peek_at(lx, 1) != '"') {
      wdi_cfg_adv(lx);
      char found[32];
      describe_here(lx, found, sizeof found);
      return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED, N_("expected '\"' after '%c', found %s"), c,
                     found);
    }
    v->kind = c == '^' ? WD_CFG_NODE_PATH : WD_CFG_STRING_NAME;
    wdi_cfg_adv(lx);
    s = parse_string(lx, v, start);
    break;
  case '#': {
    wdi_cfg_adv(lx);
    uint32_t digits = 0;
    while (hex_val(wdi_cfg_peek(lx)) >= 0) {
      wdi_cfg_adv(lx);
      digits++;
    }
    if (digits != 3 && digits != 4 && digits != 6 && digits != 8)
      return wdi_cfg_fail_at(lx, start, WD_ERR_MALFORMED,
                     N_("invalid color '%.*s': expected 3, 4, 6 or 8 hex digits after '#'"),
                     (int)(lx->p.off - start.off), lx->s + start.off);
    v->kind = WD_CFG_COLOR;
    if (!set_text(lx, v, lx->s + start.off, lx->p.off - start.off)) return nomem(lx);
    break;
  }
  default:
    if (is_digit(c) || (c == '-' && is_digit(peek_at(lx, 1)))) {
      s = parse_number(lx, v, start);
    } else if (is_alpha(c) || (c == '-' && is_alpha(peek_at(lx, 1)))) {
      s = parse_ident(lx, allow_ident, v, start);
    } else {
      char found[32];
      if (c == '-') wdi_cfg_adv(lx);
      describe_here(lx, found, sizeof found);
      return wdi_cfg_fail_at(lx, lx->p, WD_ERR_MALFORMED,
                     c == '-' ? N_("expected a digit after '-', found %s")
                              : N_("expected a value, found %s"),
                     found);
    }
  }
  if (s) return s;
  close_span(lx, v, start);
  *out = v;
  return WD_OK;
}

wd_status wdi_cfg_parse_value(wdi_cfg_lexer *lx, bool allow_ident, const wd_cfg_value **out) {
  *out = NULL;
  return parse_value_at(lx, allow_ident, out);
}
