#include "dfa_common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

void dfa_flavour(const dfl_catalog_entry *e, char *buf, size_t n)
{
  const char *f = e->runtime + e->runtime_key_len;
  while (*f == ' ')
    f++;
  snprintf(buf, n, "%s", f);
}

/* The runtime's name: "node" of "node 20". */
static size_t runtime_name_len(const dfl_catalog_entry *e)
{
  const char *sp = strchr(e->runtime, ' ');
  return sp ? (size_t)(sp - e->runtime) : strlen(e->runtime);
}

/* The tag pattern before its first '*' ("debug" of "debug-nonroot*" is
 * "debug-nonroot"). */
static size_t tag_prefix_len(const char *tag)
{
  const char *star = strchr(tag, '*');
  return star ? (size_t)(star - tag) : strlen(tag);
}

static bool is_variant_prefix(const char *tag)
{
  return strncmp(tag, "debug", 5) == 0 || strncmp(tag, "nonroot", 7) == 0;
}

bool dfa_presentable(const dfl_catalog_entry *c, const dfl_catalog_entry *e)
{
  const char *t = c->tag;
  /* "latest" moves; a replacement should name a release. */
  if (strcmp(t, "latest") == 0)
    return false;
  if (t[0] == '*' && t[1] != '\0') {
    /* "*slim*" of a versionless row reads as the real tag "slim"; patterns
     * such as maven's "*eclipse-temurin-21*" match tags that have a version
     * in front, which cannot be shown. */
    if (strchr(c->runtime, ' ') != NULL)
      return false;
    for (const char *p = t + 1; *p && *p != '*'; p++)
      if (!isalnum((unsigned char)*p))
        return false;
  }
  /* Distroless debug (busybox added) and nonroot tags are other variants:
   * offer them only to someone already on that variant. */
  if (is_variant_prefix(t)) {
    size_t a = tag_prefix_len(t), b = tag_prefix_len(e->tag);
    if (a != b || strncmp(t, e->tag, a) != 0)
      return false;
  }
  return true;
}

static bool flavour_fits(const dfl_catalog_entry *c, const dfl_catalog_entry *e)
{
  char cf[32], ef[32];
  dfa_flavour(c, cf, sizeof cf);
  dfa_flavour(e, ef, sizeof ef);
  /* A JDK or SDK can be replaced by anything serving its runtime (a JRE,
   * aspnet); a JRE is not replaced by a JDK, nor aspnet by runtime-deps. */
  return !*cf || !*ef || strcmp(cf, ef) == 0 || strcmp(ef, "jdk") == 0 ||
         strcmp(ef, "sdk") == 0;
}

size_t dfa_lighter(const dfl_catalog *cat, const dfl_catalog_entry *e,
                   const dfl_catalog_entry **out, size_t max)
{
  const dfl_catalog_entry *alts[128];
  size_t n = dfl_catalog_alternatives(cat, e, alts, 128);
  if (n > 128)
    n = 128;
  size_t k = 0;
  int best_fit = 0;
  /* The catalog gives the rows kind by kind, known sizes smallest first,
   * then the unknown ones. The best of a kind: a known size, then the tag
   * style closest to e's (aspnet:8.0 rather than aspnet:8.0-jammy for
   * sdk:8.0), then the smaller size. */
  for (size_t i = 0; i < n; i++) {
    const dfl_catalog_entry *c = alts[i];
    if (c->kind == DFL_CAT_KIND_SDK || !dfa_presentable(c, e) ||
        !flavour_fits(c, e))
      continue;
    int fit = dfa_fit_score(c, e);
    if (k && out[k - 1]->kind == c->kind) {
      const dfl_catalog_entry *b = out[k - 1];
      if ((b->size_amd64 < 0) == (c->size_amd64 < 0) && fit > best_fit) {
        out[k - 1] = c;
        best_fit = fit;
      }
      continue;
    }
    if (k == max)
      break;
    out[k++] = c;
    best_fit = fit;
  }
  return k;
}

/* The version of a runtime, "3.12" of "python 3.12": up to 4 numbers.
 * Returns how many, 0 when the second word is not a version. */
static int runtime_version(const dfl_catalog_entry *e, long v[4])
{
  const char *p = strchr(e->runtime, ' ');
  if (!p)
    return 0;
  p++;
  int n = 0;
  while (n < 4) {
    if (!isdigit((unsigned char)*p))
      return 0;
    long x = 0;
    while (isdigit((unsigned char)*p) && x < 100000)
      x = x * 10 + (*p++ - '0');
    v[n++] = x;
    if (*p != '.')
      break;
    p++;
  }
  return *p == '\0' || *p == ' ' ? n : 0;
}

static int version_cmp(const long *a, int na, const long *b, int nb)
{
  for (int i = 0; i < na || i < nb; i++) {
    long x = i < na ? a[i] : 0, y = i < nb ? b[i] : 0;
    if (x != y)
      return x < y ? -1 : 1;
  }
  return 0;
}

