/*
 * Messages rendered late (webdoctor/msg.h).
 *
 * Hand-written: printf formats a va_list, and gettext hands out formats,
 * but nothing in Debian (glibc, gettext's libintl, GLib's g_strdup_printf,
 * libunistring's u8_vasprintf) formats a stored list of arguments, and
 * glibc's register_printf_specifier/parse_printf_format only parse. So the
 * format is split into its conversions here; each conversion is handed to
 * snprintf (through wd_buf_printf) with one value, so the output of every
 * conversion is the C library's own. Measured on the checks' ~250 messages:
 * parsing a format is a few hundred nanoseconds, nothing beside reading the
 * files a check reads.
 */
#include "webdoctor/msg.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "common/buf.h"
#include "common/i18n.h"
#include "common/str.h"

/* How a value is read from a va_list. */
typedef enum rclass {
  RC_NONE = 0, RC_INT, RC_LONG, RC_LLONG, RC_SSIZE, RC_INTMAX, RC_PTRDIFF,
  RC_UINT, RC_ULONG, RC_ULLONG, RC_SIZE, RC_UINTMAX, RC_DOUBLE, RC_LDOUBLE, RC_STR
} rclass;

typedef struct spec {
  const char *start;   /* the '%' */
  const char *end;     /* after the conversion character */
  char flags[8];
  int width, prec;     /* -1: none */
  int widthpos, precpos; /* index of a '*' value, -1: none */
  int argpos;          /* index of the value; -1 for "%%" */
  char len[3];
  char conv;
} spec;

/* A field width or precision at *pp: digits (into *num, left -1 when there
 * are none), or '*' taking a value: the next in order, or "*n$" in a
 * positional format (into *argpos). false on a malformed "*n$". */
static bool width_or_prec(const char **pp, int *seq, int positional, int *num, int *argpos) {
  const char *p = *pp;
  int n = 0;
  if (*p == '*') {
    p++;
    if (positional) {
      while (*p >= '0' && *p <= '9') n = n * 10 + (*p++ - '0');
      if (*p++ != '$' || n == 0) return false;
      *argpos = n - 1;
    } else {
      *argpos = (*seq)++;
    }
  } else if (*p >= '0' && *p <= '9') {
    while (*p >= '0' && *p <= '9') n = n * 10 + (*p++ - '0');
    *num = n;
  }
  *pp = p;
  return true;
}

/* One conversion at p (after the '%'). *seq counts values in order for
 * formats without n$; *positional is set by the first conversion. false on
 * a conversion this reader does not take. */
static bool parse_spec(const char *p, int *seq, int *positional, spec *s) {
  memset(s, 0, sizeof *s);
  s->start = p - 1;
  s->width = s->prec = s->widthpos = s->precpos = -1;
  if (*p == '%') {
    s->conv = '%';
    s->argpos = -1;
    s->end = p + 1;
    return true;
  }
  int pos = -1;
  const char *q = p;
  int n = 0;
  while (*q >= '0' && *q <= '9') n = n * 10 + (*q++ - '0');
  if (q > p && *q == '$' && n > 0) {
    pos = n - 1;
    p = q + 1;
  }
  if (*positional < 0) *positional = pos >= 0;
  if (*positional != (pos >= 0)) return false;
  size_t nf = 0;
  while (strchr("-+ #0'", *p) && *p) {
    if (nf + 1 < sizeof s->flags) s->flags[nf++] = *p;
    p++;
  }
  if (!width_or_prec(&p, seq, *positional, &s->width, &s->widthpos)) return false;
  if (*p == '.') {
    p++;
    if (!width_or_prec(&p, seq, *positional, &s->prec, &s->precpos)) return false;
    if (s->prec < 0 && s->precpos < 0) s->prec = 0; /* "%.s": precision 0 */
  }
  size_t nl = 0;
  while (strchr("hlLqjzt", *p) && *p && nl < 2) s->len[nl++] = *p++;
  if (!*p || !strchr("diouxXcsfFeEgGaA", *p)) return false;
  s->conv = *p++;
  s->end = p;
  s->argpos = *positional ? pos : (*seq)++;
  return s->argpos < WD_MSG_MAX_ARGS && s->widthpos < WD_MSG_MAX_ARGS && s->precpos < WD_MSG_MAX_ARGS;
}

