/*
 * webdoctor: catch, explain and fix the failures that leave WebAssembly web
 * exports stuck on "Loading...".
 */
#include <getopt.h>
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
  /* --lang goes before or after the command: take it out of argv (up to a
     "--", after which everything is the command's) */
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
      wd_cli_fail(&cli, _("option '%s' requires an argument"), "--lang");
      wd_cli_usage_hint(usage);
      return WD_EXIT_USAGE;
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
  /* the options before the command; --color also goes after it (every
     command takes it) */
  static const struct option longopts[] = {
    {"color", required_argument, NULL, 'c'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
  };
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, "+:hV", longopts, NULL)) != -1) {
    switch (c) {
    case 'h': usage(stdout); return WD_EXIT_OK;
    case 'V': printf("webdoctor %s\n", WD_VERSION_STRING); return WD_EXIT_OK;
    case 'c':
      if (!wd_cli_parse_color(optarg, &cli.color))
        return wd_cli_fail(&cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    default: {
      const char *arg = argv[optind - 1];
      if (c == ':') wd_cli_fail(&cli, _("option '%s' requires an argument"), arg);
      else if (optopt > 0 && optopt < 256 && strncmp(arg, "--", 2)) wd_cli_fail(&cli, _("unknown option '-%c'"), optopt);
      else wd_cli_fail(&cli, _("unknown option '%s'"), arg);
      wd_cli_usage_hint(usage);
      return WD_EXIT_USAGE;
    }
    }
  }
  int i = optind;
  if (i >= argc) {
    usage(stderr);
    return WD_EXIT_USAGE;
  }
  /* the command sees its own argv: argv[0] is its name */
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
