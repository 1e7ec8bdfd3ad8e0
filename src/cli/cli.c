/*
 * What every command shares: messages on stderr, option errors, --color and
 * --host values, JSON output, the exit status of a findings command.
 */
#define _GNU_SOURCE /* open_memstream */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/file.h"
#include "common/i18n.h"
#include "webdoctor/compile_error.h"
#include "wd_config.h"

/* The length of the valid UTF-8 sequence at p (1-4), or 0. */
static int utf8_len(const unsigned char *p) {
  int n = p[0] < 0x80 ? 1 : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : p[0] >= 0xE0 && p[0] < 0xF0 ? 3
        : p[0] >= 0xF0 && p[0] < 0xF5 ? 4 : 0;
  for (int k = 1; k < n; k++)
    if ((p[k] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0))) return 0;
  if (n == 4 && ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))) return 0;
  return n;
}

void wd_cli_put_escaped(FILE *out, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    int n = utf8_len(p);
    if (n == 1 && (*p < 0x20 || *p == 0x7f)) n = 0;
    if (n == 0) {
      fprintf(out, "\\x%02x", *p++);
    } else {
      fwrite(p, 1, (size_t)n, out);
      p += n;
    }
  }
}

static void vfail(const wd_cli *cli, const char *fmt, va_list ap) {
  char buf[2048];
  vsnprintf(buf, sizeof buf, fmt, ap);
  fprintf(stderr, "%s: ", cli->prog);
  wd_cli_put_escaped(stderr, buf);
  fputc('\n', stderr);
}

int wd_cli_fail(const wd_cli *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(cli, fmt, ap);
  va_end(ap);
  return WD_EXIT_USAGE;
}

/* The first line of a command's help ("Usage: webdoctor check [OPTIONS]
 * DIR") and where the rest is: a usage mistake gets this one line, not the
 * whole help. */
void wd_cli_usage_hint(void (*usage)(FILE *)) {
  char *text = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&text, &len);
  if (!m) return;
  usage(m);
  if (fclose(m) != 0 || !text) {
    free(text);
    return;
  }
  size_t n = strcspn(text, "\n");
  const char *cmd = strstr(text, "webdoctor ");
  int cn = 0;
  if (cmd && (size_t)(cmd - text) < n) {
    cmd += strlen("webdoctor ");
    while (cmd[cn] >= 'a' && cmd[cn] <= 'z') cn++;
  }
  if (cn > 0)
    /* TRANSLATORS: after the usage line; %.*s is the command, e.g. check */
    fprintf(stderr, _("%.*s  ('webdoctor %.*s --help' lists every option)\n"), (int)n, text, cn, cmd);
  else
    /* TRANSLATORS: after the usage line */
    fprintf(stderr, _("%.*s  ('webdoctor --help' lists every option)\n"), (int)n, text);
  free(text);
}

int wd_cli_usage_error(const wd_cli *cli, void (*usage)(FILE *), const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(cli, fmt, ap);
  va_end(ap);
  wd_cli_usage_hint(usage);
  return WD_EXIT_USAGE;
}

int wd_cli_opt_error(const wd_cli *cli, const char *cmd, void (*usage)(FILE *), int c, char **argv) {
  /* getopt_long leaves optind past the option it could not take; a short
   * option inside a cluster (-qx) is named by optopt */
  const char *arg = optind > 0 ? argv[optind - 1] : "";
  char name[200];
  if (optopt > 0 && optopt < 256 && strncmp(arg, "--", 2) != 0)
    snprintf(name, sizeof name, "-%c", optopt);
  else
    snprintf(name, sizeof name, "%.*s", (int)strcspn(arg, "="), arg);
  if (c == ':')
    return wd_cli_usage_error(cli, usage, _("%s: option '%s' requires an argument"), cmd, name);
  if (strchr(arg, '=') && !strncmp(arg, "--", 2))
    return wd_cli_usage_error(cli, usage, _("%s: option '%s' takes no value, or is not known"), cmd, name);
  return wd_cli_usage_error(cli, usage, _("%s: unknown option '%s'"), cmd, name);
}

int wd_cli_error(const wd_cli *cli, const wd_error *err) {
  char buf[1400];
  wd_error_format(err, buf, sizeof buf);
  wd_term t;
  wd_term_init(&t, stderr, cli->color);
  /* TRANSLATORS: the label before an error message, with the space that
     follows it (none after a full-width colon) */
  fprintf(stderr, "%s: %s%s%s", cli->prog, wd_term_style(&t, WD_STYLE_RED), _("error: "),
          wd_term_style(&t, WD_STYLE_RESET));
  wd_cli_put_escaped(stderr, buf);
  fputc('\n', stderr);
  return WD_EXIT_USAGE;
}

