/*
 * The section reader on hand-assembled modules: every section kind, limits
 * flag combinations, dylink.0 subsections, and malformed inputs with the
 * exact message and offset.
 */
#include <stdlib.h>

#include "check.h"
#include "webdoctor/wasm.h"

typedef struct bytes {
  uint8_t b[4096];
  size_t n;
} bytes;

static void put(bytes *v, const uint8_t *p, size_t n) {
  memcpy(v->b + v->n, p, n);
  v->n += n;
}
static void put1(bytes *v, uint8_t x) { v->b[v->n++] = x; }
static void putu(bytes *v, uint32_t x) {
  do {
    uint8_t b = x & 0x7f;
    x >>= 7;
    put1(v, b | (x ? 0x80 : 0));
  } while (x);
}
static void putname(bytes *v, const char *s) {
  putu(v, (uint32_t)strlen(s));
  put(v, (const uint8_t *)s, strlen(s));
}
static void header(bytes *v) {
  v->n = 0;
  put(v, (const uint8_t *)"\0asm\1\0\0\0", 8);
}
static void section(bytes *v, uint8_t id, const bytes *payload) {
  put1(v, id);
  putu(v, (uint32_t)payload->n);
  put(v, payload->b, payload->n);
}

#define P(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

static wd_module *parse_ok(const bytes *v) {
  wd_error err;
  wd_error_clear(&err);
  wd_module *m = NULL;
  wd_status s = wd_module_parse(v->b, v->n, NULL, &m, &err);
  if (s) {
    char buf[1024];
    wd_error_format(&err, buf, sizeof buf);
    fprintf(stderr, "unexpected parse error: %s\n", buf);
  }
  CHECK(s == WD_OK);
  return m;
}

/* Parse, expect failure; return the formatted message. */
static const char *parse_fail(const bytes *v) {
  static char buf[1024];
  wd_error err;
  wd_error_clear(&err);
  wd_module *m = NULL;
  wd_status s = wd_module_parse(v->b, v->n, NULL, &m, &err);
  CHECK(s != WD_OK);
  CHECK(m == NULL);
  wd_error_format(&err, buf, sizeof buf);
  return buf;
}

/* A type section with (i32) -> i32 and () -> nil. */
static void types(bytes *v) {
  bytes p = {.n = 0};
  putu(&p, 2);
  put(&p, P(0x60, 1, 0x7f, 1, 0x7f));
  put(&p, P(0x60, 0, 0));
  section(v, 1, &p);
}

/* A module with the two types and one import from "env" whose field name
   and description are the given raw bytes. */
static void module_with_one_import(bytes *v, const uint8_t *field_and_desc, size_t n) {
  header(v);
  types(v);
  bytes imp = {.n = 0};
  putu(&imp, 1);
  putname(&imp, "env");
  put(&imp, field_and_desc, n);
  section(v, 2, &imp);
}

