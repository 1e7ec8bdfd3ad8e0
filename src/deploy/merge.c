/* Merging a generated file into the one already there: a marked block, JSON rules, a <script> tag. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/file.h"
#include "common/i18n.h"
#include "deploy/deploy_int.h"
#include "webdoctor/wasm.h"
#include "wd_config.h"

/* ---- merging with what exists -------------------------------------------- */

/* Comment syntax of a block-merged file: every one is '#'-commented. */
static char *merge_block(const wd_headers_file *f, const char *old, size_t len) {
  wd_buf b = WD_BUF_INIT;
  const char *begin = NULL, *end = NULL;
  for (const char *s = old; s && s < old + len;) {
    const char *nl = memchr(s, '\n', (size_t)(old + len - s));
    const char *e = nl ? nl + 1 : old + len;
    if (*s == '#') {
      const char *t = s + 1;
      while (t < e && *t == ' ') t++;
      size_t rest = (size_t)(e - t);
      if (!begin && rest >= sizeof BLOCK_BEGIN - 1 && !memcmp(t, BLOCK_BEGIN, sizeof BLOCK_BEGIN - 1)) begin = s;
      else if (begin && !end && rest >= sizeof BLOCK_END - 1 && !memcmp(t, BLOCK_END, sizeof BLOCK_END - 1))
        end = e;
    }
    s = e;
  }
  int rc = 0;
  if (begin && end) {
    rc |= wd_buf_append(&b, old, (size_t)(begin - old));
  } else {
    rc |= wd_buf_append(&b, old, len);
    if (len && old[len - 1] != '\n') rc |= wd_buf_putc(&b, '\n');
    if (len) rc |= wd_buf_putc(&b, '\n');
  }
  rc |= wd_buf_printf(&b, "# %s (webdoctor headers; --write replaces this block)\n%s", BLOCK_BEGIN, f->content);
  if (f->content[0] && f->content[strlen(f->content) - 1] != '\n') rc |= wd_buf_putc(&b, '\n');
  rc |= wd_buf_printf(&b, "# %s\n", BLOCK_END);
  if (begin && end) rc |= wd_buf_append(&b, end, (size_t)(old + len - end));
  return wdi_deploy_finish(&b, rc);
}