/* "buster*" -> "bookworm*" counts as the same tag style too. */
int dfa_fit_score(const dfl_catalog_entry *c, const dfl_catalog_entry *e)
{
  char cf[32], ef[32];
  dfa_flavour(c, cf, sizeof cf);
  dfa_flavour(e, ef, sizeof ef);
  int s = 0;
  if (strcmp(c->repository, e->repository) == 0)
    s += 32;
  if (strcmp(cf, ef) == 0)
    s += 16;
  if (c->kind == e->kind)
    s += 8;
  if (c->libc == e->libc) /* glibc to musl breaks native code */
    s += 4;
  const char *cs = strchr(c->tag, '*'), *es = strchr(e->tag, '*');
  if (strcmp(cs ? cs : "", es ? es : "") == 0)
    s += 2;
  if (!isdigit((unsigned char)c->tag[0]) == !isdigit((unsigned char)e->tag[0]))
    s += 1;
  return s;
}

const dfl_catalog_entry *dfa_supported_replacement(const dfl_catalog *cat,
                                                   const dfl_catalog_entry *e,
                                                   int32_t today)
{
  long ev[4], cv[4], bv[4] = {0};
  int en = runtime_version(e, ev), bn = 0;
  if (!en)
    return NULL;
  size_t name_len = runtime_name_len(e);
  const dfl_catalog_entry *best = NULL;
  int best_score = -1;
  for (size_t i = 0, n = dfl_catalog_count(cat); i < n; i++) {
    const dfl_catalog_entry *c = dfl_catalog_at(cat, i);
    if (runtime_name_len(c) != name_len ||
        strncmp(c->runtime, e->runtime, name_len) != 0)
      continue;
    /* The same version counts too: openjdk:17 is past its image's end of
     * life, eclipse-temurin:17 still gets Java 17 fixes. */
    int cn = runtime_version(c, cv);
    if (!cn || version_cmp(cv, cn, ev, en) < 0)
      continue;
    /* Supported: its end of life is still ahead, or not announced yet. */
    if (c->eol_ymd && c->eol_ymd <= today)
      continue;
    if (!dfa_presentable(c, e))
      continue;
    int vc = best ? version_cmp(cv, cn, bv, bn) : -1;
    int score = dfa_fit_score(c, e);
    if (vc < 0 || (vc == 0 && score > best_score)) {
      best = c;
      best_score = score;
      memcpy(bv, cv, sizeof bv);
      bn = cn;
    }
  }
  return best;
}

bool dfa_is_toolchain(const char *repo, const dfl_catalog_entry *e)
{
  static const char *const repos[] = {
    "docker.io/library/golang", "docker.io/library/rust",
    "docker.io/library/maven",  "docker.io/library/gradle",
    "docker.io/library/gcc",    "docker.io/library/buildpack-deps",
    "mcr.microsoft.com/dotnet/sdk",
  };
  if (e) {
    char fl[32];
    dfa_flavour(e, fl, sizeof fl);
    if (e->kind == DFL_CAT_KIND_SDK || strcmp(fl, "jdk") == 0 ||
        strcmp(fl, "sdk") == 0)
      return true;
    /* buildpack-deps' -curl and -scm tags are "full" rows, no compilers. */
    if (strcmp(e->repository, "docker.io/library/buildpack-deps") == 0)
      return false;
    if (!repo)
      repo = e->repository;
  }
  for (size_t i = 0; repo && i < sizeof repos / sizeof *repos; i++)
    if (strcmp(repo, repos[i]) == 0)
      return true;
  return false;
}

/* Multi-stage, as the complement of DF102's single stage: the target takes
 * files from a stage outside its own FROM chain (COPY --from, RUN --mount
 * from=). A chain of FROM <stage> alone builds one image in one line. */
bool dfa_multi_stage(const dfl_model *m, const dfl_stage *target)
{
  for (size_t i = 0; i < m->nstages; i++) {
    const dfl_stage *s = &m->stages[i];
    if (!s->in_target)
      continue;
    bool in_chain = false;
    int guard = 0;
    for (const dfl_stage *c = target; c && !in_chain && guard++ < 1000;
         c = c->base_stage >= 0 && (size_t)c->base_stage < m->nstages
                 ? &m->stages[c->base_stage]
                 : NULL)
      in_chain = c == s;
    if (!in_chain)
      return true;
  }
  return false;
}

void dfa_format_ymd(int32_t ymd, char *buf, size_t n)
{
  snprintf(buf, n, "%04d-%02d-%02d", (int)(ymd / 10000),
           (int)(ymd / 100 % 100), (int)(ymd % 100));
}

void dfa_ref_size(const dfl_catalog_entry *e, char *buf, size_t n)
{
  char ref[256], size[32];
  df_entry_ref(e, ref, sizeof ref);
  df_format_size(e, size, sizeof size);
  snprintf(buf, n, "%s (%s)", ref, size);
}

dfl_range dfa_from_image_range(const dfl_instr *from)
{
  return from->nargs ? from->args[0].range : from->range;
}
