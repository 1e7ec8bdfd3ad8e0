/* webdoctor fix PROJECT */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "webdoctor/text.h"
#include "common/i18n.h"
#include "webdoctor/fix.h"

static void fix_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor fix [OPTIONS] PROJECT\n"
                       "\n"
                       "Change a Godot project so that its Web export loads: export_presets.cfg and the\n"
                       ".gdextension files. By default nothing is written: the changes are printed as a\n"
                       "unified diff. With --apply they are written, each file atomically with a .bak\n"
                       "copy, and `check` runs again.\n"
                       "\n"
                       "Options:\n"
                       "      --strategy S   nothreads: Thread Support off, extensions' builds without\n"
                       "                       threads (runs on any host);\n"
                       "                     threads: Thread Support on, threaded builds (needs\n"
                       "                       cross-origin isolation headers);\n"
                       "                     auto (default): nothreads when every extension has a build\n"
                       "                       without threads, else threads; says why\n"
                       "      --preset NAME  change only the Web preset of this name\n"
                       "      --host HOST    where the export will be served (itch, github-pages,\n"
                       "                     netlify, nginx...): with threads, a host that cannot send\n"
                       "                     headers gets Godot's PWA service worker to add them\n"
                       "      --apply        write the changes (default: a dry run)\n"
                       "      --json         print JSON (schema webdoctor.fix/1, docs/json.md)\n"
                       "      --color=WHEN   auto, always or never\n"
                       "  -h, --help         show this help\n"
                       "\n"
                       "Exit status: 0 nothing to do, or applied and `check` finds no errors;\n"
                       "1 changes pending (dry run) or problems left; 2 bad input, or a file that\n"
                       "cannot be parsed or written or changed since it was read (nothing more written).\n"));
}

static void print_diff(const char *d, const wd_term *t) {
  const char *p = d;
  while (*p) {
    const char *nl = strchr(p, '\n');
    size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
    wd_style st = WD_STYLE_RESET;
    if (!strncmp(p, "---", 3) || !strncmp(p, "+++", 3)) st = WD_STYLE_BOLD;
    else if (p[0] == '@') st = WD_STYLE_CYAN;
    else if (p[0] == '-') st = WD_STYLE_RED;
    else if (p[0] == '+') st = WD_STYLE_GREEN;
    if (st != WD_STYLE_RESET) fputs(wd_term_style(t, st), stdout);
    fwrite(p, 1, nl ? n - 1 : n, stdout);
    if (st != WD_STYLE_RESET) fputs(wd_term_style(t, WD_STYLE_RESET), stdout);
    if (nl) fputc('\n', stdout);
    p += n;
  }
}

/* Paragraph text, wrapped at 78 columns: the first line after `first`
 * spaces, the others after `rest`. */
static void print_wrapped2(const char *text, int first, int rest) {
  printf("%*s", first, "");
  wd_text_wrap(stdout, text, rest, first, 78);
}

static void print_wrapped(const char *text, int indent) {
  print_wrapped2(text, indent, indent);
}

