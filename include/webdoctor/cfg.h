/*
 * webdoctor: Godot's ConfigFile text format (project.godot,
 * export_presets.cfg, *.gdextension, .godot/extension_list.cfg, *.import,
 * *.remap), read so that it can be written back byte for byte.
 *
 * wd_cfg_parse() keeps a copy of the text and builds a model over it:
 * sections in file order, each with its `key=value` entries, and for every
 * entry the byte spans (offset, length, line, column) of its key, of its raw
 * value text and of the whole lines it occupies, plus a parsed value tree
 * (Godot Variant text: numbers, booleans, null, strings with escapes,
 * StringName &"x", NodePath ^"x", arrays, dictionaries, constructors such as
 * PackedStringArray("a"), Color(0, 0, 0, 1), Resource("res://x.tres"),
 * Object(Node, "name": "x"), typed Array[int]([1]) ...).
 *
 * Editing never rebuilds the file: wd_cfg_set_value() replaces exactly the
 * bytes of one value (or inserts one `key=value` line, or appends one
 * section) and copies every other byte unchanged, using the file's own line
 * ending. The edit functions return new text; the model is not changed.
 *
 * Errors name the file, the line and column (1-based; columns count UTF-8
 * characters, a tab is one) and what was expected:
 *   export_presets.cfg:12:7: expected '=' after key 'variant/thread_support'
 *
 * Ownership: the model, its strings and its copy of the text belong to the
 * wd_cfg and are released by wd_cfg_free(). Nothing here prints.
 */
#ifndef WEBDOCTOR_CFG_H
#define WEBDOCTOR_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "webdoctor/error.h"
#include "webdoctor/str.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hard limits: inputs beyond them fail with WD_ERR_LIMIT. */
#define WD_CFG_MAX_SIZE (64u * 1024u * 1024u) /* bytes of text */
#define WD_CFG_MAX_DEPTH 128u                 /* nesting of [ { ( */

/* Where something is in the text. */
typedef struct wd_cfg_span {
  uint32_t offset;  /* byte offset of the first byte */
  uint32_t length;  /* bytes */
  uint32_t line;    /* 1-based line of the first byte */
  uint32_t column;  /* 1-based column of the first byte, in characters */
} wd_cfg_span;

typedef enum wd_cfg_kind {
  WD_CFG_NULL = 0,    /* null (or nil) */
  WD_CFG_BOOL,        /* true, false */
  WD_CFG_INT,         /* 42, -7 (and 0x2a, which Godot itself does not read) */
  WD_CFG_FLOAT,       /* 1.5, 1e3, inf, -inf, inf_neg, nan */
  WD_CFG_STRING,      /* "text" */
  WD_CFG_STRING_NAME, /* &"name" (or the Godot 3 form @"name") */
  WD_CFG_NODE_PATH,   /* ^"path" */
  WD_CFG_COLOR,       /* #rrggbb literal */
  WD_CFG_ARRAY,       /* [a, b] */
  WD_CFG_DICT,        /* { k: v } */
  WD_CFG_CALL,        /* Name(args), Name[types](args): constructors */
  WD_CFG_IDENT        /* a bare identifier: only as a constructor argument
                         or type, e.g. the class in Object(Node, ...) */
} wd_cfg_kind;

typedef struct wd_cfg_value wd_cfg_value;
struct wd_cfg_value {
  wd_cfg_kind kind;
  wd_cfg_span span;       /* the value's text as written */
  bool boolean;           /* BOOL */
  int64_t integer;        /* INT (clamped to the int64 range) */
  bool hex;               /* INT written as 0x..: Godot itself rejects it */
  double number;          /* INT and FLOAT (approximate: not correctly rounded) */
  /* STRING, STRING_NAME, NODE_PATH: the unescaped UTF-8 text;
   * CALL, IDENT: the name; COLOR: the literal with its '#'.
   * Always NUL-terminated (text.ptr[text.len] == '\0'). */
  wd_str text;
  /* ARRAY: elements; DICT: values (keys[i] is the key of items[i]);
   * CALL: arguments (keys[i] is non-NULL for a `"key": value` argument,
   * as in Object(...)). keys is NULL for ARRAY. */
  uint32_t count;
  const wd_cfg_value **items;
  const wd_cfg_value **keys;
  /* CALL only: the bracketed types of Array[T](...) / Dictionary[K, V](...) */
  uint32_t ntypes;
  const wd_cfg_value **types;
};

