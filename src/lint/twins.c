/* The one table of hadolint/BuildKit twins and how the default selection
 * picks a side of each pair. The DL twins are marked off_by_default in
 * their own files; this table is what turns them on instead of their
 * BuildKit twin when the user works in hadolint's terms. */
#include "lint/twins.h"

#include <pthread.h>
#include <string.h>

#include "dflint/config.h"
#include "lint/engine.h"

/* hadolint's rule, and BuildKit's check that reports the same thing. A
 * BuildKit check may have several DL twins that share its findings out
 * (CMD, ENTRYPOINT and HEALTHCHECK repeated). */
static const struct {
  const char *dl;
  const char *bk;
} twins[] = {
  {"DL3000", "WorkdirRelativePath"},
  {"DL3024", "DuplicateStageName"},
  {"DL3025", "JSONArgsRecommended"},
  {"DL3029", "FromPlatformFlagConstDisallowed"},
  {"DL3063", "ReservedStageName"},
  {"DL3064", "SecretsUsedInArgOrEnv"},
  {"DL3065", "RedundantTargetPlatform"},
  {"DL4000", "MaintainerDeprecated"},
  {"DL4003", "MultipleInstructionsDisallowed"},
  {"DL4004", "MultipleInstructionsDisallowed"},
  {"DL3012", "MultipleInstructionsDisallowed"},
};
#define NTWINS (sizeof twins / sizeof twins[0])

static long rule_index(const char *id)
{
  for (size_t i = 0; i < dfl_nrules; i++)
    if (strcmp(dfl_rules[i]->id, id) == 0)
      return (long)i;
  return -1;
}

/* The registry indexes of each pair, looked up once per process: every
 * linted file asks for them. */
static long bk_index[NTWINS], dl_index[NTWINS];
static pthread_once_t indexes_once = PTHREAD_ONCE_INIT;

static void find_indexes(void)
{
  for (size_t i = 0; i < NTWINS; i++) {
    bk_index[i] = rule_index(twins[i].bk);
    dl_index[i] = rule_index(twins[i].dl);
  }
}

static long twin_bk(size_t i)
{
  pthread_once(&indexes_once, find_indexes);
  return bk_index[i];
}

static long twin_dl(size_t i)
{
  pthread_once(&indexes_once, find_indexes);
  return dl_index[i];
}

static bool names(const char *s, const dfl_rule *r)
{
  return strcmp(s, r->id) == 0 || strcmp(s, r->name) == 0;
}

/* Named by id or name anywhere the user states rules. */
static bool named(const dfl_lint_options *o, const dfl_rule *r)
{
  for (size_t i = 0; i < o->sel.nselect; i++)
    if (names(o->sel.select[i], r))
      return true;
  for (size_t i = 0; i < o->sel.nignore; i++)
    if (names(o->sel.ignore[i], r))
      return true;
  for (size_t i = 0; i < o->noverrides; i++)
    if (names(o->override_ids[i], r))
      return true;
  return false;
}

/* Ignored by id or name (--ignore, ignored:, or severity none). */
static bool ignored_by_name(const dfl_lint_options *o, const dfl_rule *r)
{
  for (size_t i = 0; i < o->sel.nignore; i++)
    if (names(o->sel.ignore[i], r))
      return true;
  for (size_t i = 0; i < o->noverrides; i++)
    if (names(o->override_ids[i], r) && o->override_sev[i] == DFL_SEV_NONE)
      return true;
  return false;
}

static bool ignored(const dfl_lint_options *o, const dfl_rule *r)
{
  for (size_t i = 0; i < o->sel.nignore; i++)
    if (dfl_selector_matches(o->sel.ignore[i], r))
      return true;
  return false;
}

/* hadolint's own file names: .hadolint.yaml/.yml, hadolint.yaml/.yml under
 * the XDG directory, and anything in ~/.hadolint/. */
static bool hadolint_file(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  static const char *const files[] = {".hadolint.yaml", ".hadolint.yml",
                                      "hadolint.yaml", "hadolint.yml"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    if (strcmp(base, files[i]) == 0)
      return true;
  const char *dir = strstr(path, ".hadolint/");
  return dir && (dir == path || dir[-1] == '/') &&
         !strchr(dir + strlen(".hadolint/"), '/');
}

bool dfl_twins_hadolint_mode(const dfl_lint_options *o)
{
  if (o->config && o->config->path && hadolint_file(o->config->path))
    return true;
  for (size_t i = 0; i < o->sel.nselect; i++)
    if (strncmp(o->sel.select[i], "DL", 2) == 0 ||
        strcmp(o->sel.select[i], "hadolint") == 0)
      return true;
  return false;
}

void dfl_twins_apply(const dfl_lint_options *o, bool *on)
{
  bool hadolint = dfl_twins_hadolint_mode(o);
  bool default_sel = o->sel.nselect == 0;
  for (size_t g = 0; g < NTWINS; g++) {
    /* Each BuildKit check once, with all of its DL twins. */
    bool seen = false;
    for (size_t k = 0; k < g && !seen; k++)
      seen = strcmp(twins[k].bk, twins[g].bk) == 0;
    if (seen)
      continue;
    long bk = twin_bk(g);
    long dl[NTWINS];
    size_t ndl = 0;
    bool complete = bk >= 0;
    for (size_t k = g; k < NTWINS; k++)
      if (strcmp(twins[k].bk, twins[g].bk) == 0) {
        long d = twin_dl(k);
        if (d < 0)
          complete = false; /* a twin not written yet: leave the group */
        dl[ndl++] = d;
      }
    if (!complete)
      continue;
    bool named_bk = named(o, dfl_rules[bk]);
    bool named_dl = false;
    for (size_t k = 0; k < ndl; k++)
      named_dl = named_dl || named(o, dfl_rules[dl[k]]);
    if (named_bk && named_dl)
      continue;
    bool use_dl = named_dl || (!named_bk && hadolint);
    if (use_dl) {
      bool covered = true;
      for (size_t k = 0; k < ndl; k++) {
        const dfl_rule *r = dfl_rules[dl[k]];
        if (default_sel && !ignored(o, r))
          on[dl[k]] = true;
        covered = covered && (on[dl[k]] || ignored_by_name(o, r));
      }
      if (covered)
        on[bk] = false;
    } else {
      bool covered = on[bk] || ignored_by_name(o, dfl_rules[bk]);
      for (size_t k = 0; k < ndl && covered; k++)
        on[dl[k]] = false;
    }
  }
}

bool dfl_twins_related(const char *id, const dfl_rule *r)
{
  if (!r)
    return false;
  for (size_t i = 0; i < NTWINS; i++) {
    if (strcmp(r->id, twins[i].bk) == 0) {
      long d = twin_dl(i);
      if (d >= 0 && names(id, dfl_rules[d]))
        return true;
    } else if (strcmp(r->id, twins[i].dl) == 0) {
      long b = twin_bk(i);
      if (b >= 0 && names(id, dfl_rules[b]))
        return true;
    }
  }
  return false;
}