static rclass class_of(const spec *s) {
  const char *l = s->len;
  bool hh = !strcmp(l, "hh"), h = !strcmp(l, "h"), lo = !strcmp(l, "l"), ll = !strcmp(l, "ll") || !strcmp(l, "q");
  switch (s->conv) {
  case 'd': case 'i':
    if (!*l || hh || h) return RC_INT;
    if (lo) return RC_LONG;
    if (ll) return RC_LLONG;
    return !strcmp(l, "z") ? RC_SSIZE : !strcmp(l, "j") ? RC_INTMAX : !strcmp(l, "t") ? RC_PTRDIFF : RC_NONE;
  case 'o': case 'u': case 'x': case 'X':
    if (!*l || hh || h) return RC_UINT;
    if (lo) return RC_ULONG;
    if (ll) return RC_ULLONG;
    return !strcmp(l, "z") ? RC_SIZE : !strcmp(l, "j") ? RC_UINTMAX : !strcmp(l, "t") ? RC_PTRDIFF : RC_NONE;
  case 'c': return *l ? RC_NONE : RC_INT;
  case 's': return *l ? RC_NONE : RC_STR;
  default: return !strcmp(l, "L") ? RC_LDOUBLE : *l ? RC_NONE : RC_DOUBLE;
  }
}

static void free_arg(wd_msg_arg *a) {
  if (a->kind == WD_ARG_MSG) {
    wd_msg_free(a->v.m);
    free(a->v.m);
  } else if (a->kind == WD_ARG_STR || a->kind == WD_ARG_WORD || a->kind == WD_ARG_TEXT2) {
    free(a->v.s);
  }
  free(a->loc);
  memset(a, 0, sizeof *a);
}

void wd_msg_free(wd_msg *m) {
  if (!m) return;
  for (unsigned i = 0; i < m->nargs; i++) free_arg(&m->args[i]);
  free(m->args);
  free(m->id);
  free(m->plural);
  memset(m, 0, sizeof *m);
}

