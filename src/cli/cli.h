/*
 * The command line: argument parsing and rendering only. Every decision a
 * test could want to check lives in the library.
 */
#ifndef WD_CLI_H
#define WD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "webdoctor/error.h"
#include <cjson/cJSON.h>

#include "webdoctor/check.h"
#include "webdoctor/report.h"
#include "webdoctor/term.h"

/* Exit codes, the same for every subcommand (documented in webdoctor(1)). */
enum {
  WD_EXIT_OK = 0,       /* success; nothing wrong found */
  WD_EXIT_PROBLEMS = 1, /* it ran, and found problems (errors) */
  WD_EXIT_USAGE = 2     /* bad input or bad usage */
};

typedef struct wd_cli {
  const char *prog;       /* "webdoctor" */
  wd_color_mode color;
} wd_cli;

/* s with every control character and every byte that is not UTF-8 written
   as \xNN (file names come from the user and the disk: no terminal escape
   sequence, no broken line gets through). */
void wd_cli_put_escaped(FILE *out, const char *s);
/* "webdoctor: <message>" on stderr (escaped as above); returns WD_EXIT_USAGE. */
int wd_cli_fail(const wd_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A usage mistake: the message, then the usage line of the command, on stderr;
   returns WD_EXIT_USAGE. */
int wd_cli_usage_error(const wd_cli *cli, void (*usage)(FILE *), const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The first line of a command's help and how to see the rest, on stderr. */
void wd_cli_usage_hint(void (*usage)(FILE *));
/* getopt_long returned c ('?' or ':', with ":" leading the optstring): say
   which option of command `cmd` was unknown or lacks its value, then the
   usage hint; returns WD_EXIT_USAGE. */
int wd_cli_opt_error(const wd_cli *cli, const char *cmd, void (*usage)(FILE *), int c, char **argv);
/* Print a library error (file, section, offset...) on stderr. */
int wd_cli_error(const wd_cli *cli, const wd_error *err);
/* After the reader's error on module `path`: the CompileError each engine
   prints for it (the measured texts only), indented, on stderr. */
void wd_cli_compile_errors(const char *path, const wd_error *rerr);
/* Parse --color=WHEN; returns false for a bad value. */
bool wd_cli_parse_color(const char *arg, wd_color_mode *out);
/* Parse --host HOST; an unknown name is reported on stderr (with the nearest
   known name, if one is close) and false returned: exit WD_EXIT_USAGE. */
bool wd_cli_parse_host(const wd_cli *cli, const char *arg, wd_host *out);
/* Parse --threads N (1 to 64) for command `cmd`; a bad value is reported
   on stderr and false returned: exit WD_EXIT_USAGE. */
bool wd_cli_parse_threads(const wd_cli *cli, const char *cmd, const char *arg, uint32_t *out);

/* Print a JSON document on stdout, one newline after it, and delete it.
   NULL (a failed allocation upstream) is reported on stderr; returns false
   then or when printing fails. */
bool wd_cli_put_json(const wd_cli *cli, cJSON *j);

/* The facts of a heading line after "DIR: " (no newline): what was checked
   (web export, Godot project), the Godot version, the engine and its thread
   support (`threads`: 1, 0, -1 unknown), the Web presets, the GDExtensions. */
void wd_cli_print_target(const wd_check_summary *sum, int threads);

/* The output formats of the commands that report findings (check, probe). */
typedef enum { WD_OUT_TEXT, WD_OUT_JSON, WD_OUT_SARIF, WD_OUT_GITHUB } wd_out_format;

/* The end of a findings command: count errors and warnings, free the
   findings, flush stdout; WD_EXIT_PROBLEMS on errors (or on warnings with
   --strict), WD_EXIT_USAGE when stdout cannot be written. */
int wd_cli_findings_exit(const wd_cli *cli, wd_findings *fs, bool strict);

/* Whether this program is the build tree's binary, which reads the build's
 * catalogues and web app: 1 yes, 0 no (an installed one), -1 unknown (no
 * /proc). */
int wd_cli_in_build_tree(void);

int wd_cmd_inspect(wd_cli *cli, int argc, char **argv);
int wd_cmd_link(wd_cli *cli, int argc, char **argv);
int wd_cmd_check(wd_cli *cli, int argc, char **argv);
int wd_cmd_fix(wd_cli *cli, int argc, char **argv);
int wd_cmd_serve(wd_cli *cli, int argc, char **argv);
int wd_cmd_headers(wd_cli *cli, int argc, char **argv);
int wd_cmd_probe(wd_cli *cli, int argc, char **argv);


#endif
