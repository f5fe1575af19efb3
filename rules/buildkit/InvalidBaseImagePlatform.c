/* InvalidBaseImagePlatform: the base image BuildKit pulled is for another
 * OS/architecture than the one the stage is built for (e.g. an arm64-only
 * image in an amd64 build).
 *
 * This needs the image's config from a registry (its os/architecture), and
 * dflint has no base-image platform metadata yet. Until it has, the check
 * does nothing; the rule exists so that it can be selected, ignored and
 * documented like BuildKit's other rules. When metadata arrives: compare the
 * image's os and architecture with the stage's platform (--platform parsed
 * with dfl_platform_parse, else TARGETPLATFORM) and report
 *   Base image %s was pulled with platform %q, expected %q for current build
 * with both platforms formatted by dfl_platform_format_all after
 * dfl_platform_normalize. */
#include "dflint/rule.h"

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  (void)ctx;
  (void)in;
  /* Deliberately empty: no base-image platform metadata exists yet. */
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
  .on_instr = check,
};
