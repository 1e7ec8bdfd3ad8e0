/* webdoctor headers --host HOST [--dir DIR] [--threads|--no-threads] [--write] [--list] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/lang.h"
#include "webdoctor/text.h"
#include "common/i18n.h"
#include "webdoctor/headers.h"

static void headers_usage(FILE *out) {
  fprintf(out, "%s", _("Usage: webdoctor headers --host HOST [OPTIONS]\n"
                       "       webdoctor headers --list\n"
                       "\n"
                       "Print (or write into the export folder) the configuration HOST needs to serve a\n"
                       "Godot web export: COOP/COEP for threaded exports, application/wasm, precompressed\n"
                       "files, caching; a cross-origin-isolation service worker for hosts that cannot\n"
                       "send headers (GitHub Pages, GitLab Pages); step-by-step instructions for upload\n"
                       "sites (itch.io, Newgrounds).\n"
                       "\n"
                       "Options:\n"
                       "      --host HOST    nginx, apache, caddy, lighttpd, iis, netlify, cloudflare,\n"
                       "                     vercel, firebase, azure, cloudfront, github-pages,\n"
                       "                     gitlab-pages, itch, newgrounds (--list names them)\n"
                       "      --dir DIR      the export folder: read it (threads or not, file names,\n"
                       "                     sizes against the host's limits); --write writes there\n"
                       "      --threads      the export uses threads: send COOP/COEP\n"
                       "      --no-threads   the export does not use threads: no COOP/COEP\n"
                       "                     (default: read from --dir, else no threads)\n"
                       "      --write        write the files: through a temporary file and a rename,\n"
                       "                     merged with an existing file; what the host reads into DIR,\n"
                       "                     server configuration and the old versions (NAME.bak,\n"
                       "                     NAME.bak.1, ...) into DIR.webdoctor beside it, never\n"
                       "                     published\n"
                       "      --list         list the hosts\n"
                       "      --json         print JSON (schema webdoctor.headers/1, docs/json.md)\n"
                       "      --color=WHEN   auto, always or never\n"
                       "  -h, --help         show this help\n"
                       "\n"
                       "Exit status: 0 done, 2 bad input or usage (or a file could not be written).\n"));
}

/* --list --json: schema webdoctor.hosts/1 (docs/json.md) */
static cJSON *hosts_json(void) {
  cJSON *root = cJSON_CreateObject();
  if (!root) return NULL;
  cJSON_AddStringToObject(root, "schema", "webdoctor.hosts/1");
  wd_lang_json_root(root);
  cJSON *arr = cJSON_AddArrayToObject(root, "hosts");
  if (!arr) {
    cJSON_Delete(root);
    return NULL;
  }
  for (int i = 1; i < WD_HOST_COUNT; i++) {
    const wd_host_info *h = wd_host_get((wd_host)i);
    cJSON *o = cJSON_CreateObject();
    if (!o) break;
    cJSON_AddStringToObject(o, "key", h->key);
    cJSON_AddStringToObject(o, "name", h->name);
    cJSON_AddBoolToObject(o, "can_set_headers", h->can_set_headers);
    cJSON_AddStringToObject(o, "coop_coep", wd_headers_isolation_key(h->id));
    cJSON_AddStringToObject(o, "summary", wd_headers_isolation_summary(h->id));
    cJSON_AddItemToArray(arr, o);
  }
  return root;
}

static void list_hosts(const wd_term *t) {
  printf("%s", wd_term_style(t, WD_STYLE_BOLD));
  wd_text_pad(stdout, _("HOST"), 14);
  putchar(' ');
  wd_text_pad(stdout, _("NAME"), 24);
  printf(" %s%s\n", _("SENDS COOP/COEP"),
         wd_term_style(t, WD_STYLE_RESET));
  for (int i = 1; i < WD_HOST_COUNT; i++) {
    const wd_host_info *h = wd_host_get((wd_host)i);
    printf("%-14s %-24s %s\n", h->key, h->name, wd_headers_isolation_summary(h->id));
  }
}