bool wd_cli_parse_color(const char *arg, wd_color_mode *out) {
  if (!strcmp(arg, "auto")) *out = WD_COLOR_AUTO;
  else if (!strcmp(arg, "always")) *out = WD_COLOR_ALWAYS;
  else if (!strcmp(arg, "never")) *out = WD_COLOR_NEVER;
  else return false;
  return true;
}

bool wd_cli_parse_threads(const wd_cli *cli, const char *cmd, const char *arg, uint32_t *out) {
  char *end;
  long v = strtol(arg, &end, 10);
  if (!*arg || *end || v < 1 || v > 64) {
    /* TRANSLATORS: the command (inspect, check), then the value given */
    wd_cli_fail(cli, _("%s: --threads takes a number from 1 to 64, not '%s'"), cmd, arg);
    return false;
  }
  *out = (uint32_t)v;
  return true;
}

bool wd_cli_parse_host(const wd_cli *cli, const char *arg, wd_host *out) {
  const char *suggest = NULL;
  if (wd_host_parse(arg, out, &suggest)) return true;
  if (suggest)
    wd_cli_fail(cli, _("unknown host '%s'; did you mean '%s'? (webdoctor headers --list)"), arg, suggest);
  else
    wd_cli_fail(cli, _("unknown host '%s' (webdoctor headers --list names them)"), arg);
  return false;
}

bool wd_cli_put_json(const wd_cli *cli, cJSON *j) {
  char *s = j ? cJSON_Print(j) : NULL;
  cJSON_Delete(j);
  if (!s) {
    wd_cli_fail(cli, "%s", _("out of memory while writing JSON"));
    return false;
  }
  bool ok = fputs(s, stdout) >= 0 && fputc('\n', stdout) != EOF;
  free(s);
  return ok;
}

int wd_cli_findings_exit(const wd_cli *cli, wd_findings *fs, bool strict) {
  uint32_t errors = wd_findings_count(fs, WD_SEV_ERROR), warnings = wd_findings_count(fs, WD_SEV_WARNING);
  wd_findings_free(fs);
  if (fflush(stdout) != 0) return wd_cli_fail(cli, "%s", _("cannot write to standard output"));
  return errors || (strict && warnings) ? WD_EXIT_PROBLEMS : WD_EXIT_OK;
}

void wd_cli_print_target(const wd_check_summary *sum, int threads) {
  printf("%s", sum->kind == WD_CHECKED_PROJECT ? _("Godot project") : _("web export"));
  /* TRANSLATORS: the next item of the heading line, e.g. the Godot version */
  if (sum->godot_version[0]) printf(_(", %s"), sum->godot_version);
  if (sum->kind == WD_CHECKED_EXPORT && sum->engine[0])
    printf(_(", engine %s (%s%s)"), sum->engine,
           threads == 1 ? _("threads") : threads == 0 ? _("no threads") : _("threads unknown"),
           sum->dlink ? _(", extensions support") : "");
  if (sum->kind == WD_CHECKED_PROJECT) printf(P_(", %u Web preset", ", %u Web presets", sum->npresets), sum->npresets);
  printf(P_(", %u GDExtension", ", %u GDExtensions", sum->nextensions), sum->nextensions);
}


void wd_cli_compile_errors(const char *path, const wd_error *rerr) {
  if (rerr->code != WD_ERR_MALFORMED || !path || !path[0]) return;
  wd_file f;
  wd_error err;
  wd_error_clear(&err);
  if (wd_file_load(path, &f, 0, &err) != WD_OK) return;
  char lines[4096];
  if (wd_compile_error_lines(f.data, f.size, rerr->has_offset ? rerr->offset : UINT64_MAX, true, lines, sizeof lines)) {
    for (const char *p = lines; *p;) {
      size_t n = strcspn(p, "\n");
      fprintf(stderr, "    %.*s\n", (int)n, p);
      p += n + (p[n] == '\n');
    }
  }
  wd_file_close(&f);
}

int wd_cli_in_build_tree(void) {
  char exe[PATH_MAX], bin[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0 || !realpath(WD_BINARY_DIR, bin)) return -1;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (slash) *slash = '\0';
  return strcmp(exe, bin) == 0;
}
