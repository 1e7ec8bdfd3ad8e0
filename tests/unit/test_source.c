/*
 * The export source interface: a folder, a zip in memory, named buffers,
 * and a sub-folder of a zip list and read the same bytes; damaged zips
 * fail with the file and the offset; the memory source refuses what it
 * cannot hold.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "common/file.h"
#include "webdoctor/check.h"
#include "webdoctor/source.h"

static char root[2048];

static const char *at(const char *rel) {
  static char p[4][4096];
  static int k;
  k = (k + 1) % 4;
  snprintf(p[k], sizeof p[k], "%s/%s", root, rel);
  return p[k];
}

/* every file of the folder (but the two the regression zips leave out) is
 * in the zip with the same bytes */
static void same_files(const wd_source *folder, const wd_source *zip) {
  uint32_t compared = 0;
  for (uint32_t i = 0; i < wd_source_count(folder); i++) {
    const wd_source_entry *e = wd_source_entry_at(folder, i);
    if (!strcmp(e->path, "index.pck") || !strcmp(e->path, "index.wasm")) continue;
    const wd_source_entry *z = wd_source_find(zip, e->path);
    CHECK(z != NULL);
    if (!z) continue;
    CHECK_EQ_INT(z->kind, WD_ENTRY_FILE);
    CHECK_EQ_INT(z->size, e->size);
    wd_source_data a, b;
    wd_error err;
    wd_error_clear(&err);
    CHECK_EQ_INT(wd_source_read(folder, e->path, 0, &a, &err), WD_OK);
    CHECK_EQ_INT(wd_source_read(zip, e->path, 0, &b, &err), WD_OK);
    CHECK(a.size == b.size && memcmp(a.data, b.data, (size_t)a.size) == 0);
    wd_source_data_release(&a);
    wd_source_data_release(&b);
    compared++;
  }
  CHECK(compared >= 3);
}

