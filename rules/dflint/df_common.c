#include "df_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dflint/lint.h"

const dfl_catalog *df_catalog(const dfl_ctx *ctx)
{
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  return o && o->catalog ? o->catalog : dfl_catalog_builtin();
}

bool df_stage_base(const dfl_ctx *ctx, const dfl_stage *st, df_base *out)
{
  memset(out, 0, sizeof *out);
  out->stage = st;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *root = dfl_model_root_stage(m, st);
  out->root = root;
  if (!root)
    return false;
  out->scratch = root->base_scratch;
  if (!root->base || root->base_unresolved)
    return false;
  out->image = root->base;
  return dfl_catalog_lookup(df_catalog(ctx), root->base, &out->match, NULL) ==
         1;
}

const dfl_stage *df_final_stage(const dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  if (m->target < 0 || (size_t)m->target >= m->nstages)
    return NULL;
  return &m->stages[m->target];
}

void df_format_size(const dfl_catalog_entry *e, char *buf, size_t n)
{
  if (!e || e->size_amd64 < 0) {
    snprintf(buf, n, "unknown size");
    return;
  }
  double mb = (double)e->size_amd64 / 1e6;
  const char *approx = e->size_status == DFL_CAT_SIZE_ESTIMATED ? "~" : "";
  if (mb >= 10)
    snprintf(buf, n, "%s%.0f MB", approx, mb);
  else
    snprintf(buf, n, "%s%.1f MB", approx, mb);
}

void df_entry_ref(const dfl_catalog_entry *e, char *buf, size_t n)
{
  const char *repo = e->repository;
  if (strncmp(repo, "docker.io/library/", 18) == 0)
    repo += 18;
  else if (strncmp(repo, "docker.io/", 10) == 0)
    repo += 10;
  if (strcmp(e->tag, "*") == 0) {
    snprintf(buf, n, "%s", repo);
    return;
  }
  char tag[128];
  size_t k = 0;
  for (const char *t = e->tag; *t && k + 1 < sizeof tag; t++)
    if (*t != '*')
      tag[k++] = *t;
  tag[k] = '\0';
  /* A pattern such as "20*-alpine*" reads as "20-alpine". */
  snprintf(buf, n, "%s:%s", repo, tag);
}
