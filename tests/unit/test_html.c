/* The HTML report: escaping, hostile names from files, the locale, saving. */
#include <dirent.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "common/i18n.h"
#include "report/html_int.h"
#include "webdoctor/html_report.h"

static void esc(const char *in, size_t len, const char *want) {
  char *got = wd_html_escape(in, len);
  CHECK_EQ_STR(got, want);
  free(got);
}

static void test_escape(void) {
  esc("", 0, "");
  esc("plain text 123", 14, "plain text 123");
  esc("&", 1, "&amp;");
  esc("<", 1, "&lt;");
  esc(">", 1, "&gt;");
  esc("\"", 1, "&quot;");
  esc("'", 1, "&#39;");
  esc("<script>alert('x')</script>", 27, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  esc("a&amp;b", 7, "a&amp;amp;b"); /* an entity in the input stays text */
  esc("tab\there\nnewline", 16, "tab\there\nnewline");
  /* only len bytes */
  esc("ab<cd", 3, "ab&lt;");
  /* UTF-8 passes through: é, ✓, 😀 */
  esc("\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80", 11, "\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
  /* not UTF-8: a lone continuation byte, an overlong '/', a surrogate, a
   * byte past U+10FFFF, a truncated sequence; each bad byte is one U+FFFD */
  esc("a\x80z", 3, "a\xef\xbf\xbdz");
  esc("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd");
  esc("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  esc("\xf5\x80\x80\x80", 4, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  esc("x\xe2\x9c", 3, "x\xef\xbf\xbd\xef\xbf\xbd");
  /* control characters (C0 but tab and newline, DEL, C1) */
  esc("a\x01" "b\x1b[31m\x7f", 9, "a\xef\xbf\xbd" "b\xef\xbf\xbd[31m\xef\xbf\xbd");
  esc("\xc2\x85", 2, "\xef\xbf\xbd");
  esc("\r", 1, "\xef\xbf\xbd");
  /* an embedded NUL is a control character too */
  esc("a\0b", 3, "a\xef\xbf\xbd" "b");

  CHECK_EQ_INT(wdi_utf8_count("\xc3\xa9" "ab\xe2\x9c\x93", 7), 4);
  CHECK_EQ_INT(wdi_utf8_prefix("\xc3\xa9" "ab\xe2\x9c\x93", 7, 1), 2);
  CHECK_EQ_INT(wdi_utf8_prefix("\xc3\xa9" "ab\xe2\x9c\x93", 7, 3), 4);
  CHECK_EQ_INT(wdi_utf8_prefix("\xc3\xa9" "ab\xe2\x9c\x93", 7, 9), 7);
}

/* Every '<' of the output opens or closes one of the elements the report
 * writes: nothing from the inputs became markup. */
static int only_known_tags(const char *html) {
  static const char *const known[] = {
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "header", "div", "p", "h1", "h2", "h3", "h4",
    "wbr", "main", "section", "span", "a", "ul", "li", "dl", "dt", "dd", "figure", "figcaption", "svg", "desc",
    "defs", "marker", "path", "g", "rect", "text", "tspan", "circle", "article", "table", "caption", "thead",
    "tbody", "tr", "th", "td", "strong", "code", "details", "summary", "footer", NULL};
  int bad = 0;
  for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
    const char *q = p + 1;
    if (*q == '/') q++;
    size_t n = strcspn(q, " >/\n");
    int found = 0;
    for (int k = 0; known[k]; k++)
      if (strlen(known[k]) == n && !strncmp(known[k], q, n)) found = 1;
    if (!found) {
      fprintf(stderr, "unexpected markup: %.40s\n", p);
      bad++;
    }
  }
  return bad;
}

#define EVIL_LIB "lib<script>alert(1)</script>&amp;\"q'.wasm"
#define EVIL_MSG "</textarea><img src=x onerror=alert(2)> & \"quoted\" 'single'"

static void hostile_summary(wd_check_summary *s) {
  memset(s, 0, sizeof *s);
  s->kind = WD_CHECKED_EXPORT;
  s->threads = 0;
  s->dlink = true;
  s->nextensions = 1;
  snprintf(s->engine, sizeof s->engine, "index<x>.wasm");
  snprintf(s->godot_version, sizeof s->godot_version, "Godot <4.3>");
  static const wd_chain_kind kinds[] = {WD_CHAIN_PAGE, WD_CHAIN_GLUE, WD_CHAIN_MAIN, WD_CHAIN_EXTENSION};
  static const char *const names[] = {"index\".html", "in'dex.js", "index<x>.wasm", EVIL_LIB};
  for (int i = 0; i < 4; i++) {
    wd_chain_node *n = &s->chain[s->nchain++];
    n->kind = kinds[i];
    snprintf(n->name, sizeof n->name, "%s", names[i]);
    snprintf(n->file, sizeof n->file, "%s", names[i]);
    n->shared = i < 2 ? -1 : i == 3;
  }
  s->chain[3].verdict = WD_SEV_ERROR;
  s->chain[3].has_findings = true;
  snprintf(s->chain[3].emscripten, sizeof s->chain[3].emscripten, "3.1.<b>64");
  snprintf(s->chain[3].edge_message, sizeof s->chain[3].edge_message, "LinkError: %s", EVIL_MSG);
}

static void hostile_findings(wd_findings *fs) {
  wd_finding *f = wd_findings_add(fs, WD101, EVIL_LIB, "%s was built with threads <b>", EVIL_LIB);
  CHECK(f != NULL);
  if (!f) return;
  f->has_offset = true;
  f->offset = 552;
  CHECK_EQ_INT(wd_finding_explain(f, "because %s", EVIL_MSG), 0);
  CHECK_EQ_INT(wd_finding_add_engine_text(f, "Chrome 156 (V8)", "LinkError: " EVIL_MSG), 0);
  CHECK_EQ_INT(wd_finding_add_engine_text(f, "Firefox <153>", "x & y"), 0);
  CHECK_EQ_STR(f->engine_message, "Chrome 156 (V8): LinkError: " EVIL_MSG "\nFirefox <153>: x & y");
  CHECK_EQ_INT(wd_finding_add_fix(f, "Use `scons <threads=no>` for " EVIL_LIB ": then \"rebuild\"",
                                  "deploys <anywhere>; runs & without threads"), 0);
  CHECK_EQ_INT(wd_finding_add_fix(f, "Turn threads on: " EVIL_MSG, NULL), 0);
}

static void test_hostile_names(void) {
  wd_findings fs = WD_FINDINGS_INIT;
  wd_check_summary s;
  hostile_summary(&s);
  hostile_findings(&fs);
  wd_html_options o = {.subject = "dir/<script>&\"'", .dir = NULL};
  char *html = NULL;
  size_t len = 0;
  wd_error err;
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_html_report_render(&fs, &s, &o, &html, &len, &err), WD_OK);
  CHECK(html != NULL);
  if (!html) return;
  CHECK_EQ_INT(strlen(html), len);
  CHECK_EQ_INT(only_known_tags(html), 0);
  CHECK(strstr(html, "<script") == NULL);
  CHECK(strstr(html, "<img") == NULL);
  CHECK(strstr(html, "</textarea") == NULL);
  CHECK(strstr(html, "<b>") == NULL);
  CHECK(strstr(html, "<x>") == NULL);
  /* the names are there, escaped, in text and in attributes */
  CHECK_CONTAINS(html, "lib&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&quot;q&#39;.wasm");
  CHECK_CONTAINS(html, "data-name=\"lib&lt;script&gt;alert(1)&lt;/script&gt;&amp;amp;&quot;q&#39;.wasm\"");
  CHECK_CONTAINS(html, "data-to=\"lib&lt;script&gt;");
  CHECK_CONTAINS(html, "<title>webdoctor report: dir/&lt;script&gt;&amp;&quot;&#39;</title>");
  CHECK_CONTAINS(html, "&lt;/textarea&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot;");
  CHECK_CONTAINS(html, "Godot &lt;4.3&gt;");
  CHECK_CONTAINS(html, "3.1.&lt;b&gt;64");
  CHECK_CONTAINS(html, "<code>scons &lt;threads=no&gt;</code>");
  CHECK_CONTAINS(html, "<li>deploys &lt;anywhere&gt;</li><li>runs &amp; without threads</li>");
  CHECK_CONTAINS(html, "<span class=\"browser\">Chrome 156 (V8)</span><code>LinkError: &lt;/textarea&gt;");
  CHECK_CONTAINS(html, "<span class=\"browser\">Firefox &lt;153&gt;</span><code>x &amp; y</code>");
  /* no quote from the inputs ends an attribute: every attribute value is
   * followed by a space, '>' or '/' */
  int bad = 0;
  for (const char *p = strstr(html, "=\""); p; p = strstr(p + 2, "=\"")) {
    const char *end = strchr(p + 2, '"');
    if (!end || !strchr(" >/", end[1])) bad++;
  }
  CHECK_EQ_INT(bad, 0);
  /* no network: nothing to fetch in the document */
  CHECK(strstr(html, "src=\"") == NULL);
  CHECK(strstr(html, "href=\"http") == NULL);
  CHECK(strstr(html, "url(http") == NULL);
  CHECK(strstr(html, "@import") == NULL);
  CHECK_CONTAINS(html, "default-src 'none'");
  free(html);

  /* the same bytes every time */
  char *again = NULL;
  CHECK_EQ_INT(wd_html_report_render(&fs, &s, &o, &again, NULL, &err), WD_OK);
  char *first = NULL;
  CHECK_EQ_INT(wd_html_report_render(&fs, &s, &o, &first, NULL, &err), WD_OK);
  CHECK(again && first && strcmp(again, first) == 0);
  free(again);
  free(first);

  /* no summary and no findings: still a page */
  CHECK_EQ_INT(wd_html_report_render(NULL, NULL, NULL, &html, &len, &err), WD_OK);
  CHECK(html && strstr(html, "</html>") && !strstr(html, "<svg"));
  free(html);

  /* extra sections (probe's): escaped too */
  wd_html_fact facts[] = {{"Cross-Origin-Opener-Policy", "same-origin"}, {"<h>", "<v>&"}};
  wd_html_section sec = {"HTTP <responses>", "from <probe>", 2, facts, 1};
  wd_html_options o2 = {.subject = "https://example.invalid/<game>", .nsections = 1, .sections = &sec};
  CHECK_EQ_INT(wd_html_report_render(&fs, &s, &o2, &html, &len, &err), WD_OK);
  if (html) {
    CHECK_EQ_INT(only_known_tags(html), 0);
    CHECK_CONTAINS(html, ">HTTP &lt;responses&gt;</h2>");
    CHECK_CONTAINS(html, "<dt>&lt;h&gt;</dt><dd>&lt;v&gt;&amp;</dd>");
    CHECK_CONTAINS(html, "<dd>same-origin</dd>");
    free(html);
  }
  wd_findings_free(&fs);
}

/* A long message wraps on spaces in the SVG, and every byte of it is kept. */
static void test_chain_message(void) {
  wd_check_summary s;
  hostile_summary(&s);
  const char *msg = "LinkError: WebAssembly.instantiate(): Import #31 \"env\" \"memory\": mismatch in shared state of "
                    "memory, declared = 1, imported = 0";
  snprintf(s.chain[3].edge_message, sizeof s.chain[3].edge_message, "%s", msg);
  char *html = NULL;
  wd_error err;
  CHECK_EQ_INT(wd_html_report_render(NULL, &s, NULL, &html, NULL, &err), WD_OK);
  if (!html) return;
  const char *t = strstr(html, "<text class=\"edge-message\"");
  CHECK(t != NULL);
  if (t) {
    /* the tspans' text, unescaped back, is the message */
    char joined[1024] = "";
    size_t jn = 0;
    const char *end = strstr(t, "</text>");
    for (const char *p = strstr(t, "<tspan"); p && p < end; p = strstr(p + 1, "<tspan")) {
      const char *a = strchr(p, '>') + 1, *b = strstr(a, "</tspan>");
      for (const char *q = a; q < b && jn + 1 < sizeof joined;) {
        if (!strncmp(q, "&quot;", 6)) joined[jn++] = '"', q += 6;
        else joined[jn++] = *q++;
      }
    }
    joined[jn] = '\0';
    CHECK_EQ_STR(joined, msg);
    int lines = 0;
    for (const char *p = strstr(t, "<tspan"); p && p < end; p = strstr(p + 1, "<tspan")) lines++;
    CHECK_EQ_INT(lines, 2);
  }
  CHECK_CONTAINS(html, "data-status=\"fail\"");
  CHECK_CONTAINS(html, "data-kind=\"extension\"");
  CHECK_CONTAINS(html, "data-shared=\"true\"");
  free(html);
}

/* The report follows the locale: a catalogue with two of its strings. */
static void test_locale(const char *tmp) {
  char po[512], dir[512], cmd[2048];
  snprintf(po, sizeof po, "%s/xx.po", tmp);
  snprintf(dir, sizeof dir, "%s/locale/xx/LC_MESSAGES", tmp);
  FILE *f = fopen(po, "w");
  CHECK(f != NULL);
  if (!f) return;
  fputs("msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
        "msgid \"en\"\nmsgstr \"xx\"\n\n"
        "msgid \"Load chain\"\nmsgstr \"Ladekette\"\n\n"
        "msgid \"Will not load in a browser\"\nmsgstr \"L\xc3\xa4\x64t nicht <im> Browser\"\n",
        f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "mkdir -p '%s' && msgfmt -o '%s/webdoctor.mo' '%s'", dir, dir, po);
  int rc = system(cmd);
  CHECK_EQ_INT(rc, 0);
  if (rc) return;
  setenv("LANGUAGE", "xx", 1);
  setlocale(LC_ALL, "C.UTF-8");
  char ldir[512];
  snprintf(ldir, sizeof ldir, "%s/locale", tmp);
  wd_i18n_init(ldir);
  wd_findings fs = WD_FINDINGS_INIT;
  wd_check_summary s;
  hostile_summary(&s);
  hostile_findings(&fs);
  char *html = NULL;
  wd_error err;
  CHECK_EQ_INT(wd_html_report_render(&fs, &s, NULL, &html, NULL, &err), WD_OK);
  if (html) {
    CHECK_CONTAINS(html, "<html lang=\"xx\">");
    CHECK_CONTAINS(html, ">Ladekette</h2>");
    CHECK_CONTAINS(html, "L\xc3\xa4\x64t nicht &lt;im&gt; Browser</h2>"); /* translations are escaped too */
    free(html);
  }
  wd_findings_free(&fs);
  unsetenv("LANGUAGE");
  setlocale(LC_ALL, "C");
  wd_i18n_init("/nonexistent");
}

static int count_entries(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  if (!d) return -1;
  for (struct dirent *e; (e = readdir(d));)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
  closedir(d);
  return n;
}

static void test_save(const char *tmp) {
  char dir[512], path[600];
  snprintf(dir, sizeof dir, "%s/save", tmp);
  mkdir(dir, 0755);
  snprintf(path, sizeof path, "%s/report.html", dir);
  wd_findings fs = WD_FINDINGS_INIT;
  wd_check_summary s;
  hostile_summary(&s);
  hostile_findings(&fs);
  wd_error err;
  wd_error_clear(&err);
  mode_t old = umask(022);
  CHECK_EQ_INT(wd_html_report_save(path, &fs, &s, NULL, &err), WD_OK);
  /* again, over the first one */
  CHECK_EQ_INT(wd_html_report_save(path, &fs, &s, NULL, &err), WD_OK);
  umask(old);
  struct stat st;
  CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
  CHECK_EQ_INT(count_entries(dir), 1); /* no temporary file left */
  char *html = NULL;
  size_t len = 0;
  CHECK_EQ_INT(wd_html_report_render(&fs, &s, NULL, &html, &len, &err), WD_OK);
  CHECK_EQ_INT(st.st_size, (long long)len);
  FILE *f = fopen(path, "rb");
  if (f && html) {
    char *back = malloc(len + 1);
    size_t got = back ? fread(back, 1, len + 1, f) : 0;
    CHECK(back && got == len && memcmp(back, html, len) == 0);
    free(back);
  }
  if (f) fclose(f);
  free(html);

  /* a folder that does not exist: an I/O error naming the path, nothing written */
  char bad[700];
  snprintf(bad, sizeof bad, "%s/missing/report.html", dir);
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_html_report_save(bad, &fs, &s, NULL, &err), WD_ERR_IO);
  CHECK_CONTAINS(err.msg, bad);
  CHECK_CONTAINS(err.file, "missing/report.html");
  CHECK_EQ_INT(count_entries(dir), 1);

  /* the target is a folder: rename fails, the temporary file is removed */
  char sub[700];
  snprintf(sub, sizeof sub, "%s/adir", dir);
  mkdir(sub, 0755);
  char inner[800];
  snprintf(inner, sizeof inner, "%s/x", sub);
  FILE *g = fopen(inner, "w");
  if (g) fclose(g);
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_html_report_save(sub, &fs, &s, NULL, &err), WD_ERR_IO);
  CHECK_EQ_INT(count_entries(dir), 2); /* report.html and adir */
  unlink(inner);
  rmdir(sub);

  /* write to a stream */
  FILE *mem = tmpfile();
  CHECK(mem != NULL);
  if (mem) {
    CHECK_EQ_INT(wd_html_report_write(mem, &fs, &s, NULL, &err), WD_OK);
    CHECK_EQ_INT(ftell(mem), (long)len);
    fclose(mem);
  }
  unlink(path);
  rmdir(dir);
  wd_findings_free(&fs);
}

int main(void) {
  char tmp[] = "/tmp/wd-test-html-XXXXXX";
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return 1;
  }
  test_escape();
  test_hostile_names();
  test_chain_message();
  test_save(tmp);
  test_locale(tmp);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
  return check_summary();
}
