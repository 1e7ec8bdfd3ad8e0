/*
 * webdoctor: catch, explain and fix the failures that leave WebAssembly web
 * exports stuck on "Loading...".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "common/i18n.h"
#include "wd_config.h"

typedef struct command {
  const char *name;
  int (*run)(wd_cli *, int, char **);
  const char *summary;
} command;

static const command commands[] = {
  {"inspect", wd_cmd_inspect, N_("show what a .wasm module is: sections, memory, imports, exports, dylink.0, features")},
  {"check", wd_cmd_check, N_("diagnose a Godot web export folder or a Godot project: findings, fixes ranked")},
  {"link", wd_cmd_link, N_("predict whether a main module and its side modules load, and each browser's exact error")},
  {"fix", wd_cmd_fix, N_("change a Godot project so its Web export loads: a diff first, --apply writes it safely")},
  {"serve", wd_cmd_serve, N_("serve an export folder with the right headers, and explain load failures in the page")},
  {"headers", wd_cmd_headers, N_("print or write the configuration a host needs for an export: COOP/COEP, wasm type, compression")},
  {"probe", wd_cmd_probe, N_("check a deployed export at its URL as a browser sees it: headers, types, encodings, sizes, link")},
};

static void vfail(const wd_cli *cli, const char *fmt, va_list ap) {
  fprintf(stderr, "%s: ", cli->prog);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

int wd_cli_fail(const wd_cli *cli, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(cli, fmt, ap);
  va_end(ap);
  return WD_EXIT_USAGE;
}

int wd_cli_usage_error(const wd_cli *cli, void (*usage)(FILE *), const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vfail(cli, fmt, ap);
  va_end(ap);
  usage(stderr);
  return WD_EXIT_USAGE;
}

int wd_cli_error(const wd_cli *cli, const wd_error *err) {
  char buf[1400];
  wd_error_format(err, buf, sizeof buf);
  wd_term t;
  wd_term_init(&t, stderr, cli->color);
  fprintf(stderr, "%s: %serror:%s %s\n", cli->prog, wd_term_style(&t, WD_STYLE_RED),
          wd_term_style(&t, WD_STYLE_RESET), buf);
  return WD_EXIT_USAGE;
}

bool wd_cli_parse_color(const char *arg, wd_color_mode *out) {
  if (!strcmp(arg, "auto")) *out = WD_COLOR_AUTO;
  else if (!strcmp(arg, "always")) *out = WD_COLOR_ALWAYS;
  else if (!strcmp(arg, "never")) *out = WD_COLOR_NEVER;
  else return false;
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

static void usage(FILE *out) {
  fprintf(out, _("Usage: webdoctor [OPTIONS] COMMAND [ARGS...]\n"
                 "\n"
                 "Catch, explain and fix what leaves WebAssembly web exports (Godot 4 and\n"
                 "other Emscripten builds) stuck on \"Loading...\".\n"
                 "\n"
                 "Commands:\n"));
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    fprintf(out, "  %-9s %s\n", commands[i].name, _(commands[i].summary));
  fprintf(out, _("\n"
                 "Options:\n"
                 "  --color=WHEN   color the output: auto (default), always, never;\n"
                 "                 NO_COLOR in the environment means never\n"
                 "  --lang=LANG    language of the messages: en or zh_CN (before or after\n"
                 "                 COMMAND); by default from LANGUAGE, LC_ALL, LC_MESSAGES, LANG\n"
                 "  -h, --help     show this help, or a command's with COMMAND --help\n"
                 "  -V, --version  show the version\n"
                 "\n"
                 "Exit status: 0 nothing wrong, 1 problems found, 2 bad input or usage.\n"
                 "See webdoctor(1) for details.\n"));
}

int main(int argc, char **argv) {
  wd_lang_init();
  wd_cli cli = {"webdoctor", WD_COLOR_AUTO};
  /* --lang goes before or after the command: take it out of argv */
  int kept = 1;
  for (int k = 1; k < argc; k++) {
    const char *lang;
    if (!strcmp(argv[k], "--")) {
      while (k < argc) argv[kept++] = argv[k++];
      break;
    } else if (!strncmp(argv[k], "--lang=", 7)) {
      lang = argv[k] + 7;
    } else if (!strcmp(argv[k], "--lang") && k + 1 < argc) {
      lang = argv[++k];
    } else if (!strcmp(argv[k], "--lang")) {
      return wd_cli_fail(&cli, "%s", _("--lang needs a language: en or zh_CN"));
    } else {
      argv[kept++] = argv[k];
      continue;
    }
    char available[256];
    if (!wd_lang_set(lang, available, sizeof available))
      return wd_cli_fail(&cli, _("no messages in language '%s' (available: %s)"), lang, available);
  }
  argc = kept;
  argv[argc] = NULL;
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (a[0] != '-') break;
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return WD_EXIT_OK;
    } else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
      printf("webdoctor %s\n", WD_VERSION_STRING);
      return WD_EXIT_OK;
    } else if (!strncmp(a, "--color=", 8)) {
      if (!wd_cli_parse_color(a + 8, &cli.color))
        return wd_cli_fail(&cli, _("--color takes auto, always or never, not '%s'"), a + 8);
    } else {
      wd_cli_fail(&cli, _("unknown option '%s'"), a);
      usage(stderr);
      return WD_EXIT_USAGE;
    }
  }
  if (i >= argc) {
    usage(stderr);
    return WD_EXIT_USAGE;
  }
  for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
    if (!strcmp(argv[i], commands[k].name)) return commands[k].run(&cli, argc - i, argv + i);
  if (!strcmp(argv[i], "help")) {
    if (i + 1 < argc) {
      char *sub[] = {argv[i + 1], "--help", NULL};
      for (size_t k = 0; k < sizeof commands / sizeof *commands; k++)
        if (!strcmp(argv[i + 1], commands[k].name)) return commands[k].run(&cli, 2, sub);
    }
    usage(stdout);
    return WD_EXIT_OK;
  }
  return wd_cli_fail(&cli, _("'%s' is not a webdoctor command; see 'webdoctor --help'"), argv[i]);
}