typedef struct wd_cfg_entry {
  wd_str key;             /* unquoted and unescaped, NUL-terminated */
  bool quoted_key;        /* written as "key"=... */
  wd_cfg_span key_span;   /* the key as written (quotes included) */
  wd_cfg_span value_span; /* the raw value text (may span several lines) */
  wd_cfg_span line_span;  /* the whole lines of the entry: from the start of the
                             key's line through the line ending after the value
                             (a trailing ; comment included) */
  const wd_cfg_value *value;
  uint32_t section;       /* index in wd_cfg.sections */
  uint32_t index;         /* index in wd_cfg.entries */
} wd_cfg_entry;

typedef struct wd_cfg_section {
  wd_str name;            /* as written between [ and ], trimmed; "" for sections[0] */
  bool has_header;        /* false only for sections[0] */
  wd_cfg_span header_span;/* "[name]" (length 0 when there is no header) */
  uint32_t nentries;
  const wd_cfg_entry *entries; /* nentries entries, in file order */
  uint32_t first_entry;   /* index of entries[0] in wd_cfg.entries */
  uint32_t index;         /* index in wd_cfg.sections */
} wd_cfg_section;

/* Something Godot reads differently from what the text seems to say. The
 * parse still succeeds. Godot's ConfigFile treats only ';' as a comment:
 * a '#' line without '=' is joined to the next key (which is then lost),
 * and Godot does not read hexadecimal numbers. */
typedef struct wd_cfg_warning {
  uint32_t line, column;
  char msg[224];          /* lower case, no full stop, translated */
} wd_cfg_warning;

typedef struct wd_cfg {
  const char *path;       /* as given, or "" */
  const char *text;       /* a copy of the input, NUL-terminated */
  uint32_t len;
  uint32_t content_end;   /* where Godot stops reading: before a trailing run of
                             white space that holds a NUL byte (Godot's exports
                             end *.import files so), else len; edits that append
                             insert here */
  const char *eol;        /* the file's line ending: "\n" or "\r\n" (the first one seen) */
  bool has_bom;           /* starts with a UTF-8 byte order mark (kept on edits) */
  bool ends_with_eol;     /* the last byte is '\n' */
  /* sections[0] is always the unnamed section of the keys before the first
   * [header] (possibly empty); the others follow in file order. A name may
   * occur more than once: Godot merges such sections, and so do lookups. */
  uint32_t nsections;
  wd_cfg_section *sections;
  uint32_t nentries;      /* every entry of every section, in file order */
  wd_cfg_entry *entries;
  uint32_t nwarnings;
  wd_cfg_warning *warnings;
  void *internal;         /* arena */
} wd_cfg;

/* ---- reading ----------------------------------------------------------- */

/* Parse `len` bytes of text (copied: the caller may free its buffer).
 * path (may be NULL) names the file in errors and in cfg->path. On failure
 * *out is NULL and err says where and what was expected. */
wd_status wd_cfg_parse(const char *text, size_t len, const char *path, wd_cfg **out,
                       wd_error *err);

/* Read and parse a file ("-" is standard input). */
wd_status wd_cfg_open(const char *path, wd_cfg **out, wd_error *err);

void wd_cfg_free(wd_cfg *cfg);

/* ---- lookups ------------------------------------------------------------ */

/* The entry that takes effect for [section] key: the last one written, over
 * every section of that name ("" is the unnamed section). NULL if absent. */
const wd_cfg_entry *wd_cfg_find(const wd_cfg *cfg, const char *section, const char *key);
/* Its value, or NULL. */
const wd_cfg_value *wd_cfg_get(const wd_cfg *cfg, const char *section, const char *key);

/* The first section called `name` (NULL if none; "" gives sections[0]). */
const wd_cfg_section *wd_cfg_section_get(const wd_cfg *cfg, const char *name);
/* The last entry for `key` inside one section, or NULL. */
const wd_cfg_entry *wd_cfg_section_find(const wd_cfg_section *s, const char *key);

/* Iterate sections by name prefix: the index of the first section at or
 * after `from` whose name starts with `prefix`, or -1. With `one_level`,
 * the rest of the name must be non-empty and contain no '.', so "preset."
 * finds [preset.0] and [preset.1] but not [preset.0.options]:
 *   for (int64_t i = wd_cfg_next_section(c, "preset.", true, 0); i >= 0;
 *        i = wd_cfg_next_section(c, "preset.", true, (uint32_t)i + 1)) ...  */