static void line_col(const char *text, const char *at, uint32_t *line, uint32_t *col) {
  *line = 1;
  *col = 1;
  for (const char *s = text; s < at; s++) {
    if (*s == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

/* Rules lists ([{source, headers}]): ours replace those with the same source. */
static void merge_rules(cJSON *into, const cJSON *ours) {
  const cJSON *r;
  cJSON_ArrayForEach(r, ours) {
    const cJSON *src = cJSON_GetObjectItemCaseSensitive(r, "source");
    int n = cJSON_GetArraySize(into);
    for (int i = n - 1; i >= 0; i--) {
      const cJSON *x = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(into, i), "source");
      if (cJSON_IsString(x) && cJSON_IsString(src) && !strcmp(x->valuestring, src->valuestring))
        cJSON_DeleteItemFromArray(into, i);
    }
    cJSON_AddItemToArray(into, cJSON_Duplicate(r, true));
  }
}

/* Set every key of `ours` (an object) in `into`, recursing into objects. */
static void merge_object(cJSON *into, const cJSON *ours) {
  const cJSON *it;
  cJSON_ArrayForEach(it, ours) {
    cJSON *have = cJSON_GetObjectItemCaseSensitive(into, it->string);
    if (cJSON_IsObject(it) && cJSON_IsObject(have)) {
      merge_object(have, it);
    } else if (cJSON_IsArray(it) && cJSON_IsArray(have) && !strcmp(it->string, "headers")) {
      merge_rules(have, it);
    } else if (have && !strcmp(it->string, "public")) {
      /* keep the project's own public folder */
    } else if (have && !strcmp(it->string, "ignore")) {
      /* keep the project's own ignore list */
    } else {
      cJSON_DeleteItemFromObjectCaseSensitive(into, it->string);
      cJSON_AddItemToObject(into, it->string, cJSON_Duplicate(it, true));
    }
  }
}

static char *merge_json(const wd_headers_file *f, const char *old, size_t len, wd_error *err) {
  const char *end = NULL;
  cJSON *have = cJSON_ParseWithLengthOpts(old, len, &end, false);
  if (!have || !cJSON_IsObject(have)) {
    uint32_t line, col;
    line_col(old, have ? old : (end ? end : old), &line, &col);
    cJSON_Delete(have);
    wd_error_set_file(err, f->name);
    err->line = line;
    err->column = col;
    return wd_error_set(err, WD_ERR_MALFORMED, N_("%s is not a JSON object: fix it or move it away, then write "
                                                  "again (it was left unchanged)"), f->name),
           NULL;
  }
  cJSON *ours = cJSON_Parse(f->content);
  if (!ours) {
    cJSON_Delete(have);
    wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    return NULL;
  }
  const cJSON *hosting = cJSON_GetObjectItemCaseSensitive(have, "hosting");
  if (cJSON_IsArray(hosting)) {
    cJSON_Delete(have);
    cJSON_Delete(ours);
    wd_error_set_file(err, f->name);
    wd_error_set(err, WD_ERR_UNSUPPORTED,
                 N_("%s has several hosting targets: copy the \"headers\" list into the right one by hand (it "
                   "was left unchanged)"), f->name);
    return NULL;
  }
  merge_object(have, ours);
  cJSON_Delete(ours);
  char *s = wdi_deploy_print_json(have);
  if (!s) wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  return s;
}

static const char *find_ci(const char *hay, size_t len, const char *needle) {
  size_t n = strlen(needle);
  for (size_t i = 0; i + n <= len; i++) {
    size_t k = 0;
    while (k < n && (hay[i + k] | 0x20) == (needle[k] | 0x20)) k++;
    if (k == n) return hay + i;
  }
  return NULL;
}

static char *merge_html(const wd_headers_file *f, const char *old, size_t len, wd_error *err) {
  wd_buf b = WD_BUF_INIT;
  int rc = 0;
  if (find_ci(old, len, WD_COI_SW_NAME)) {
    rc = wd_buf_append(&b, old, len); /* there already */
  } else {
    const char *at = find_ci(old, len, "<head");
    if (at) {
      const char *gt = memchr(at, '>', (size_t)(old + len - at));
      at = gt ? gt + 1 : NULL;
    }
    if (!at) at = find_ci(old, len, "<script");
    if (!at) at = old;
    rc |= wd_buf_append(&b, old, (size_t)(at - old));
    if (at > old && at[-1] == '>' && (at == old + len || *at == '\n')) {
      rc |= wd_buf_putc(&b, '\n');
      rc |= wd_buf_append(&b, f->content, strlen(f->content) - 1); /* without its newline */
    } else {
      rc |= wd_buf_puts(&b, f->content);
    }
    rc |= wd_buf_append(&b, at, (size_t)(old + len - at));
  }
  if (rc) {
    wd_buf_release(&b);
    wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    return NULL;
  }
  return wd_buf_detach(&b, NULL);
}

char *wd_headers_merge_text(const wd_headers_file *f, const char *existing, size_t len, wd_error *err) {
  char *s = NULL;
  switch (f->merge) {
  case WD_MERGE_REPLACE: s = wd_strdup(f->content); break;
  case WD_MERGE_BLOCK: s = merge_block(f, existing, existing ? len : 0); break;
  case WD_MERGE_JSON:
    if (!existing) return wd_strdup(f->content);
    return merge_json(f, existing, len, err);
  case WD_MERGE_HTML_SCRIPT:
    if (!existing) {
      wd_error_set_file(err, f->name);
      wd_error_set(err, WD_ERR_IO, N_("%s is not in the folder: the service worker must be loaded by the "
                                     "export's HTML shell"), f->name);
      return NULL;
    }
    return merge_html(f, existing, len, err);
  }
  if (!s) wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
  return s;
}