static int capture(wd_msg *m, const char *fmt, va_list ap) {
  rclass cls[WD_MSG_MAX_ARGS] = {0};
  char narrow[WD_MSG_MAX_ARGS] = {0}; /* 'h' or 'H' (hh): the value as short or char */
  long long prec_of[WD_MSG_MAX_ARGS]; /* a "%.Ns" string: at most N bytes */
  int prec_star[WD_MSG_MAX_ARGS];
  for (int i = 0; i < WD_MSG_MAX_ARGS; i++) prec_of[i] = -1, prec_star[i] = -1;
  int seq = 0, positional = -1, nargs = 0;
  for (const char *p = fmt; (p = strchr(p, '%'));) {
    spec s;
    if (!parse_spec(p + 1, &seq, &positional, &s)) return -1;
    p = s.end;
    if (s.argpos < 0) continue;
    int want[3] = {s.widthpos, s.precpos, s.argpos};
    rclass wc[3] = {RC_INT, RC_INT, class_of(&s)};
    for (int k = 0; k < 3; k++) {
      if (want[k] < 0) continue;
      if (wc[k] == RC_NONE || (cls[want[k]] && cls[want[k]] != wc[k])) return -1;
      cls[want[k]] = wc[k];
      if (want[k] + 1 > nargs) nargs = want[k] + 1;
    }
    if (s.len[0] == 'h') narrow[s.argpos] = s.len[1] == 'h' ? 'H' : 'h';
    if (s.conv == 's') {
      if (s.precpos >= 0) prec_star[s.argpos] = s.precpos;
      else if (s.prec >= 0) prec_of[s.argpos] = s.prec;
    }
  }
  wd_msg_arg *args = nargs ? calloc((size_t)nargs, sizeof *args) : NULL;
  if (nargs && !args) return -1;
  const char *strs[WD_MSG_MAX_ARGS] = {0};
  for (int i = 0; i < nargs; i++) {
    wd_msg_arg *a = &args[i];
    switch (cls[i]) {
    case RC_NONE: free(args); return -1; /* a value no conversion names */
    case RC_INT: a->kind = WD_ARG_INT; a->v.i = va_arg(ap, int); break;
    case RC_LONG: a->kind = WD_ARG_INT; a->v.i = va_arg(ap, long); break;
    case RC_LLONG: a->kind = WD_ARG_INT; a->v.i = va_arg(ap, long long); break;
    case RC_SSIZE: a->kind = WD_ARG_INT; a->v.i = va_arg(ap, ssize_t); break;
    case RC_INTMAX: a->kind = WD_ARG_INT; a->v.i = (long long)va_arg(ap, intmax_t); break;
    case RC_PTRDIFF: a->kind = WD_ARG_INT; a->v.i = va_arg(ap, ptrdiff_t); break;
    case RC_UINT: a->kind = WD_ARG_UINT; a->v.u = va_arg(ap, unsigned); break;
    case RC_ULONG: a->kind = WD_ARG_UINT; a->v.u = va_arg(ap, unsigned long); break;
    case RC_ULLONG: a->kind = WD_ARG_UINT; a->v.u = va_arg(ap, unsigned long long); break;
    case RC_SIZE: a->kind = WD_ARG_UINT; a->v.u = va_arg(ap, size_t); break;
    case RC_UINTMAX: a->kind = WD_ARG_UINT; a->v.u = (unsigned long long)va_arg(ap, uintmax_t); break;
    case RC_DOUBLE: a->kind = WD_ARG_DOUBLE; a->v.d = va_arg(ap, double); break;
    case RC_LDOUBLE: a->kind = WD_ARG_DOUBLE; a->v.d = (double)va_arg(ap, long double); break;
    case RC_STR: a->kind = WD_ARG_STR; strs[i] = va_arg(ap, const char *); break;
    }
    if (narrow[i] && a->kind == WD_ARG_INT) a->v.i = narrow[i] == 'H' ? (signed char)a->v.i : (short)a->v.i;
    if (narrow[i] && a->kind == WD_ARG_UINT) a->v.u = narrow[i] == 'H' ? (unsigned char)a->v.u : (unsigned short)a->v.u;
  }
  for (int i = 0; i < nargs; i++) {
    if (cls[i] != RC_STR) continue;
    const char *s = strs[i] ? strs[i] : "(null)";
    long long lim = prec_star[i] >= 0 ? args[prec_star[i]].v.i : prec_of[i];
    bool word = s[0] == WD_WORD_MARK[0] && lim < 0;
    if (word) {
      args[i].kind = WD_ARG_WORD;
      s++;
    }
    args[i].v.s = lim >= 0 ? wd_strndup(s, strnlen(s, (size_t)lim)) : wd_strdup(s);
    if (!args[i].v.s) {
      for (int k = 0; k < nargs; k++) free_arg(&args[k]);
      free(args);
      return -1;
    }
  }
  m->args = args;
  m->nargs = (unsigned)nargs;
  return 0;
}

int wd_msg_vinit(wd_msg *m, const char *fmt, va_list ap) {
  memset(m, 0, sizeof *m);
  if (!(m->id = wd_strdup(fmt))) return -1;
  if (capture(m, fmt, ap)) {
    wd_msg_free(m);
    return -1;
  }
  return 0;
}

int wd_msg_init(wd_msg *m, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = wd_msg_vinit(m, fmt, ap);
  va_end(ap);
  return rc;
}