static void test_side_module_shape(void) {
  bytes v;
  header(&v);
  /* dylink.0: mem info 16 bytes align 4, needed libB.so, import info weak */
  bytes d = {.n = 0}, sub = {.n = 0};
  putname(&d, "dylink.0");
  putu(&sub, 16); putu(&sub, 4); putu(&sub, 2); putu(&sub, 0);
  put1(&d, 1); putu(&d, (uint32_t)sub.n); put(&d, sub.b, sub.n);
  sub.n = 0;
  putu(&sub, 1); putname(&sub, "libB.so");
  put1(&d, 2); putu(&d, (uint32_t)sub.n); put(&d, sub.b, sub.n);
  sub.n = 0;
  putu(&sub, 1); putname(&sub, "env"); putname(&sub, "maybe"); putu(&sub, 1);
  put1(&d, 4); putu(&d, (uint32_t)sub.n); put(&d, sub.b, sub.n);
  section(&v, 0, &d);
  types(&v);
  bytes imp = {.n = 0};
  putu(&imp, 5);
  putname(&imp, "env"); putname(&imp, "f"); put(&imp, P(0x00, 0x00));
  putname(&imp, "env"); putname(&imp, "__memory_base"); put(&imp, P(0x03, 0x7f, 0x00));
  putname(&imp, "env"); putname(&imp, "__stack_pointer"); put(&imp, P(0x03, 0x7f, 0x01));
  putname(&imp, "env"); putname(&imp, "memory"); put(&imp, P(0x02, 0x03, 0x01, 0x80, 0x80, 0x04));
  putname(&imp, "env"); putname(&imp, "__indirect_function_table"); put(&imp, P(0x01, 0x70, 0x00, 0x02));
  section(&v, 2, &imp);
  bytes fn = {.n = 0};
  putu(&fn, 1); putu(&fn, 1);
  section(&v, 3, &fn);
  bytes ex = {.n = 0};
  putu(&ex, 1); putname(&ex, "side_fn"); put(&ex, P(0x00, 0x01));
  section(&v, 7, &ex);
  bytes code = {.n = 0};
  putu(&code, 1); put(&code, P(0x02, 0x00, 0x0b));
  section(&v, 10, &code);

  wd_module *m = parse_ok(&v);
  if (!m) return;
  CHECK_EQ_INT(m->nimports, 5);
  CHECK_EQ_INT(m->nimported_funcs, 1);
  CHECK_EQ_INT(m->nfuncs, 2);
  CHECK_EQ_INT(m->nimported_globals, 2);
  CHECK_EQ_INT(m->nmemories, 1);
  const wd_import *mi;
  const wd_limits *mem = wd_module_memory0(m, &mi);
  CHECK(mem && mem->shared && mem->has_max);
  CHECK_EQ_INT(mem->min, 1);
  CHECK_EQ_INT(mem->max, 65536);
  CHECK(mi && wd_str_eq(mi->name, "memory"));
  CHECK_EQ_INT(mi - m->imports, 3); /* V8's "Import #3" */
  CHECK(m->dylink.present && !m->dylink.legacy);
  CHECK_EQ_INT(m->dylink.mem_size, 16);
  CHECK_EQ_INT(m->dylink.mem_align, 4);
  CHECK_EQ_INT(m->dylink.table_size, 2);
  CHECK_EQ_INT(m->dylink.nneeded, 1);
  CHECK(m->dylink.nneeded == 1 && wd_str_eq(m->dylink.needed[0], "libB.so"));
  CHECK_EQ_INT(m->dylink.nimport_info, 1);
  CHECK(m->dylink.nimport_info == 1 && (m->dylink.import_info[0].flags & WD_SYM_BINDING_WEAK));
  CHECK_EQ_INT(wd_module_role_of(m), WD_ROLE_SIDE);
  CHECK(m->features & (1u << WD_FEAT_THREADS));
  CHECK(m->features & (1u << WD_FEAT_MUTABLE_GLOBALS));
  CHECK_EQ_INT(m->table_types[0].limits.min, 2);
  CHECK(!m->table_types[0].limits.has_max);
  const wd_export *e = wd_module_find_export(m, "side_fn", 7);
  CHECK(e && e->kind == WD_EXTERN_FUNC && e->index == 1);
  char buf[128];
  wd_functype_str(wd_module_func_type(m, 1), buf, sizeof buf);
  CHECK_EQ_STR(buf, "() -> nil");
  wd_functype_str(wd_module_func_type(m, 0), buf, sizeof buf);
  CHECK_EQ_STR(buf, "(i32) -> i32");
  CHECK_EQ_INT(m->nsections, 6);
  wd_module_free(m);
}

