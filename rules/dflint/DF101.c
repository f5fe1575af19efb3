/* DF101 HeavyBaseImage: the image the build produces runs on a full
 * distribution or language image although the catalog knows a lighter
 * variant of the same runtime (node:20 -> node:20-slim, node:20-alpine).
 * Only the final stage of the target counts: builder stages are thrown
 * away, so their size costs build time, not what is shipped.
 *
 * Sizes come from the catalog; under `dflint check --online` the registry's
 * figures for the tag and the stage's platform replace them, and an
 * alternative the registry shows no smaller than the current image is
 * dropped (no advice at all when none is left). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfa_common.h"
#include "dflint/images.h"

/* Distribution images (debian, ubuntu) have no lighter row of their own
 * runtime besides -slim: Alpine is the lighter distribution to name. */
static const dfl_catalog_entry *distro_alpine(const dfl_catalog *cat,
                                              const dfl_catalog_entry *e)
{
  size_t n = strcspn(e->runtime, " ");
  if (!((n == 6 && strncmp(e->runtime, "debian", 6) == 0) ||
        (n == 6 && strncmp(e->runtime, "ubuntu", 6) == 0)))
    return NULL;
  dfl_catalog_match m;
  if (dfl_catalog_lookup(cat, "alpine:latest", &m, NULL) != 1)
    return NULL;
  return m.entry;
}

/* An image with the size the message uses: the registry's figure for the
 * stage's platform under --online when it answered, else the catalog's. */
typedef struct sized {
  const dfl_catalog_entry *e;
  int64_t bytes;  /* -1 unknown */
  bool estimated; /* a catalog estimate */
  bool registry;  /* the figure came from the registry (or its cache) */
} sized;

static sized size_of(const dfl_ctx *ctx, const dfl_catalog_entry *e,
                     const char *ref, const char *platform)
{
  sized z = {e, e->size_amd64, e->size_status == DFL_CAT_SIZE_ESTIMATED,
             false};
  /* Ask whether or not an answer is expected: the recording pass of
   * --online learns every image this way (include/dflint/images.h). */
  const dfl_base_image *img =
      ref && !strchr(ref, '*') ? dfl_ctx_base_image(ctx, ref, platform) : NULL;
  if (img && img->compressed_bytes >= 0 && !img->platforms) {
    z.bytes = img->compressed_bytes;
    z.estimated = false;
    z.registry = true;
  }
  return z;
}

static void format_sized(const sized *z, char *buf, size_t n)
{
  if (z->bytes < 0) {
    snprintf(buf, n, "unknown size");
    return;
  }
  double mb = (double)z->bytes / 1e6;
  const char *approx = z->estimated ? "~" : "";
  if (mb >= 10)
    snprintf(buf, n, "%s%.0f MB", approx, mb);
  else if (mb >= 1)
    snprintf(buf, n, "%s%.1f MB", approx, mb);
  else /* small images (busybox-sized) from a registry */
    snprintf(buf, n, "%s%.0f kB", approx, mb * 1000 < 1 ? 1 : mb * 1000);
}

static void ref_sized(const sized *z, char *buf, size_t n)
{
  char ref[256], size[32];
  df_entry_ref(z->e, ref, sizeof ref);
  format_sized(z, size, sizeof size);
  snprintf(buf, n, "%s (%s)", ref, size);
}

/* The blog's lesson: distroless is not automatically smaller than alpine
 * (gcr.io/distroless/nodejs20-debian12 is 181 MB on disk against 135 MB for
 * node:20-alpine). Say so when the figures cannot show distroless smaller:
 * the figure is unknown or only an estimate, or it is not below alpine's. */
static void distroless_note(const sized *alts, size_t n, size_t shown,
                            char *buf, size_t len)
{
  const sized *dl = NULL, *al = NULL;
  for (size_t i = 0; i < n; i++) {
    if (alts[i].e->kind == DFL_CAT_KIND_DISTROLESS && !dl)
      dl = &alts[i];
    if (alts[i].e->kind == DFL_CAT_KIND_ALPINE && !al)
      al = &alts[i];
  }
  buf[0] = '\0';
  if (!dl || !al)
    return;
  char dref[256], aref[256], dsize[32], asize[32];
  df_entry_ref(dl->e, dref, sizeof dref);
  df_entry_ref(al->e, aref, sizeof aref);
  format_sized(dl, dsize, sizeof dsize);
  format_sized(al, asize, sizeof asize);
  bool dl_shown = (size_t)(dl - alts) < shown;
  bool al_shown = (size_t)(al - alts) < shown;
  /* Sizes already in the message are not repeated. */
  if (dl->bytes >= 0 && al->bytes >= 0 && dl->bytes >= al->bytes) {
    if (dl_shown && al_shown)
      snprintf(buf, len, "; the distroless image is not smaller than the "
               "alpine one");
    else
      snprintf(buf, len, "; %s (%s) is not smaller than %s (%s)", dref,
               dsize, aref, asize);
  } else if (dl->bytes < 0 || dl->estimated) {
    const char *why = dl->bytes < 0 ? "not known" : "only an estimate";
    if (dl_shown)
      snprintf(buf, len, "; the distroless size is %s, and distroless "
               "images can be larger than alpine ones", why);
    else
      snprintf(buf, len,
               "; %s (%s) is no sure gain: its size is %s, and distroless "
               "images can be larger than alpine ones",
               dref, dsize, why);
  }
}