int wd_msg_vinitn(wd_msg *m, const char *one, const char *other, unsigned long n, va_list ap) {
  if (wd_msg_vinit(m, one, ap)) return -1;
  m->n = n;
  if (!(m->plural = wd_strdup(other))) {
    wd_msg_free(m);
    return -1;
  }
  return 0;
}

int wd_msg_initn(wd_msg *m, const char *one, const char *other, unsigned long n, ...) {
  va_list ap;
  va_start(ap, n);
  int rc = wd_msg_vinitn(m, one, other, n, ap);
  va_end(ap);
  return rc;
}

int wd_msg_plain(wd_msg *m, const char *id) {
  memset(m, 0, sizeof *m);
  return (m->id = wd_strdup(id)) ? 0 : -1;
}

int wd_msg_verbatim(wd_msg *m, const char *text) {
  return wd_msg_init(m, "%s", text ? text : "");
}

int wd_msg_copy(wd_msg *to, const wd_msg *from) {
  memset(to, 0, sizeof *to);
  if (!from->id) return 0;
  to->n = from->n;
  to->id = wd_strdup(from->id);
  to->plural = from->plural ? wd_strdup(from->plural) : NULL;
  to->args = from->nargs ? calloc(from->nargs, sizeof *to->args) : NULL;
  if (!to->id || (from->plural && !to->plural) || (from->nargs && !to->args)) goto oom;
  to->nargs = from->nargs;
  for (unsigned i = 0; i < from->nargs; i++) {
    const wd_msg_arg *a = &from->args[i];
    wd_msg_arg *b = &to->args[i];
    b->kind = a->kind;
    b->v = a->v;
    if (a->kind == WD_ARG_MSG) {
      b->v.m = calloc(1, sizeof *b->v.m);
      if (!b->v.m || wd_msg_copy(b->v.m, a->v.m)) goto oom;
    } else if (a->kind == WD_ARG_STR || a->kind == WD_ARG_WORD || a->kind == WD_ARG_TEXT2) {
      if (!(b->v.s = wd_strdup(a->v.s))) goto oom;
    }
    if (a->loc && !(b->loc = wd_strdup(a->loc))) goto oom;
  }
  return 0;
oom:
  wd_msg_free(to);
  return -1;
}

static int arg_string(wd_msg *m, unsigned i) {
  return i < m->nargs && m->args[i].kind == WD_ARG_STR ? 0 : -1;
}

int wd_msg_set_arg_msg(wd_msg *m, unsigned i, wd_msg *sub) {
  if (arg_string(m, i)) return -1;
  wd_msg *own = malloc(sizeof *own);
  if (!own) return -1;
  *own = *sub;
  memset(sub, 0, sizeof *sub);
  free_arg(&m->args[i]);
  m->args[i].kind = WD_ARG_MSG;
  m->args[i].v.m = own;
  return 0;
}

int wd_msg_set_arg_text2(wd_msg *m, unsigned i, const char *en, const char *loc) {
  if (arg_string(m, i)) return -1;
  char *e = wd_strdup(en), *l = wd_strdup(loc);
  if (!e || !l) {
    free(e);
    free(l);
    return -1;
  }
  free_arg(&m->args[i]);
  m->args[i].kind = WD_ARG_TEXT2;
  m->args[i].v.s = e;
  m->args[i].loc = l;
  return 0;
}

const char *wd_msg_word(char *buf, unsigned size, const char *id) {
  snprintf(buf, size, "%s%s", WD_WORD_MARK, id ? id : "");
  return buf;
}

static const char *translate(const char *id, bool english) {
  if (english || !id[0]) return id; /* "" would be the catalogue's header */
  return _(id);
}

/* `fmt` with the values of m; -1 on out of memory, -2 when a conversion
 * does not match the values (a translation that does not fit). */