static void test_limits_flags(void) {
  /* every memory limits flag combination */
  struct { uint8_t bytes[12]; size_t n; int ok; int shared, has_max, is64; } cases[] = {
    {{0x00, 0x01}, 2, 1, 0, 0, 0},
    {{0x01, 0x01, 0x02}, 3, 1, 0, 1, 0},
    {{0x02, 0x01}, 2, 0, 0, 0, 0},          /* shared without maximum */
    {{0x03, 0x01, 0x02}, 3, 1, 1, 1, 0},
    {{0x04, 0x01}, 2, 1, 0, 0, 1},
    {{0x05, 0x01, 0x02}, 3, 1, 0, 1, 1},
    {{0x07, 0x01, 0x02}, 3, 1, 1, 1, 1},
    {{0x09, 0x01, 0x02, 0x10}, 4, 1, 0, 1, 0}, /* custom page size 2^16 */
    {{0x10, 0x01}, 2, 0, 0, 0, 0},          /* unknown flag */
    {{0x81, 0x01, 0x02}, 3, 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    bytes v;
    header(&v);
    bytes mem = {.n = 0};
    putu(&mem, 1);
    put(&mem, cases[i].bytes, cases[i].n);
    section(&v, 5, &mem);
    if (cases[i].ok) {
      wd_module *m = parse_ok(&v);
      if (!m) continue;
      CHECK_EQ_INT(m->memories[0].shared, cases[i].shared);
      CHECK_EQ_INT(m->memories[0].has_max, cases[i].has_max);
      CHECK_EQ_INT(m->memories[0].is64, cases[i].is64);
      wd_module_free(m);
    } else {
      const char *msg = parse_fail(&v);
      CHECK(strstr(msg, "memory section, offset 0xb:") != NULL);
      CHECK(strstr(msg, cases[i].bytes[0] == 0x02 ? "shared memory must have a maximum"
                                                   : "malformed limits flags") != NULL);
    }
  }
  /* maximum below initial */
  bytes v;
  header(&v);
  bytes mem = {.n = 0};
  putu(&mem, 1);
  put(&mem, P(0x01, 0x05, 0x02));
  section(&v, 5, &mem);
  CHECK_CONTAINS(parse_fail(&v), "maximum 2 is less than initial 5");
}

static void test_malformed(void) {
  bytes v;
  /* not wasm at all: an HTML page */
  v.n = 0;
  put(&v, (const uint8_t *)"<!DOCTYPE html>", 15);
  CHECK_CONTAINS(parse_fail(&v), "offset 0x0: expected magic number 00 61 73 6d, found 3c 21 44 4f: this looks like an HTML");
  v.n = 0;
  put(&v, P(0x1f, 0x8b, 0x08, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "gzip");
  v.n = 0;
  CHECK_CONTAINS(parse_fail(&v), "empty file");
  header(&v);
  v.b[4] = 2;
  CHECK_CONTAINS(parse_fail(&v), "unsupported version 2");

  /* section size lies: runs past the end */
  header(&v);
  put(&v, P(0x01, 0x10, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "offset 0x8: type section size 16 runs past the end of the file (1 bytes left)");
  /* section size lies: too big for its contents */
  header(&v);
  put(&v, P(0x01, 0x02, 0x00, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "type section, offset 0xb: section size mismatch: 1 unread bytes");
  /* section size lies: too small */
  header(&v);
  put(&v, P(0x01, 0x02, 0x01, 0x60, 0x00, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "type section, offset 0xc: unexpected end of section while reading parameter count");
  /* overlong LEB128 for the section size */
  header(&v);
  put(&v, P(0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "offset 0x9: section size: integer representation too long");
  /* unterminated LEB128 at the end of the file */
  header(&v);
  put(&v, P(0x01, 0x80, 0x80));
  CHECK_CONTAINS(parse_fail(&v), "offset 0x9: unexpected end of file while reading section size");
  /* unknown section id */
  header(&v);
  put(&v, P(0x0e, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "unknown section id 14");
  /* order and duplicates */
  header(&v);
  put(&v, P(0x03, 0x01, 0x00, 0x01, 0x01, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "type section must come before the function section");
  header(&v);
  put(&v, P(0x01, 0x01, 0x00, 0x01, 0x01, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "duplicate type section");
  /* DataCount goes between Element and Code; Tag between Memory and Global */
  header(&v);
  put(&v, P(0x0d, 0x01, 0x00, 0x06, 0x01, 0x00, 0x0c, 0x01, 0x00));
  {
    wd_module *m = parse_ok(&v);
    wd_module_free(m);
  }
  header(&v);
  put(&v, P(0x06, 0x01, 0x00, 0x0d, 0x01, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "tag section must come before the global section");

  /* invalid UTF-8 in an import name (overlong encoding of '/') */
  module_with_one_import(&v, P(0x02, 0xc0, 0xaf, 0x00, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "import section, offset 0x1b: import field name is not valid UTF-8");
  /* a lone surrogate */
  module_with_one_import(&v, P(0x03, 0xed, 0xa0, 0x80, 0x00, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "not valid UTF-8");
  /* a bad import kind */
  module_with_one_import(&v, P(0x01, 'x', 0x05, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "import 0: malformed import kind 0x05");
  /* a type index out of range */
  module_with_one_import(&v, P(0x01, 'x', 0x00, 0x07));
  CHECK_CONTAINS(parse_fail(&v), "type index 7 out of range (2 types)");
  /* a count larger than the bytes could hold */
  header(&v);
  put(&v, P(0x02, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f));
  CHECK_CONTAINS(parse_fail(&v), "import count 4294967295 is larger than the 0 bytes left could hold");
  /* function and code counts disagree */
  header(&v);
  types(&v);
  put(&v, P(0x03, 0x02, 0x01, 0x01));
  CHECK_CONTAINS(parse_fail(&v), "declares 1 functions but there is no code section");
  header(&v);
  types(&v);
  put(&v, P(0x03, 0x02, 0x01, 0x01, 0x0a, 0x01, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "the code section has 0 function bodies but the function section declares 1 functions");
  /* a body that overruns the section */
  header(&v);
  types(&v);
  put(&v, P(0x03, 0x02, 0x01, 0x01, 0x0a, 0x04, 0x01, 0x09, 0x00, 0x0b));
  CHECK_CONTAINS(parse_fail(&v), "code section, function 0, offset 0x1a: function body of 9 bytes runs past the end of the code section (2 bytes left)");
  /* data count disagrees */
  header(&v);
  put(&v, P(0x0c, 0x01, 0x02, 0x0b, 0x01, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "the data section has 0 segments but the data count section says 2");
  /* element segment flags */
  header(&v);
  put(&v, P(0x09, 0x02, 0x01, 0x08));
  CHECK_CONTAINS(parse_fail(&v), "element segment 0: malformed flags 8");
  /* a valtype that does not exist */
  header(&v);
  put(&v, P(0x01, 0x05, 0x01, 0x60, 0x01, 0x55, 0x00));
  CHECK_CONTAINS(parse_fail(&v), "parameter type: invalid value type 0x55");
}

static void test_custom_sections_warn(void) {
  /* A broken dylink.0 and a broken name section do not reject the module. */
  bytes v;
  header(&v);
  bytes d = {.n = 0};
  putname(&d, "dylink.0");
  put(&d, P(0x01, 0x09, 0x10)); /* subsection runs past */
  section(&v, 0, &d);
  d.n = 0;
  putname(&d, "name");
  put(&d, P(0x01, 0x03, 0x01, 0x00, 0x05)); /* name length 5, no bytes */
  section(&v, 0, &d);
  d.n = 0;
  putname(&d, "producers");
  putu(&d, 1);
  putname(&d, "processed-by");
  putu(&d, 1);
  putname(&d, "Emscripten");
  putname(&d, "3.1.64");
  section(&v, 0, &d);
  wd_module *m = parse_ok(&v);
  if (!m) return;
  CHECK_EQ_INT(m->nwarnings, 2);
  if (m->nwarnings == 2) {
    CHECK_EQ_STR(m->warnings[0].where, "dylink.0");
    char *msg = wd_msg_str(&m->warnings[0].msg, true);
    CHECK_CONTAINS(msg ? msg : "", "dylink.0 subsection of 9 bytes runs past");
    free(msg);
    CHECK_EQ_STR(m->warnings[1].where, "name");
  }
  CHECK_EQ_INT(m->nproducers, 1);
  CHECK(m->nproducers == 1 && wd_str_eq(m->producers[0].values[0].version, "3.1.64"));
  CHECK_EQ_INT(m->nsections, 3);
  wd_module_free(m);
  /* A custom section whose name is not UTF-8 does reject the module */
  header(&v);
  d.n = 0;
  put(&d, P(0x02, 0xff, 0xfe));
  section(&v, 0, &d);
  CHECK_CONTAINS(parse_fail(&v), "custom section name is not valid UTF-8");
}

int main(void) {
  test_side_module_shape();
  test_limits_flags();
  test_malformed();
  test_custom_sections_warn();
  return check_summary();
}
