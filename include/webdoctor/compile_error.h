/*
 * The CompileError a browser prints for a module that does not compile,
 * in each engine's words, for the classes whose texts were measured in the
 * engines themselves (tests/oracle/compile, docs/oracles.md): an empty
 * file, a cut header, a wrong magic number (an HTML page, gzip data) or
 * version, a section whose size runs past the end of the file or whose size
 * is cut, an unknown section id, function declarations with no code
 * section. For anything else, or an engine whose text for the class is not
 * known, there is no prediction: never a guess.
 */
#ifndef WD_COMPILE_ERROR_H
#define WD_COMPILE_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/link.h"

/* The text `e` prints for WebAssembly.instantiate(bytes) on data[0..len)
 * (e.constructor.name + ": " + e.message, as the console shows it), into
 * buf. `first_error` is the offset of the first problem the reader found
 * (UINT64_MAX when unknown): a framing problem after it is not what the
 * engine meets first, so nothing is predicted then. Returns false when
 * there is no prediction for this module and engine. */
bool wd_compile_error_text(const uint8_t *data, uint64_t len, uint64_t first_error, wd_engine e,
                           char *buf, size_t size);

/* Every browser engine with a prediction (and Node 20 when `node`), one
 * per line: "Chrome 156 (V8): text"; the number of lines (0: buf is ""). */
unsigned wd_compile_error_lines(const uint8_t *data, uint64_t len, uint64_t first_error, bool node, char *buf,
                                size_t size);

#endif
