#include "common/i18n.h"

#ifdef WD_MO_NLS
#include <stdint.h>
#include <string.h>
#elif !defined(WD_NO_NLS)
#include <libintl.h>
#endif

void wd_i18n_init(const char *localedir) {
#if !defined(WD_NO_NLS) && !defined(WD_MO_NLS)
  bindtextdomain(WD_TEXTDOMAIN, localedir);
  bind_textdomain_codeset(WD_TEXTDOMAIN, "UTF-8");
#else
  (void)localedir;
#endif
}

#ifdef WD_MO_NLS
/* A GNU .mo file: a header of 32-bit words (magic, revision, count, offset of
 * the original strings' table, offset of the translations' table), then
 * (length, offset) pairs. msgfmt sorts the originals by strcmp, so a binary
 * search finds a message; a plural entry's original is "msgid\0plural" and
 * its translation the forms joined by NULs. Written by hand: glibc's
 * gettext needs the catalogue as a file it maps, which the browser has not
 * (Emscripten's libc cannot map one); this is the whole lookup gettext does
 * for a catalogue without a hash table or contexts. */
static const unsigned char *mo_data;
static size_t mo_len;
static int mo_swap;
static uint32_t mo_n, mo_orig, mo_trans, mo_nplurals = 2;

static uint32_t word(size_t at) {
  uint32_t v;
  memcpy(&v, mo_data + at, 4);
  if (mo_swap) v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
  return v;
}

/* string i of the table at `table`: NULL unless it lies inside the file
 * with its terminating NUL */
static const char *entry(uint32_t table, uint32_t i, uint32_t *len) {
  size_t at = (size_t)table + (size_t)i * 8;
  if (at + 8 > mo_len) return NULL;
  uint32_t n = word(at), off = word(at + 4);
  if ((size_t)off >= mo_len || (size_t)n >= mo_len - off || mo_data[off + n] != '\0') return NULL;
  if (len) *len = n;
  return (const char *)mo_data + off;
}

static const char *lookup(const char *msgid, uint32_t *len) {
  uint32_t lo = 0, hi = mo_n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const char *o = entry(mo_orig, mid, NULL);
    if (!o) return NULL;
    int c = strcmp(msgid, o);
    if (!c) return entry(mo_trans, mid, len);
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

int wd_i18n_use_mo(const unsigned char *mo, size_t len) {
  mo_data = NULL;
  mo_len = 0;
  mo_n = 0;
  mo_nplurals = 2;
  if (!mo) return 0;
  if (len < 20) return -1;
  uint32_t magic;
  memcpy(&magic, mo, 4);
  if (magic != 0x950412deu && magic != 0xde120495u) return -1;
  mo_data = mo;
  mo_len = len;
  mo_swap = magic == 0xde120495u;
  mo_n = word(8);
  mo_orig = word(12);
  mo_trans = word(16);
  /* the header (the translation of "") says how many plural forms there are;
   * the languages of po/ have one (zh_CN: plural=0) or English's two */
  uint32_t hl;
  const char *h = lookup("", &hl);
  const char *np = h ? strstr(h, "nplurals=") : NULL;
  if (np && np[9] == '1') mo_nplurals = 1;
  return 0;
}

const char *wd_i18n_gettext(const char *msgid) {
  if (!mo_data || !msgid[0]) return msgid;
  const char *t = lookup(msgid, NULL);
  return t && t[0] ? t : msgid;
}

const char *wd_i18n_ngettext(const char *msgid, const char *plural, unsigned long n) {
  const char *english = n == 1 ? msgid : plural;
  if (!mo_data) return english;
  uint32_t len;
  const char *t = lookup(msgid, &len);
  if (!t || !t[0]) return english;
  /* one form: the first; two (n != 1): the second for n != 1 */
  if (mo_nplurals == 1 || n == 1) return t;
  size_t first = strlen(t);
  return first < len ? t + first + 1 : t;
}
#endif