static int render(wd_buf *b, const char *fmt, const wd_msg *m, bool english) {
  int seq = 0, positional = -1;
  const char *p = fmt;
  for (const char *pc; (pc = strchr(p, '%'));) {
    if (wd_buf_append(b, p, (size_t)(pc - p))) return -1;
    spec s;
    if (!parse_spec(pc + 1, &seq, &positional, &s)) return -2;
    p = s.end;
    if (s.conv == '%') {
      if (wd_buf_putc(b, '%')) return -1;
      continue;
    }
    int idx[2] = {s.widthpos, s.precpos};
    int star[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
      if (idx[k] < 0) continue;
      if ((unsigned)idx[k] >= m->nargs || m->args[idx[k]].kind != WD_ARG_INT) return -2;
      star[k] = (int)m->args[idx[k]].v.i;
    }
    if ((unsigned)s.argpos >= m->nargs) return -2;
    const wd_msg_arg *a = &m->args[s.argpos];
    /* the conversion again, without n$, stars resolved, the value's length */
    char one[48];
    size_t n = (size_t)snprintf(one, sizeof one, "%%%s", s.flags);
    if (s.widthpos >= 0) n += (size_t)snprintf(one + n, sizeof one - n, "%d", star[0]);
    else if (s.width >= 0) n += (size_t)snprintf(one + n, sizeof one - n, "%d", s.width);
    if (s.precpos >= 0) n += (size_t)snprintf(one + n, sizeof one - n, ".%d", star[1]);
    else if (s.prec >= 0) n += (size_t)snprintf(one + n, sizeof one - n, ".%d", s.prec);
    int rc;
    switch (s.conv) {
    case 'd': case 'i': case 'o': case 'u': case 'x': case 'X':
      if (a->kind != WD_ARG_INT && a->kind != WD_ARG_UINT) return -2;
      snprintf(one + n, sizeof one - n, "ll%c", s.conv);
      if (s.conv == 'd' || s.conv == 'i') rc = wd_buf_printf(b, one, a->kind == WD_ARG_INT ? a->v.i : (long long)a->v.u);
      else rc = wd_buf_printf(b, one, a->kind == WD_ARG_UINT ? a->v.u : (unsigned long long)a->v.i);
      break;
    case 'c':
      if (a->kind != WD_ARG_INT) return -2;
      snprintf(one + n, sizeof one - n, "c");
      rc = wd_buf_printf(b, one, (int)a->v.i);
      break;
    case 's': {
      snprintf(one + n, sizeof one - n, "s");
      char *owned = NULL;
      const char *text;
      if (a->kind == WD_ARG_STR) text = a->v.s;
      else if (a->kind == WD_ARG_WORD) text = translate(a->v.s, english);
      else if (a->kind == WD_ARG_TEXT2) text = english ? a->v.s : a->loc;
      else if (a->kind == WD_ARG_MSG) {
        if (!(owned = wd_msg_str(a->v.m, english))) return -1;
        text = owned;
      } else return -2;
      rc = wd_buf_printf(b, one, text);
      free(owned);
      break;
    }
    default:
      if (a->kind != WD_ARG_DOUBLE) return -2;
      snprintf(one + n, sizeof one - n, "%c", s.conv);
      rc = wd_buf_printf(b, one, a->v.d);
      break;
    }
    if (rc) return -1;
  }
  return wd_buf_puts(b, p) ? -1 : 0;
}

char *wd_msg_str(const wd_msg *m, bool english) {
  if (!m || !m->id) return NULL;
  const char *fmt;
  if (m->plural) {
    if (english) fmt = m->n == 1 ? m->id : m->plural;
    else fmt = P_(m->id, m->plural, m->n);
  } else {
    fmt = translate(m->id, english);
  }
  wd_buf b = WD_BUF_INIT;
  int rc = render(&b, fmt, m, english);
  if (rc == -2 && !english) {
    wd_buf_reset(&b);
    rc = render(&b, m->plural && m->n != 1 ? m->plural : m->id, m, true);
  }
  if (rc) {
    wd_buf_release(&b);
    return NULL;
  }
  return wd_buf_detach(&b, NULL);
}
