/* DF103 ToolchainInFinalStage: a multi-stage build whose final stage still
 * runs on a compiler or SDK image. The build already has stages, so the
 * toolchain is almost always there by accident (the last FROM copied from
 * the builder's); it ships hundreds of MB of compilers and headers, and
 * their vulnerabilities, with the application. A single-stage build (the
 * target and the stages its FROM names, nothing copied in from elsewhere)
 * is DF102's (NoMultiStageBuild) business. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dfa_common.h"

/* The normalized repository of an image reference (malloc'd), or NULL. */
static char *repository_of(const char *image)
{
  dfl_image_ref r;
  if (dfl_image_ref_parse(image, strlen(image), &r, NULL) != 0)
    return NULL;
  char *name = dfl_image_ref_name(&r);
  dfl_image_ref_free(&r);
  return name;
}

/* A catalog row by reference, shown with its size ("unknown size" when the
 * catalog does not have it). */
static void named(const dfl_catalog *cat, const char *ref, char *buf, size_t n)
{
  dfl_catalog_match m;
  if (dfl_catalog_lookup(cat, ref, &m, NULL) == 1) {
    char size[32];
    df_format_size(m.entry, size, sizeof size);
    snprintf(buf, n, "%s (%s)", ref, size);
  } else {
    snprintf(buf, n, "%s", ref);
  }
}

/* Where the build output should run instead, by toolchain. */
static void suggestion(const dfl_catalog *cat, const dfl_catalog_entry *e,
                       const char *repo, char *buf, size_t n)
{
  char a[320], b[320];
  if (e) {
    char fl[32];
    dfa_flavour(e, fl, sizeof fl);
    if (strcmp(fl, "jdk") == 0 || strcmp(fl, "sdk") == 0) {
      /* A JRE for a JDK, aspnet or runtime for the .NET SDK. */
      const dfl_catalog_entry *alts[8], *ok[2];
      size_t na = dfa_lighter(cat, e, alts, 8), k = 0;
      for (size_t i = 0; i < na && k < 2; i++) {
        char af[32];
        dfa_flavour(alts[i], af, sizeof af);
        if (strcmp(af, "jdk") != 0 && strcmp(af, "sdk") != 0)
          ok[k++] = alts[i];
      }
      if (k) {
        dfa_ref_size(ok[0], a, sizeof a);
        if (k > 1)
          dfa_ref_size(ok[1], b, sizeof b);
        snprintf(buf, n, " such as %s%s%s", a, k > 1 ? " or " : "",
                 k > 1 ? b : "");
        return;
      }
    }
  }
  if (repo && strcmp(repo, "docker.io/library/golang") == 0) {
    named(cat, "gcr.io/distroless/static-debian12", a, sizeof a);
    named(cat, "gcr.io/distroless/base-debian12", b, sizeof b);
    snprintf(buf, n, " such as %s for a static binary, or %s with cgo", a, b);
  } else if (repo && (strcmp(repo, "docker.io/library/rust") == 0 ||
                      strcmp(repo, "docker.io/library/gcc") == 0)) {
    named(cat, "gcr.io/distroless/cc-debian12", a, sizeof a);
    named(cat, "debian:12-slim", b, sizeof b);
    snprintf(buf, n, " such as %s or %s", a, b);
  } else {
    snprintf(buf, n, " (a slim, distroless or static image)");
  }
}

/* Whether the tag written in image names a Java runtime-only variant (a
 * "jre" part: 24.0.2_12-jre, 21-jre-alpine). The catalog's whole-repository
 * row guesses "JDK" for tags it does not list (a non-LTS release, or any tag
 * behind a digest, whose row cannot be told), and a JRE has no compiler. */
