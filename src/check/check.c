/* `webdoctor check` dispatch: a project folder or an export folder. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "check/check_int.h"
#include "common/i18n.h"

wd_status wd_check_dir(const char *dir, const wd_check_options *o, wd_findings *out,
                       wd_check_summary *summary, wd_error *err) {
  struct stat st;
  if (stat(dir, &st) != 0)
    return wd_error_set(err, WD_ERR_IO, _("cannot open '%s': %s"), dir, strerror(errno));
  if (!S_ISDIR(st.st_mode))
    return wd_error_set(err, WD_ERR_USAGE, _("'%s' is not a folder: give an export folder or a Godot project folder"),
                        dir);
  char path[4096];
  snprintf(path, sizeof path, "%s/project.godot", dir);
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) return wd_check_project_dir(dir, o, out, summary, err);
  return wd_check_export_dir(dir, o, out, summary, err);
}