static const char *threads_from_text(const wd_headers_plan *p, char *buf, size_t size) {
  switch (p->threads_from) {
  case WD_THREADS_FROM_OPTION: return _("as given");
  case WD_THREADS_FROM_ENGINE: return _("read from the engine .wasm");
  case WD_THREADS_FROM_SHELL: return _("read from the HTML shell");
  case WD_THREADS_DEFAULT: return _("assumed");
  case WD_THREADS_FROM_PRESET:
    snprintf(buf, size, _("read from the Web preset \"%s\""), p->preset ? p->preset : "");
    return buf;
  }
  return "";
}

static void print_note(const char *text, const wd_term *t) {
  printf("%s%s%s ", wd_term_style(t, WD_STYLE_YELLOW), _("note:"), wd_term_style(t, WD_STYLE_RESET));
  wd_text_wrap(stdout, text, 6, 6, 78);
}

static void print_plan(const wd_headers_plan *p, const wd_headers_report *w, const wd_term *t) {
  const wd_host_info *h = wd_host_get(p->host);
  char from[400];
  const char *src = threads_from_text(p, from, sizeof from);
  printf("%s%s%s: ", wd_term_style(t, WD_STYLE_BOLD), h->name, wd_term_style(t, WD_STYLE_RESET));
  if (p->threads && h->isolation == WD_ISOLATION_NONE)
    printf(_("threaded export (%s): %s cannot send the cross-origin isolation headers\n"), src, h->name);
  else if (p->threads)
    printf(_("threaded export (%s): COOP/COEP on\n"), src);
  else
    printf(_("export without threads (%s): no COOP/COEP\n"), src);
  for (uint32_t i = 0; i < p->nnotes; i++)
    if (!(w && !w->n && p->nothing_to_write && !strcmp(p->notes[i], p->nothing_to_write)))
      print_note(p->notes[i], t); /* why nothing is written: said once, below */
  if (w && !w->n) {
    /* said once, where the list of written files would be */
    const char *label = _("nothing to write:");
    printf("%s%s%s ", wd_term_style(t, WD_STYLE_GREEN), label, wd_term_style(t, WD_STYLE_RESET));
    wd_text_wrap(stdout, p->nothing_to_write ? p->nothing_to_write : _("the plan has no file"), 6,
                 wd_text_width(label) + 1, 78);
  }
  if (!w) {
    for (uint32_t i = 0; i < p->nfiles; i++) {
      const wd_headers_file *f = &p->files[i];
      printf("\n%s==> %s <==%s %s(%s)%s\n", wd_term_style(t, WD_STYLE_BOLD), f->name,
             wd_term_style(t, WD_STYLE_RESET), wd_term_style(t, WD_STYLE_DIM),
             f->merge == WD_MERGE_HTML_SCRIPT ? _("add as the first script of <head>") : f->where,
             wd_term_style(t, WD_STYLE_RESET));
      fputs(f->content, stdout);
    }
  } else if (w->n) {
    putchar('\n');
    for (uint32_t i = 0; i < w->n; i++) {
      const wd_headers_written *x = &w->v[i];
      const char *what = x->action == WD_WRITE_CREATED ? _("created")
                       : x->action == WD_WRITE_UPDATED ? _("updated") : _("unchanged");
      printf("%s", wd_term_style(t, WD_STYLE_GREEN));
      wd_text_pad(stdout, what, 9);
      printf("%s %s", wd_term_style(t, WD_STYLE_RESET), x->path);
      if (x->backup) printf(_(" (the previous version is in %s)"), x->backup);
      putchar('\n');
    }
    if (w->outside) {
      printf("%s%s%s ", wd_term_style(t, WD_STYLE_YELLOW), _("note:"), wd_term_style(t, WD_STYLE_RESET));
      const char *f = _("%s is beside the export folder, not in it: server configuration and backups "
                        "are kept there so that they are never published; do not deploy it");
      int len = snprintf(NULL, 0, f, w->outside);
      char *m = len > 0 ? malloc((size_t)len + 1) : NULL;
      if (m) {
        snprintf(m, (size_t)len + 1, f, w->outside);
        wd_text_wrap(stdout, m, 6, 6, 78);
      }
      free(m);
    }
  }
  if (p->nsteps) printf("\n%s%s%s\n", wd_term_style(t, WD_STYLE_BOLD), _("Steps:"), wd_term_style(t, WD_STYLE_RESET));
  for (uint32_t i = 0; i < p->nsteps; i++) {
    int n = printf("  %u. ", i + 1);
    wd_text_wrap(stdout, p->steps[i], n, n, 78);
  }
}