static bool jre_tag(const char *image)
{
  dfl_image_ref r;
  if (dfl_image_ref_parse(image, strlen(image), &r, NULL) != 0)
    return false;
  bool jre = false;
  for (const char *p = r.tag; p && *p && !jre;) {
    size_t n = strcspn(p, "-_.");
    jre = n == 3 && strncmp(p, "jre", 3) == 0;
    p += n;
    if (*p)
      p++;
  }
  dfl_image_ref_free(&r);
  return jre;
}

/* Commands whose image is the toolchain itself: `CMD ["mvn"]` on a JDK is
 * the Maven image, `CMD ["jshell"]` a JDK image. There the compiler is the
 * product, not a leftover of the build. */
static bool toolchain_command(const dfl_instr *in)
{
  if (in->nargs == 0)
    return false;
  const char *w = in->args[0].value;
  size_t n = in->args[0].len;
  if (!in->json) /* shell form: the first word of the command line */
    n = strcspn(w, " \t\n");
  const char *slash = memchr(w, '/', n);
  while (slash) {
    n -= (size_t)(slash + 1 - w);
    w = slash + 1;
    slash = memchr(w, '/', n);
  }
  static const char *const tools[] = {
    "mvn", "mvnw", "gradle", "gradlew", "sbt", "lein", "ant", "go",
    "cargo", "rustc", "gcc", "g++", "cc", "c++", "clang", "make", "cmake",
    "javac", "jshell", NULL};
  for (size_t i = 0; tools[i]; i++)
    if (strlen(tools[i]) == n && memcmp(tools[i], w, n) == 0)
      return true;
  return false;
}

/* Whether the image's CMD or ENTRYPOINT (the last of each in the target's
 * FROM chain) runs a toolchain. */
static bool runs_toolchain(const dfl_model *m, const dfl_stage *st)
{
  bool have_cmd = false, have_ep = false;
  int guard = 0;
  for (const dfl_stage *s = st; s && guard++ < 1000;
       s = s->base_stage >= 0 && (size_t)s->base_stage < m->nstages
               ? &m->stages[s->base_stage]
               : NULL) {
    for (size_t i = s->ninstrs; i-- > 0;) {
      const dfl_instr *in = s->instrs[i];
      bool *seen = in->kind == DFL_INSTR_CMD          ? &have_cmd
                   : in->kind == DFL_INSTR_ENTRYPOINT ? &have_ep
                                                      : NULL;
      if (!seen || *seen)
        continue;
      *seen = true;
      if (toolchain_command(in))
        return true;
    }
  }
  return false;
}

static void check(dfl_ctx *ctx)
{
  const dfl_stage *st = df_final_stage(ctx);
  if (!st || !dfa_multi_stage(dfl_ctx_model(ctx), st))
    return;
  df_base b;
  df_stage_base(ctx, st, &b);
  if (!b.image || b.scratch)
    return;
  char *repo = repository_of(b.image);
  bool toolchain = dfa_is_toolchain(repo, b.match.entry);
  /* A JRE tag the catalog has no row for is still a JRE; only the
   * repositories that are toolchains whatever the tag stay reported. */
  if (toolchain && jre_tag(b.image) && !dfa_is_toolchain(repo, NULL))
    toolchain = false;
  if (toolchain && runs_toolchain(dfl_ctx_model(ctx), st))
    toolchain = false;
  if (toolchain) {
    char size[32], sugg[800];
    df_format_size(b.match.entry, size, sizeof size);
    suggestion(df_catalog(ctx), b.match.entry, repo, sugg, sizeof sugg);
    dfl_emit(ctx, st->from, dfa_from_image_range(st->from),
             "the final stage of this multi-stage build runs on %s (%s), a "
             "toolchain image; copy only the build output into a runtime "
             "image%s",
             b.image, size, sugg);
  }
  free(repo);
}

const dfl_rule dfl_rule_DF103 = {
  .id = "DF103",
  .name = "ToolchainInFinalStage",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_WARNING,
  .category = "image-size",
  .summary = "A multi-stage build ships its final image on a compiler or "
             "SDK image",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF103.md",
  .on_finish = check,
};
