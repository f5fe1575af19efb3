/* DL3026 AllowedRegistry: images pulled from a registry that the
 * configuration's trustedRegistries does not list. Dormant without that
 * list, as in hadolint. Images are those of FROM, COPY --from=<image> and
 * RUN --mount=type=bind|cache,from=<image>. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dflint/config.h"
#include "dflint/lint.h"
#include "dflint/model.h"
#include "dflint/rule.h"
#include "hadolint/dlb_common.h"

/* "*" allows everything, "*.example.com" any host under example.com,
 * "registry*" a prefix; anything else names one registry. Host names are
 * case-insensitive. */
static bool pattern_matches(const char *pat, const char *host)
{
  size_t p = strlen(pat), h = strlen(host);
  if (strcmp(pat, "*") == 0)
    return true;
  if (p >= 2 && pat[0] == '*' && pat[1] == '.')
    return h >= p - 1 && strcasecmp(host + h - (p - 1), pat + 1) == 0;
  if (p >= 1 && pat[p - 1] == '*')
    return h >= p - 1 && strncasecmp(host, pat, p - 1) == 0;
  return strcasecmp(pat, host) == 0;
}

static bool trusted(const dfl_strlist *list, const char *host)
{
  for (size_t i = 0; i < list->n; i++)
    if (pattern_matches(list->items[i], host))
      return true;
  return false;
}

/* Docker's rule for where the registry part of a reference ends: the first
 * component is a host when it has a '.' or ':' or is localhost (or has
 * upper case, which a repository path cannot); else the image is on Docker
 * Hub. Writes the host into buf. */
static const char *registry_of(const char *img, char *buf, size_t n)
{
  const char *slash = strchr(img, '/');
  size_t len = slash ? (size_t)(slash - img) : 0;
  bool host = false;
  if (slash) {
    host = len == 9 && memcmp(img, "localhost", 9) == 0;
    for (size_t i = 0; i < len && !host; i++)
      if (img[i] == '.' || img[i] == ':' || isupper((unsigned char)img[i]))
        host = true;
  }
  if (!host || len >= n)
    return NULL; /* Docker Hub */
  memcpy(buf, img, len);
  buf[len] = '\0';
  if (strcmp(buf, "docker.io") == 0 || strcmp(buf, "index.docker.io") == 0 ||
      strcmp(buf, "registry-1.docker.io") == 0)
    return NULL;
  return buf;
}

static void judge(dfl_ctx *ctx, const dfl_instr *in, dfl_range at,
                  const char *img, size_t len, const char *what)
{
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  const dfl_strlist *list = &o->config->trusted_registries;
  char *s = dfl_xstrndup(img, len);
  char buf[256];
  const char *reg = registry_of(s, buf, sizeof buf);
  bool ok;
  if (reg)
    ok = trusted(list, reg);
  else
    ok = strcmp(s, "scratch") == 0 || trusted(list, "docker.io") ||
         trusted(list, "hub.docker.com") || trusted(list, "index.docker.io");
  if (!ok)
    dfl_emit(ctx, in, at,
             "%s \"%s\" comes from %s%s%s, which is not in "
             "trustedRegistries",
             what, s, reg ? "registry \"" : "Docker Hub", reg ? reg : "",
             reg ? "\"" : "");
  free(s);
}

/* A reference that names a stage (by name or index), or that has variables
 * whose value is not known here, is not an image to judge. */
static bool is_image_ref(const dfl_model *m, const char *v, size_t n)
{
  if (n == 0 || memchr(v, '$', n))
    return false;
  return dfl_model_find_stage(m, v, n) == NULL;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_lint_options *o = dfl_ctx_options(ctx);
  if (!o || !o->config || o->config->trusted_registries.n == 0)
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  if (in->kind == DFL_INSTR_FROM) {
    const dfl_stage *st = dfl_model_stage_of(m, in);
    /* The model resolved the base through the ARG defaults; a stage base,
     * scratch, or a base whose variables have no value is not judged. */
    if (!st || st->from != in || st->base_stage >= 0 || st->base_scratch ||
        st->base_unresolved || !st->base)
      return;
    judge(ctx, in, in->nargs ? in->args[0].range : in->range, st->base,
          strlen(st->base), "Base image");
  } else if (in->kind == DFL_INSTR_COPY) {
    const dfl_flag *f = dfl_instr_flag(in, "from");
    if (f && f->value && is_image_ref(m, f->value, f->value_len))
      judge(ctx, in, f->range, f->value, f->value_len, "COPY --from image");
  } else if (in->kind == DFL_INSTR_RUN) {
    size_t i = 0;
    dlb_mount mt;
    while (dlb_mount_next(ctx, in, &i, &mt))
      if (mt.from &&
          (strcmp(mt.type, "bind") == 0 || strcmp(mt.type, "cache") == 0) &&
          is_image_ref(m, mt.from, strlen(mt.from)))
        judge(ctx, in, mt.flag->range, mt.from, strlen(mt.from),
              "RUN --mount image");
  }
}

const dfl_rule dfl_rule_DL3026 = {
  .id = "DL3026",
  .name = "AllowedRegistry",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_ERROR,
  .category = "security",
  .summary = "Images must come from a registry listed in trustedRegistries",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3026",
  .on_instr = check,
};
