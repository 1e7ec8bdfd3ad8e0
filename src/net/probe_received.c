/* probe: the bytes as received, in memory, through the same checks as
 * `check` (probe_int.h). */
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "net/probe_int.h"
#include "webdoctor/source.h"

/* ---- the check of the received files -------------------------------------------- */

static bool plain_name(const char *n) {
  return n[0] && n[0] != '.' && !strchr(n, '/') && !strchr(n, '\\') && strlen(n) < 200;
}

/* Probe found the bytes unusable (compressed, an HTML page, a .gz no longer gzip): check would
 * only see the consequence (WD100, WD202), so they are left out of it. */
static bool bytes_wrong(const probe *pr, const char *name) {
  for (uint32_t i = 0; i < pr->out->n; i++) {
    const wd_finding *f = &pr->out->v[i];
    if (f->file && !strcmp(f->file, name) && f->severity == WD_SEV_ERROR &&
        (f->code == WD405 || f->code == WD406 || f->code == WD221))
      return true;
  }
  return false;
}

/* The bytes as received, in memory, through the same checks as `check`;
 * what this probe measured itself (isolation, limits, files it requested)
 * is left to its own findings (wd_check_options.served). */
wd_status wdn_check_received(probe *pr, wd_probe_result *res, const wd_probe_options *o, wd_error *err) {
  wd_source_file *files = calloc(pr->f.n + 1, sizeof *files);
  const char **requested = calloc(pr->f.n + 1, sizeof *requested);
  wd_source *src = NULL;
  wd_findings got = WD_FINDINGS_INIT;
  wd_status s = WD_OK;
  if (!files || !requested) {
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    goto done;
  }
  uint32_t nf = 0;
  for (uint32_t i = 0; i < pr->f.n; i++) {
    const wdn_asset *a = pr->f.v[i];
    const char *n = a->pub.kind == WD_ASSET_PAGE ? pr->page_name : a->pub.name;
    requested[i] = a->pub.name;
    if (!wdn_ok_status(a->pub.status) || a->pub.error || !a->pub.body_ok || !plain_name(n) || bytes_wrong(pr, n))
      continue;
    uint32_t k = 0;
    while (k < nf && strcmp(files[k].path, n) != 0) k++; /* the last response under a name wins */
    files[k] = (wd_source_file){n, a->body, a->body_len};
    if (k == nf) nf++;
  }
  if ((s = wd_source_open_memory(pr->page_url, files, nf, &src, err))) goto done;
  wd_check_options co = {.host = WD_HOST_UNKNOWN, .no_code = o->no_code, .served = true,
                         .measured = requested, .nmeasured = pr->f.n};
  wd_error cerr;
  wd_error_clear(&cerr);
  if ((s = wd_check_export_source(src, &co, &got, &res->summary, &cerr))) {
    *err = cerr;
    goto done;
  }
  if (wd_findings_move(pr->out, &got)) {
    s = wd_error_set(err, WD_ERR_NOMEM, "%s", W_("out of memory"));
    goto done;
  }
  if (res->summary.threads >= 0) pr->threads = res->summary.threads;
done:
  wd_findings_free(&got);
  wd_source_free(src);
  free(files);
  free(requested);
  return s;
}
