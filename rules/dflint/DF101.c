/* DF101 HeavyBaseImage: the image the build produces runs on a full
 * distribution or language image although the catalog knows a lighter
 * variant of the same runtime (node:20 -> node:20-slim, node:20-alpine).
 * Only the final stage of the target counts: builder stages are thrown
 * away, so their size costs build time, not what is shipped. */
#include <stdio.h>
#include <string.h>

#include "dfa_common.h"

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

/* The blog's lesson: distroless is not automatically smaller than alpine
 * (gcr.io/distroless/nodejs20-debian12 is 181 MB on disk against 135 MB for
 * node:20-alpine). Say so when the catalog cannot show distroless smaller:
 * the figure is unknown or only an estimate, or it is not below alpine's. */
static void distroless_note(const dfl_catalog_entry *const *alts, size_t n,
                            size_t shown, char *buf, size_t len)
{
  const dfl_catalog_entry *dl = NULL, *al = NULL;
  for (size_t i = 0; i < n; i++) {
    if (alts[i]->kind == DFL_CAT_KIND_DISTROLESS && !dl)
      dl = alts[i];
    if (alts[i]->kind == DFL_CAT_KIND_ALPINE && !al)
      al = alts[i];
  }
  buf[0] = '\0';
  if (!dl || !al)
    return;
  char dref[256], aref[256], dsize[32], asize[32];
  df_entry_ref(dl, dref, sizeof dref);
  df_entry_ref(al, aref, sizeof aref);
  df_format_size(dl, dsize, sizeof dsize);
  df_format_size(al, asize, sizeof asize);
  bool dl_shown = false, al_shown = false;
  for (size_t i = 0; i < shown; i++) {
    dl_shown = dl_shown || alts[i] == dl;
    al_shown = al_shown || alts[i] == al;
  }
  /* Sizes already in the message are not repeated. */
  if (dl->size_amd64 >= 0 && al->size_amd64 >= 0 &&
      dl->size_amd64 >= al->size_amd64) {
    if (dl_shown && al_shown)
      snprintf(buf, len, "; the distroless image is not smaller than the "
               "alpine one");
    else
      snprintf(buf, len, "; %s (%s) is not smaller than %s (%s)", dref,
               dsize, aref, asize);
  } else if (dl->size_status != DFL_CAT_SIZE_SOURCED) {
    const char *why = dl->size_amd64 < 0 ? "not known" : "only an estimate";
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
  const dfl_catalog_entry *all[8], *alts[8];
  size_t nall = dfa_lighter(cat, e, all, 7), n = 0;
  /* Never a toolchain as the lighter image to ship on (golang:1.22-alpine
   * for golang:1.22): that advice is a build stage, DF102's and DF103's. */
  for (size_t i = 0; i < nall; i++)
    if (!dfa_is_toolchain(NULL, all[i]))
      alts[n++] = all[i];
  const dfl_catalog_entry *alp = distro_alpine(cat, e);
  for (size_t i = 0; alp && i < n; i++)
    if (alts[i]->kind == DFL_CAT_KIND_ALPINE)
      alp = NULL;
  if (alp)
    alts[n++] = alp;
  if (n == 0)
    return;
  size_t shown = n < 2 ? n : 2;
  /* Alpine for a Debian or Ubuntu image is another distribution. */
  bool same_runtime = true;
  for (size_t i = 0; i < shown; i++)
    same_runtime = same_runtime && alts[i] != alp;
  char cur[32], a0[320], a1[320] = "", note[640];
  df_format_size(e, cur, sizeof cur);
  dfa_ref_size(alts[0], a0, sizeof a0);
  if (shown > 1)
    dfa_ref_size(alts[1], a1, sizeof a1);
  distroless_note(alts, n, shown, note, sizeof note);
  const char *verb = same_runtime ? (shown > 1 ? "serve the same runtime"
                                               : "serves the same runtime")
                                  : (shown > 1 ? "are lighter bases"
                                               : "is a lighter base");
  const char *what =
      e->kind == DFL_CAT_KIND_SDK ? "a toolchain image" : "a full image";
  dfl_emit(ctx, st->from, dfa_from_image_range(st->from),
           "%s is %s (%s); %s%s%s %s%s", b.image, what, cur, a0,
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
};