int wd_cmd_headers(wd_cli *cli, int argc, char **argv) {
  enum { OPT_HOST = 256, OPT_DIR, OPT_THREADS, OPT_NO_THREADS, OPT_WRITE, OPT_LIST, OPT_JSON, OPT_COLOR };
  static const struct option longopts[] = {
    {"host", required_argument, NULL, OPT_HOST},   {"dir", required_argument, NULL, OPT_DIR},
    {"threads", no_argument, NULL, OPT_THREADS},   {"no-threads", no_argument, NULL, OPT_NO_THREADS},
    {"write", no_argument, NULL, OPT_WRITE},       {"list", no_argument, NULL, OPT_LIST},
    {"json", no_argument, NULL, OPT_JSON},         {"color", required_argument, NULL, OPT_COLOR},
    {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0},
  };
  wd_headers_options o = {WD_HOST_UNKNOWN, -1, NULL};
  bool write = false, list = false, json = false, have_host = false;
  optind = 0;
  opterr = 0;
  int c;
  while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
    switch (c) {
    case OPT_HOST:
      if (!wd_cli_parse_host(cli, optarg, &o.host)) return WD_EXIT_USAGE;
      have_host = true;
      break;
    case OPT_DIR: o.dir = optarg; break;
    case OPT_THREADS:
    case OPT_NO_THREADS: {
      int v = c == OPT_THREADS;
      if (o.threads >= 0 && o.threads != v)
        return wd_cli_fail(cli, "%s", _("give --threads or --no-threads, not both"));
      o.threads = v;
      break;
    }
    case OPT_WRITE: write = true; break;
    case OPT_LIST: list = true; break;
    case OPT_JSON: json = true; break;
    case OPT_COLOR:
      if (!wd_cli_parse_color(optarg, &cli->color))
        return wd_cli_fail(cli, _("--color takes auto, always or never, not '%s'"), optarg);
      break;
    case 'h': headers_usage(stdout); return WD_EXIT_OK;
    default:
      return wd_cli_opt_error(cli, "headers", headers_usage, c, argv);
    }
  }
  if (optind != argc) {
    return wd_cli_usage_error(cli, headers_usage,
        _("headers: unexpected argument '%s' (the folder goes after --dir)"), argv[optind]);
  }
  wd_term t;
  wd_term_init(&t, stdout, cli->color);
  if (list && json) return wd_cli_put_json(cli, hosts_json()) && !fflush(stdout) ? WD_EXIT_OK : WD_EXIT_USAGE;
  if (list) {
    list_hosts(&t);
    return fflush(stdout) ? wd_cli_fail(cli, "%s", _("cannot write to standard output")) : WD_EXIT_OK;
  }
  if (!have_host) {
    return wd_cli_usage_error(cli, headers_usage,
        "%s", _("headers: give the host with --host HOST (--list names them)"));
  }
  if (write && !o.dir) return wd_cli_fail(cli, "%s", _("headers: --write needs the export folder: --dir DIR"));
  wd_headers_plan *p = NULL;
  wd_error err;
  wd_error_clear(&err);
  if (wd_headers_plan_make(&o, &p, &err) != WD_OK) return wd_cli_error(cli, &err);
  wd_headers_report rep = {0, NULL, NULL};
  int rc = WD_EXIT_OK;
  if (write && wd_headers_write(p, o.dir, &rep, &err) != WD_OK) rc = wd_cli_error(cli, &err);
  if (json) {
    if (!wd_cli_put_json(cli, wd_headers_plan_json(p, write ? &rep : NULL))) rc = WD_EXIT_USAGE;
  } else if (rc == WD_EXIT_OK) {
    print_plan(p, write ? &rep : NULL, &t);
  }
  wd_headers_report_free(&rep);
  wd_headers_plan_free(p);
  if (fflush(stdout) != 0) return wd_cli_fail(cli, "%s", _("cannot write to standard output"));
  return rc;
}