int main(void) {
  const char *src = getenv("WD_SOURCE_DIR");
  snprintf(root, sizeof root, "%s", src ? src : ".");
  wd_error err;
  wd_source *folder = NULL, *zip = NULL, *sub = NULL, *mem = NULL;

  /* folder and zip (read from a file, and from bytes in memory) */
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_source_open(at("examples/seed-export"), &folder, &err), WD_OK);
  CHECK(folder && wd_source_kind_of(folder) == WD_SOURCE_FOLDER && wd_source_dir(folder));
  CHECK_EQ_INT(wd_source_open(at("fuzz/regressions/zip/deflated.zip"), &zip, &err), WD_OK);
  CHECK(zip && wd_source_kind_of(zip) == WD_SOURCE_ZIP && !wd_source_dir(zip));
  if (folder && zip) same_files(folder, zip);
  wd_source_free(zip);
  zip = NULL;
  wd_file f;
  CHECK_EQ_INT(wd_file_load(at("fuzz/regressions/zip/stored-zip64.zip"), &f, 0, &err), WD_OK);
  CHECK_EQ_INT(wd_source_open_zip_memory("stored-zip64.zip", f.data, f.size, &zip, &err), WD_OK);
  if (folder && zip) same_files(folder, zip);
  wd_source_data d;
  if (zip) {
    CHECK_EQ_INT(wd_source_archive_size(zip), f.size);
    /* an entry that is not there, a read over the caller's limit */
    wd_error_clear(&err);
    CHECK_EQ_INT(wd_source_read(zip, "nothing.wasm", 0, &d, &err), WD_ERR_IO);
    CHECK_CONTAINS(err.file, "stored-zip64.zip/nothing.wasm");
    wd_error_clear(&err);
    CHECK_EQ_INT(wd_source_read(zip, "index.html", 10, &d, &err), WD_ERR_LIMIT);
  }
  wd_source_free(zip);
  zip = NULL;
  wd_file_close(&f);

  /* the export one folder down: a sub-source with paths relative to it */
  CHECK_EQ_INT(wd_source_open(at("fuzz/regressions/zip/nested-case.zip"), &zip, &err), WD_OK);
  CHECK(zip && wd_source_find(zip, "web/index.html") && wd_source_find(zip, "__MACOSX/web/._index.html"));
  const wd_source_entry *dir = zip ? wd_source_find(zip, "web/sub") : NULL;
  CHECK(dir && dir->kind == WD_ENTRY_DIR);
  if (zip) CHECK_EQ_INT(wd_source_open_sub(zip, "web", &sub, &err), WD_OK);
  if (sub) {
    CHECK_EQ_STR(wd_source_prefix(sub), "web");
    CHECK(wd_source_find(sub, "index.html") && !wd_source_find(sub, "web/index.html"));
    CHECK(!wd_source_find(sub, "__MACOSX/web/._index.html"));
    wd_error_clear(&err);
    CHECK_EQ_INT(wd_source_read(sub, "INDEX.html", 0, &d, &err), WD_OK);
    CHECK(d.size == 13 && !memcmp(d.data, "<html></html>", 13));
    wd_source_data_release(&d);
  }
  wd_source_free(sub);
  wd_source_free(zip);
  zip = NULL;

  /* damaged archives: the file and the offset */
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_source_open(at("fuzz/regressions/zip/truncated.zip"), &zip, &err), WD_ERR_MALFORMED);
  CHECK(zip == NULL && err.has_offset);
  CHECK_CONTAINS(err.file, "truncated.zip");
  CHECK_CONTAINS(err.msg, "is truncated");
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_source_open(at("fuzz/regressions/zip/flipped.zip"), &zip, &err), WD_OK);
  uint32_t bad = 0;
  for (uint32_t i = 0; zip && i < wd_source_count(zip); i++) {
    wd_error_clear(&err);
    if (wd_source_read(zip, wd_source_entry_at(zip, i)->path, 0, &d, &err) == WD_OK) wd_source_data_release(&d);
    else if (err.code == WD_ERR_MALFORMED) bad++;
  }
  CHECK_EQ_INT(bad, 1);
  wd_source_free(zip);
  zip = NULL;
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_source_open(at("README.md"), &zip, &err), WD_ERR_USAGE);
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_source_open(at("no/such/folder"), &zip, &err), WD_ERR_IO);

  /* named buffers: sorted, found, read without copying; duplicates refused */
  static const uint8_t a[] = "a", b[] = "bb";
  wd_source_file files[] = {{"index.wasm", b, 2}, {"index.html", a, 1}, {"empty.js", NULL, 0}};
  CHECK_EQ_INT(wd_source_open_memory("https://example.invalid/", files, 3, &mem, &err), WD_OK);
  if (mem) {
    CHECK_EQ_STR(wd_source_entry_at(mem, 0)->path, "empty.js");
    CHECK_EQ_STR(wd_source_entry_at(mem, 2)->path, "index.wasm");
    CHECK_EQ_INT(wd_source_read(mem, "index.wasm", 0, &d, &err), WD_OK);
    CHECK(d.data == b && d.size == 2);
    wd_source_data_release(&d);
    CHECK_EQ_INT(wd_source_read(mem, "empty.js", 0, &d, &err), WD_OK);
    CHECK(d.data != NULL && d.size == 0);
    wd_source_data_release(&d);
  }
  wd_source_free(mem);
  mem = NULL;
  wd_source_file twice[] = {{"index.html", a, 1}, {"index.html", b, 2}};
  wd_error_clear(&err);
  CHECK_EQ_INT(wd_source_open_memory("twice", twice, 2, &mem, &err), WD_ERR_USAGE);
  wd_source_file absolute[] = {{"/etc/passwd", a, 1}};
  CHECK_EQ_INT(wd_source_open_memory("absolute", absolute, 1, &mem, &err), WD_ERR_USAGE);

  /* the seed export from memory checks like the folder: the seed failure */
  wd_source_file seed[8];
  wd_file loaded[8];
  uint32_t n = 0;
  static const char *const names[] = {"index.html", "index.js", "index.wasm", "index.side.wasm", "index.pck",
                                      "liblimboai.web.template_release.wasm32.wasm"};
  for (uint32_t i = 0; i < 6; i++) {
    char rel[256];
    snprintf(rel, sizeof rel, "examples/seed-export/%s", names[i]);
    if (wd_file_load(at(rel), &loaded[n], 0, &err) != WD_OK) continue;
    seed[n] = (wd_source_file){names[i], loaded[n].data, loaded[n].size};
    n++;
  }
  CHECK_EQ_INT(n, 6);
  CHECK_EQ_INT(wd_source_open_memory("seed", seed, n, &mem, &err), WD_OK);
  wd_findings fm = WD_FINDINGS_INIT, ff = WD_FINDINGS_INIT;
  wd_check_summary sm, sf;
  CHECK_EQ_INT(wd_check_export_source(mem, NULL, &fm, &sm, &err), WD_OK);
  CHECK_EQ_INT(wd_check_export_dir(at("examples/seed-export"), NULL, &ff, &sf, &err), WD_OK);
  CHECK_EQ_INT(fm.n, ff.n);
  for (uint32_t i = 0; i < fm.n && i < ff.n; i++) {
    CHECK_EQ_STR(fm.v[i].id, ff.v[i].id);
    char *ma = wd_msg_str(&fm.v[i].message, true), *mb = wd_msg_str(&ff.v[i].message, true);
    CHECK_EQ_STR(ma, mb);
    free(ma);
    free(mb);
  }
  CHECK(fm.n && !strcmp(fm.v[0].id, "WD101"));
  CHECK_EQ_INT(sm.nchain, sf.nchain);
  wd_findings_free(&fm);
  wd_findings_free(&ff);
  wd_source_free(mem);
  for (uint32_t i = 0; i < n; i++) wd_file_close(&loaded[i]);
  wd_source_free(folder);
  return check_summary();
}
