/* InvalidBaseImagePlatform: the base image, as it would be pulled, is for
 * another OS or architecture than the platform its stage is built for (an
 * arm64-only image in an amd64 build).
 *
 * Only the registry knows what an image was built for, so this reports
 * under `dflint check --online` (include/dflint/images.h); offline it stays
 * silent. As in BuildKit (dockerfile2llb's validateBaseImagePlatform), the
 * image config's os and architecture are compared with the stage's
 * platform (FROM --platform expanded, else TARGETPLATFORM), the variant is
 * not, and both sides are printed as containerd's FormatAll after
 * Normalize. Only stages the target builds count: BuildKit resolves no
 * other base image.
 *
 * A multi-platform tag without an image for the platform is a failed build
 * in BuildKit ("no match for platform in manifest"); dflint reports it here
 * too, with the platforms the index does have in place of the pulled one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bk_common.h"
#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/images.h"
#include "dflint/lint.h"
#include "dflint/parse.h"
#include "dflint/platform.h"

static char *dup_or_empty(const char *s)
{
  return dfl_xstrndup(s ? s : "", s ? strlen(s) : 0);
}

/* The image's platform as BuildKit prints it; malloc'd. */
static char *pulled_platform(const dfl_base_image *img)
{
  if (img->platforms) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "[%s]", img->platforms);
    return dfl_buf_take(&b);
  }
  dfl_platform p;
  memset(&p, 0, sizeof p);
  p.os = dup_or_empty(img->os);
  p.arch = dup_or_empty(img->arch);
  p.variant = dup_or_empty(img->variant);
  p.os_version = dup_or_empty(NULL);
  dfl_platform_normalize(&p);
  char *s = dfl_platform_format_all(&p);
  dfl_platform_free(&p);
  return s;
}

static bool matches(const dfl_base_image *img, const char *expected)
{
  if (img->platforms)
    return false;
  if (!img->os || !img->arch || !*img->os || !*img->arch)
    return true; /* a config without a platform: nothing to compare */
  dfl_platform want, got;
  if (dfl_platform_parse(expected, strlen(expected), &want, NULL) != 0)
    return true;
  char buf[256];
  snprintf(buf, sizeof buf, "%s/%s", img->os, img->arch);
  bool same = true;
  if (dfl_platform_parse(buf, strlen(buf), &got, NULL) == 0) {
    same = strcmp(want.os, got.os) == 0 && strcmp(want.arch, got.arch) == 0;
    dfl_platform_free(&got);
  }
  dfl_platform_free(&want);
  return same;
}

static void on_stage(dfl_ctx *ctx, const bk_from_stage *fs,
                     const dfl_env *env, void *arg)
{
  (void)env;
  (void)arg;
  const dfl_stage *st = fs->st;
  if (fs->base_rc != 0 || fs->base.result_len == 0 || st->base_scratch ||
      st->base_stage >= 0 || !st->in_target)
    return;
  if (fs->has_platform && (fs->plat_rc != 0 || fs->plat.result_len == 0))
    return;
  char *expected = dfl_model_stage_platform(dfl_ctx_model(ctx), st);
  if (!expected)
    return;
  char *ref = dfl_xstrndup(fs->base.result, fs->base.result_len);
  const dfl_base_image *img = dfl_ctx_base_image(ctx, ref, expected);
  if (img && !matches(img, expected)) {
    char *actual = pulled_platform(img);
    dfl_buf qa, qe;
    dfl_buf_init(&qa);
    dfl_buf_init(&qe);
    dfl_go_quote(&qa, actual, strlen(actual));
    dfl_go_quote(&qe, expected, strlen(expected));
    dfl_emit(ctx, st->from, st->from->range,
             "Base image %s was pulled with platform %s, expected %s for "
             "current build",
             ref, dfl_buf_cstr(&qa), dfl_buf_cstr(&qe));
    dfl_buf_free(&qa);
    dfl_buf_free(&qe);
    free(actual);
  }
  free(ref);
  free(expected);
}

static void check(dfl_ctx *ctx)
{
  /* Offline nothing can be known: skip the walk. (The first pass of
   * --online has the recorder here, so every image is still asked for.) */
  if (!dfl_ctx_options(ctx)->images)
    return;
  bk_from_walk(ctx, on_stage, NULL);
}

const dfl_rule dfl_rule_InvalidBaseImagePlatform = {
  .id = "InvalidBaseImagePlatform",
  .name = "InvalidBaseImagePlatform",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Base image platform does not match expected target platform",
  /* BuildKit gives this rule no URL (docs.docker.com has no page for it),
   * and its lint output leaves the field out; dflint does the same. The
   * explanation is docs/rules/InvalidBaseImagePlatform.md. */
  .url = "",
  .on_finish = check,
  .prepass = true,
};