int64_t wd_cfg_next_section(const wd_cfg *cfg, const char *prefix, bool one_level,
                            uint32_t from);

/* ---- values ------------------------------------------------------------- */

/* "null", "bool", "int", ... (stable, untranslated) */
const char *wd_cfg_kind_name(wd_cfg_kind kind);

/* true and *out set when v is a BOOL. v may be NULL (then false). */
bool wd_cfg_bool(const wd_cfg_value *v, bool *out);
/* The text of a STRING, STRING_NAME or NODE_PATH; NULL otherwise. */
const char *wd_cfg_string(const wd_cfg_value *v);
/* INT or FLOAT as a double. */
bool wd_cfg_number(const wd_cfg_value *v, double *out);
/* INT, or a FLOAT with an integral value in range. */
bool wd_cfg_int(const wd_cfg_value *v, int64_t *out);

/* Elements of a list-like value: an ARRAY; a CALL's arguments (for
 * PackedStringArray("a", "b") and the like); for a typed Array[T]([...])
 * the elements of the inner array. 0 / NULL for anything else. */
uint32_t wd_cfg_len(const wd_cfg_value *v);
const wd_cfg_value *wd_cfg_at(const wd_cfg_value *v, uint32_t i);
/* A DICT's (or typed Dictionary[K, V]({...})'s) value for a string key
 * (STRING or STRING_NAME), the last if repeated; NULL if absent. */
const wd_cfg_value *wd_cfg_dict_get(const wd_cfg_value *v, const char *key);

/* Shortcuts: the string / bool at [section] key, or `fallback` when the key
 * is absent or of another kind. */
const char *wd_cfg_get_string(const wd_cfg *cfg, const char *section, const char *key,
                              const char *fallback);
bool wd_cfg_get_bool(const wd_cfg *cfg, const char *section, const char *key, bool fallback);

/* ---- .godot/extension_list.cfg --------------------------------------- */

/* Despite its name, extension_list.cfg is not a ConfigFile: Godot
 * (GDExtensionManager::load_extensions) reads one path per line, trimmed of
 * white space, skipping blank lines. Fills up to `max` slices of `text`
 * (out may be NULL when max is 0) and returns how many paths there are. */
uint32_t wd_cfg_path_list(const char *text, size_t len, wd_str *out, uint32_t max);

/* ---- editing ------------------------------------------------------------ */

/* New file text with [section] key set to `value_text` (Godot value syntax,
 * e.g. "true", "\"res://shell.html\"", "Color(0, 0, 0, 1)"), which must be
 * one well-formed value (else WD_ERR_USAGE, saying why).
 *  - key present: exactly the bytes of its (last) value are replaced;
 *  - section present, key absent: `key=value` is inserted on its own line
 *    after the section's last entry (after its header if it has none);
 *  - section absent: a blank line, "[section]", a blank line and
 *    `key=value` are appended at the end of the file.
 * New lines use cfg->eol. A key that cannot be written bare (spaces, '=',
 * ';', '"', a leading '[' or '#') is written quoted. *out is malloc'ed and
 * NUL-terminated (free() it); *out_len excludes the NUL. */
wd_status wd_cfg_set_value(const wd_cfg *cfg, const char *section, const char *key,
                           const char *value_text, char **out, size_t *out_len,
                           wd_error *err);

/* New file text without [section] key: the whole lines of every entry for
 * it in every section of that name are removed. WD_ERR_USAGE if absent. */
wd_status wd_cfg_remove(const wd_cfg *cfg, const char *section, const char *key, char **out,
                        size_t *out_len, wd_error *err);

/* Check that `value_text` is exactly one well-formed value (for callers
 * that build values); WD_ERR_USAGE with the reason otherwise. */
wd_status wd_cfg_check_value(const char *value_text, wd_error *err);

/* A Godot string literal for UTF-8 text, as Godot writes one: in double
 * quotes, '"' and '\' escaped, other characters (newlines too) kept.
 * malloc'ed; NULL when out of memory. */
char *wd_cfg_quote(const char *text);

#ifdef __cplusplus
}
#endif
#endif