/* No tag, or "latest" (a digest says nothing about the tag). */
static bool is_latest(const char *image)
{
  dfl_image_ref r;
  if (dfl_image_ref_parse(image, strlen(image), &r, NULL) != 0)
    return false;
  bool latest = !r.digest && (!r.tag || strcmp(r.tag, "latest") == 0);
  dfl_image_ref_free(&r);
  return latest;
}

static void check(dfl_ctx *ctx)
{
  const dfl_stage *st = df_final_stage(ctx);
  if (!st)
    return;
  df_base b;
  if (!df_stage_base(ctx, st, &b) || b.scratch)
    return;
  const dfl_catalog_entry *e = b.match.entry;
  /* A toolchain shipped by a multi-stage build is DF103's finding, with the
   * same runtime images as advice. */
  if (dfa_is_toolchain(NULL, e) && dfa_multi_stage(dfl_ctx_model(ctx), st))
    return;
  /* Runtime-only images (a JRE, ASP.NET) are already the runtime variant
   * a full or SDK image is told to move to. */
  if (e->kind != DFL_CAT_KIND_FULL && e->kind != DFL_CAT_KIND_SDK)
    return;
  /* A row for a whole repository ("*") does not know the version: its
   * versionless siblings (node:slim) are the right advice only for latest. */
  if (e->tag[0] == '*' && !is_latest(b.image))
    return;
  const dfl_catalog *cat = df_catalog(ctx);
  const dfl_catalog_entry *all[8], *cands[8];
  size_t nall = dfa_lighter(cat, e, all, 7), ncands = 0;
  /* Never a toolchain as the lighter image to ship on (golang:1.22-alpine
   * for golang:1.22): that advice is a build stage, DF102's and DF103's. */
  for (size_t i = 0; i < nall; i++)
    if (!dfa_is_toolchain(NULL, all[i]))
      cands[ncands++] = all[i];
  const dfl_catalog_entry *alp = distro_alpine(cat, e);
  for (size_t i = 0; alp && i < ncands; i++)
    if (cands[i]->kind == DFL_CAT_KIND_ALPINE)
      alp = NULL;
  if (alp)
    cands[ncands++] = alp;

  char *platform = dfl_model_stage_platform(dfl_ctx_model(ctx), b.root);
  const char *plat = platform ? platform : "linux/amd64";
  sized cur = size_of(ctx, e, b.image, plat);
  sized alts[8];
  size_t n = 0;
  for (size_t i = 0; i < ncands; i++) {
    char ref[256];
    df_entry_ref(cands[i], ref, sizeof ref);
    sized z = size_of(ctx, cands[i], ref, plat);
    /* Exact figures from the registry overrule the catalog's kinds: an
     * alternative that is not smaller for this tag and platform is no
     * advice. */
    if (cur.registry && z.registry && z.bytes >= cur.bytes)
      continue;
    alts[n++] = z;
  }
  free(platform);
  if (n == 0)
    return;
  size_t shown = n < 2 ? n : 2;
  /* Alpine for a Debian or Ubuntu image is another distribution. */
  bool same_runtime = true;
  for (size_t i = 0; i < shown; i++)
    same_runtime = same_runtime && alts[i].e != alp;
  char size[32], a0[320], a1[320] = "", note[640];
  format_sized(&cur, size, sizeof size);
  ref_sized(&alts[0], a0, sizeof a0);
  if (shown > 1)
    ref_sized(&alts[1], a1, sizeof a1);
  distroless_note(alts, n, shown, note, sizeof note);
  const char *verb = same_runtime ? (shown > 1 ? "serve the same runtime"
                                               : "serves the same runtime")
                                  : (shown > 1 ? "are lighter bases"
                                               : "is a lighter base");
  const char *what =
      e->kind == DFL_CAT_KIND_SDK ? "a toolchain image" : "a full image";
  dfl_emit(ctx, st->from, dfa_from_image_range(st->from),
           "%s is %s (%s); %s%s%s %s%s", b.image, what, size, a0,
           shown > 1 ? " or " : "", a1, verb, note);
}

const dfl_rule dfl_rule_DF101 = {
  .id = "DF101",
  .name = "HeavyBaseImage",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_WARNING,
  .category = "image-size",
  .summary = "The final image runs on a full image although a lighter "
             "variant of the same runtime exists",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF101.md",
  .on_finish = check,
  .prepass = true,
};