int wd_cmd_fix(wd_cli *cli, int argc, char **argv) {
  enum { OPT_STRATEGY = 256, OPT_PRESET, OPT_HOST, OPT_APPLY, OPT_JSON, OPT_COLOR };
  static const struct option longopts[] = {
    {"strategy", required_argument, NULL, OPT_STRATEGY}, {"preset", required_argument, NULL, OPT_PRESET},
    {"host", required_argument, NULL, OPT_HOST},         {"apply", no_argument, NULL, OPT_APPLY},
    {"json", no_argument, NULL, OPT_JSON},               {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},                    {NULL, 0, NULL, 0},
  };
  wd_fix_options o = {0};
  bool apply = false, json = false;
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_STRATEGY:
      if (!wd_fix_strategy_parse(optarg, &o.strategy))
        return wd_cli_fail(cli, _("--strategy takes nothreads, threads or auto, not '%s'"), optarg);
      break;
    case OPT_PRESET: o.preset = optarg; break;
    case OPT_HOST:
      if (!wd_cli_parse_host(cli, optarg, &o.host)) return WD_EXIT_USAGE;
      break;
    case OPT_APPLY: apply = true; break;
    case OPT_JSON: json = true; break;
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color))
        return wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    case 'h': fix_usage(stdout); return WD_EXIT_OK;
    default:
      return wd_cli_opt_error(cli, "fix", fix_usage, c, argv);
    }
  }
  if (optind != argc - 1) {
    return wd_cli_usage_error(cli, fix_usage,
        "%s", optind >= argc ? _("fix: give the project folder") : _("fix: give one folder"));
  }
  const char *dir = argv[optind];
  wd_fix_plan *p = NULL;
  wd_error err;
  wd_error_clear(&err);
  if (wd_fix_plan_make(dir, &o, &p, &err) != WD_OK) return wd_cli_error(cli, &err);

  wd_term t;
  wd_term_init(&t, stdout, cli->color);
  const char *bold = wd_term_style(&t, WD_STYLE_BOLD), *reset = wd_term_style(&t, WD_STYLE_RESET);
  bool write_failed = false;
  wd_error werr;
  wd_error_clear(&werr);
  if (apply && p->nfiles && wd_fix_apply(p, &werr) != WD_OK) write_failed = true;

  if (!json) {
    printf(_("%s%s%s: strategy %s%s%s"), bold, dir, reset, bold, wd_fix_strategy_name(p->strategy), reset);
    if (p->npresets == 1) printf(_(", preset \"%s\""), p->presets[0]);
    else printf(P_(", %u Web preset", ", %u Web presets", p->npresets), p->npresets);
    putchar('\n');
    print_wrapped(p->reason, 2);
    putchar('\n');
    char *d = wd_fix_diff(p);
    if (!d) {
      wd_fix_plan_free(p);
      return wd_cli_fail(cli, "%s", _("out of memory"));
    }
    if (d[0]) {
      print_diff(d, &t);
      putchar('\n');
    }
    free(d);
    if (p->nfiles) printf("%s%s%s\n", bold, _("Why:"), reset);
    for (uint32_t i = 0; i < p->nfiles; i++)
      for (uint32_t k = 0; k < p->files[i].nchanges; k++) {
        const wd_fix_change *ch = &p->files[i].changes[k];
        char line[1024];
        snprintf(line, sizeof line, "%s [%s] %s: %s", p->files[i].rel, ch->section, ch->key, ch->why);
        print_wrapped2(line, 2, 4);
      }
    if (p->nfiles) putchar('\n');
    if (p->nmissing) {
      printf("%s%s%s\n", bold,
             p->strategy == WD_FIX_THREADS ? _("Extensions without a threaded build:")
                                           : _("Extensions without a build without threads:"),
             reset);
      for (uint32_t i = 0; i < p->nmissing; i++) print_wrapped(p->missing[i].advice, 2);
      putchar('\n');
    }
    if (p->nkept) {
      printf("%s%s%s\n", bold, _("Left as it is:"), reset);
      for (uint32_t i = 0; i < p->nkept; i++) print_wrapped(p->kept[i], 2);
      putchar('\n');
    }
    if (p->headers_advice) {
      printf("%s%s%s\n", bold, _("Headers:"), reset);
      print_wrapped(p->headers_advice, 2);
      if (p->headers_command) printf("    %s\n", p->headers_command);
      putchar('\n');
    }
    if (!p->nfiles) {
      printf("%s\n", _("nothing to change"));
    } else if (!apply) {
      printf(P_("%u file to change; nothing written (dry run): run again with --apply to write it\n",
                "%u files to change; nothing written (dry run): run again with --apply to write them\n", p->nfiles),
             p->nfiles);
    } else {
      for (uint32_t i = 0; i < p->nfiles; i++)
        if (!p->files[i].written) continue;
        else if (!p->files[i].backup || !strcmp(p->files[i].backup, ".bak"))
          printf(_("wrote %s (the original is in %s.bak)\n"), p->files[i].rel, p->files[i].rel);
        else
          /* TRANSLATORS: %1$s the file, %2$s its suffix ".bak.2"; .bak is never overwritten */
          printf(_("wrote %1$s (the version before this run is in %1$s%2$s; %1$s.bak, kept from the first "
                   "fix, is the original)\n"),
                 p->files[i].rel, p->files[i].backup);
    }
  }
  int rc;
  bool json_failed = false;
  if (write_failed) {
    if (json) {
      wd_cli_put_json(cli, wd_fix_json(p, true));
    }
    fflush(stdout);
    wd_fix_plan_free(p);
    return wd_cli_error(cli, &werr);
  }
  const wd_findings *now = p->checked_after ? &p->after : &p->before;
  uint32_t errors = wd_findings_count(now, WD_SEV_ERROR), warnings = wd_findings_count(now, WD_SEV_WARNING);
  if (json) {
    if (!wd_cli_put_json(cli, wd_fix_json(p, apply && p->nfiles))) json_failed = true;
  } else if (p->checked_after || !p->nfiles) {
    char es[64], ws[64];
    snprintf(es, sizeof es, P_("%u error", "%u errors", errors), errors);
    snprintf(ws, sizeof ws, P_("%u warning", "%u warnings", warnings), warnings);
    printf(p->checked_after ? _("check after the fix: %s, %s\n") : _("check: %s, %s\n"), es, ws);
    if (errors || warnings) {
      putchar('\n');
      wd_render_options ro = {dir, false, NULL};
      wd_findings_text(now, &ro, &t);
    }
  }
  if (p->nfiles && !apply) rc = WD_EXIT_PROBLEMS;
  else rc = errors || p->nmissing ? WD_EXIT_PROBLEMS : WD_EXIT_OK;
  if (json_failed) rc = WD_EXIT_USAGE;
  wd_fix_plan_free(p);
  if (fflush(stdout) != 0) return wd_cli_fail(cli, "%s", _("cannot write to standard output"));
  return rc;
}
