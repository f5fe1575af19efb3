/* Finding the configuration file for a Dockerfile (docs/configuration.md).
 * hadolint looks only in the working directory and the home directory, so a
 * file next to the Dockerfile, or at the top of the repository, is silently
 * not used; we walk from the Dockerfile up to the repository root first. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/config.h"

/* Searched in each directory from the Dockerfile's up to the repository
 * root: all of dflint's names first, then hadolint's, so a .dflint.yaml at
 * the top of a repository wins over a .hadolint.yaml beside the Dockerfile
 * (one file configures dflint; the other keeps serving hadolint). */
static const char *const project_files[][2] = {
  {".dflint.yaml", ".dflint.yml"},
  {".hadolint.yaml", ".hadolint.yml"},
};

/* Then the user's files, in this order. XDG is $XDG_CONFIG_HOME, else
 * $HOME/.config; the hadolint ones are where hadolint itself looks. */
typedef enum base { XDG, HOME } base;
static const struct {
  base base;
  const char *rel;
} user_files[] = {
  {XDG, "dflint/config.yaml"},      {XDG, "dflint/config.yml"},
  {XDG, "hadolint.yaml"},           {XDG, "hadolint.yml"},
  {HOME, ".hadolint/hadolint.yaml"}, {HOME, ".hadolint/hadolint.yml"},
  {HOME, ".hadolint/config.yaml"},  {HOME, ".hadolint/config.yml"},
  {HOME, ".hadolint.yaml"},         {HOME, ".hadolint.yml"},
};

/* Anything there counts, even a dangling link, a directory or a file we
 * may not read: loading it then fails with a message instead of the search
 * quietly moving on. A directory we may not search (EACCES) hides nothing we
 * could read: that is absence, so that `dflint` run as another user with
 * HOME still pointing at /root (CI containers started with --user) works. */
static bool present(const char *path)
{
  struct stat st;
  if (lstat(path, &st) == 0)
    return true;
  return errno != ENOENT && errno != ENOTDIR && errno != EACCES;
}

static char *join(const char *dir, const char *name)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s%s%s", dir,
                 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", name);
  return dfl_buf_take(&b);
}

/* The repository root holds .git: a directory, or a file in worktrees and
 * submodules. */
static bool is_repo_root(const char *dir)
{
  char *p = join(dir, ".git");
  bool r = present(p);
  free(p);
  return r;
}

/* Cuts the last component of an absolute path; false at "/". */
static bool up(char *dir)
{
  char *slash = strrchr(dir, '/');
  if (!slash || (slash == dir && dir[1] == '\0'))
    return false;
  if (slash == dir)
    slash[1] = '\0';
  else
    *slash = '\0';
  return true;
}

/* Which found file the .yml spelling beside it loses to. */
static char *shadow_of(const char *found)
{
  size_t n = strlen(found);
  if (n < 5 || strcmp(found + n - 5, ".yaml") != 0)
    return NULL;
  char *alt = dfl_xstrndup(found, n - 1);
  memcpy(alt + n - 5, ".yml", 5);
  if (present(alt))
    return alt;
  free(alt);
  return NULL;
}

static char *found(char *path, char **shadowed)
{
  if (shadowed)
    *shadowed = shadow_of(path);
  return path;
}

char *dfl_config_discover(const char *dir, char **shadowed)
{
  if (shadowed)
    *shadowed = NULL;
  char *start = realpath(dir && *dir ? dir : ".", NULL);
  if (!start) /* a path that is not there: check reports it; search from . */
    start = realpath(".", NULL);
  if (start) {
    for (size_t f = 0; f < sizeof project_files / sizeof project_files[0];
         f++) {
      char *d = dfl_xstrndup(start, strlen(start));
      for (;;) {
        for (size_t k = 0; k < 2; k++) {
          char *p = join(d, project_files[f][k]);
          if (present(p)) {
            free(d);
            free(start);
            return found(p, shadowed);
          }
          free(p);
        }
        if (is_repo_root(d) || !up(d))
          break;
      }
      free(d);
    }
    free(start);
  }
  const char *home = getenv("HOME");
  const char *xdg = getenv("XDG_CONFIG_HOME");
  char *xdg_default = NULL;
  /* The XDG spec: a relative $XDG_CONFIG_HOME is invalid and ignored. */
  if ((!xdg || xdg[0] != '/') && home && *home) {
    xdg_default = join(home, ".config");
    xdg = xdg_default;
  } else if (!xdg || xdg[0] != '/') {
    xdg = NULL;
  }
  char *result = NULL;
  for (size_t i = 0; i < sizeof user_files / sizeof user_files[0] && !result;
       i++) {
    const char *b = user_files[i].base == XDG ? xdg : home;
    if (!b || !*b)
      continue;
    char *p = join(b, user_files[i].rel);
    if (present(p))
      result = found(p, shadowed);
    else
      free(p);
  }
  free(xdg_default);
  return result;
}
