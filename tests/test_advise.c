/* The advisor: the facts chain (catalog source, fallbacks with notes,
 * memoisation, prefetch, dates) and the decisions of dfl_advise on small
 * Dockerfiles written to a temporary build context (Go cgo detection, Node
 * and Python evidence, end of life, scratch, unresolved and unknown bases,
 * the payload). The golden cases under testdata/advise cover the printed
 * output. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "advisor/advise.h"
#include "advisor/facts.h"
#include "dflint/parse.h"
#include "testutil.h"

#define TODAY 20261207

/* ---- facts -------------------------------------------------------------- */

static dfl_facts catalog_only(void)
{
  dfl_facts f;
  dfl_facts_init(&f, NULL, TODAY);
  dfl_facts_add_source(&f, dfl_facts_catalog_source(f.catalog));
  return f;
}

START_TEST(dates)
{
  ck_assert_int_eq(dfl_facts_days_between(20261207, 20261207), 0);
  ck_assert_int_eq(dfl_facts_days_between(20240228, 20240301), 2);
  ck_assert_int_eq(dfl_facts_days_between(20230301, 20230228), -1);
  ck_assert_int_eq(dfl_facts_days_between(20000101, 20010101), 366);
  ck_assert_int_eq(dfl_facts_date_add(20261207, 365), 20271207);
  ck_assert_int_eq(dfl_facts_date_add(20240228, 1), 20240229);
  ck_assert_int_eq(dfl_facts_date_add(20240301, -1), 20240229);
  ck_assert_int_eq(dfl_facts_date_add(19991231, 1), 20000101);
  for (int32_t d = 0; d < 3000; d += 7)
    ck_assert_int_eq(dfl_facts_days_between(
                         20200101, dfl_facts_date_add(20200101, d)),
                     d);
}
END_TEST

START_TEST(catalog_source)
{
  dfl_facts f = catalog_only();
  dfl_image_facts x;
  /* A sourced figure: dated, aged, cited, not estimated. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", "linux/amd64", &x), 1);
  ck_assert_int_eq(x.origin, DFL_FACTS_CATALOG);
  ck_assert(x.entry != NULL);
  ck_assert_int_eq(x.compressed_bytes, x.entry->size_amd64);
  ck_assert(!x.estimated);
  ck_assert(x.as_of && x.age_days >= 0);
  ck_assert(x.detail && strstr(x.detail, "official-image-sizes.tsv"));
  ck_assert_str_eq(x.platform, "linux/amd64");
  ck_assert(x.note == NULL);
  ck_assert_int_eq(x.shell, DFL_FACT_YES);
  ck_assert_str_eq(x.user, "");
  dfl_image_facts_free(&x);
  /* arm64 is the other column; "arm64" alone normalizes to linux/arm64. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", "arm64", &x), 1);
  ck_assert_str_eq(x.platform, "linux/arm64");
  ck_assert_int_eq(x.compressed_bytes, x.entry->size_arm64);
  dfl_image_facts_free(&x);
  /* Other platforms are unknown to the catalog, not guessed. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", "linux/arm/v7", &x), 1);
  ck_assert_int_eq(x.compressed_bytes, -1);
  ck_assert(!x.estimated && x.as_of == NULL);
  dfl_image_facts_free(&x);
  /* An estimate says so. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:16", NULL, &x), 1);
  ck_assert(x.estimated);
  dfl_image_facts_free(&x);
  /* Distroless nonroot: traits from the row. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "gcr.io/distroless/static-debian12:"
                                        "nonroot", NULL, &x), 1);
  ck_assert_int_eq(x.shell, DFL_FACT_NO);
  ck_assert_int_eq(x.libc, DFL_CAT_LIBC_NONE);
  ck_assert_str_eq(x.user, "nonroot");
  dfl_image_facts_free(&x);
  /* Unknown images and bad input. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "example.com/team/app:1", NULL, &x),
                   0);
  ck_assert_int_eq(x.origin, DFL_FACTS_NONE);
  ck_assert(x.note && strstr(x.note, "catalog: not in the catalog"));
  dfl_image_facts_free(&x);
  ck_assert_int_eq(dfl_facts_lookup(&f, "Bad:Ref", NULL, &x), -1);
  ck_assert(x.note != NULL);
  dfl_image_facts_free(&x);
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", "nope/", &x), -1);
  dfl_image_facts_free(&x);
  dfl_facts_free(&f);
}
END_TEST

/* A fake registry: fails, answers, or knows nothing, and counts calls. */
typedef struct fake {
  int mode; /* 0 unknown, 1 answers, -1 fails */
  int calls;
  int prefetched;
} fake;

static int fake_lookup(void *data, const char *ref, const char *platform,
                       int32_t today, dfl_image_facts *out, char **why)
{
  fake *k = data;
  k->calls++;
  (void)platform;
  (void)today;
  if (k->mode < 0) {
    *why = strdup("connection refused");
    return -1;
  }
  if (k->mode == 0)
    return 0;
  out->origin = DFL_FACTS_REGISTRY;
  out->compressed_bytes = strcmp(ref, "node:20") == 0 ? 1234 : 99;
  out->digest = strdup("sha256:abc");
  out->as_of = strdup("2026-12-01");
  out->age_days = 6;
  out->user = strdup("1000");
  out->note = strdup("answered by a mirror");
  return 1;
}

static void fake_prefetch(void *data, const char *const *refs, size_t n,
                          const char *platform, int32_t today)
{
  fake *k = data;
  (void)refs;
  (void)platform;
  (void)today;
  k->prefetched += (int)n;
}

static dfl_facts with_fake(fake *k, const char *name)
{
  dfl_facts f;
  dfl_facts_init(&f, NULL, TODAY);
  dfl_facts_source s = {name, fake_lookup, NULL, k, fake_prefetch};
  dfl_facts_add_source(&f, s);
  dfl_facts_add_source(&f, dfl_facts_catalog_source(f.catalog));
  return f;
}

START_TEST(fallback_notes)
{
  fake k = {-1, 0, 0};
  dfl_facts f = with_fake(&k, "registry");
  dfl_image_facts x;
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", NULL, &x), 1);
  ck_assert_int_eq(x.origin, DFL_FACTS_CATALOG);
  ck_assert_str_eq(x.note, "registry: connection refused");
  dfl_image_facts_free(&x);
  /* Memoised: the registry is not asked twice. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", "linux/amd64", &x), 1);
  ck_assert_int_eq(k.calls, 1);
  dfl_image_facts_free(&x);
  /* Nothing knows it: every source's reason. */
  ck_assert_int_eq(dfl_facts_lookup(&f, "example.com/x:1", NULL, &x), 0);
  ck_assert_str_eq(x.note, "registry: connection refused; catalog: not in "
                           "the catalog");
  dfl_image_facts_free(&x);
  dfl_facts_free(&f);

  /* A source that does not know an image and says nothing leaves no note. */
  fake q = {0, 0, 0};
  f = with_fake(&q, "cache");
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", NULL, &x), 1);
  ck_assert_int_eq(x.origin, DFL_FACTS_CATALOG);
  ck_assert(x.note == NULL);
  dfl_image_facts_free(&x);
  dfl_facts_free(&f);
}
END_TEST

START_TEST(registry_answer_keeps_catalog_traits)
{
  fake k = {1, 0, 0};
  dfl_facts f = with_fake(&k, "registry");
  const char *refs[] = {"node:20", "alpine:3.20"};
  dfl_facts_prefetch(&f, refs, 2, NULL);
  ck_assert_int_eq(k.prefetched, 2);
  dfl_image_facts x;
  ck_assert_int_eq(dfl_facts_lookup(&f, "node:20", NULL, &x), 1);
  ck_assert_int_eq(x.origin, DFL_FACTS_REGISTRY);
  ck_assert_int_eq(x.compressed_bytes, 1234);
  ck_assert_str_eq(x.digest, "sha256:abc");
  ck_assert_str_eq(x.user, "1000");
  ck_assert_str_eq(x.ref, "node:20");
  ck_assert_str_eq(x.platform, "linux/amd64");
  /* The source's own note is kept, named. */
  ck_assert_str_eq(x.note, "registry: answered by a mirror");
  /* Shell and libc the registry does not tell come from the catalog row. */
  ck_assert(x.entry != NULL);
  ck_assert_int_eq(x.shell, DFL_FACT_YES);
  ck_assert_int_eq(x.libc, DFL_CAT_LIBC_GLIBC);
  dfl_image_facts_free(&x);
  dfl_facts_free(&f);
}
END_TEST

/* ---- dfl_advise on small cases ------------------------------------------ */

static char ctxdir[256];

static void put(const char *name, const char *text)
{
  char p[512];
  snprintf(p, sizeof p, "%s/%s", ctxdir, name);
  char *slash = strrchr(p, '/');
  if (slash && slash > p + strlen(ctxdir)) {
    *slash = '\0';
    mkdir(p, 0755);
    *slash = '/';
  }
  FILE *f = fopen(p, "w");
  ck_assert(f != NULL);
  fputs(text, f);
  fclose(f);
}

static void setup(void)
{
  snprintf(ctxdir, sizeof ctxdir, "/tmp/dflint-advise-XXXXXX");
  ck_assert(mkdtemp(ctxdir) != NULL);
}

static void rm_rf(const char *dir)
{
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

static void teardown(void)
{
  rm_rf(ctxdir);
}

/* Advises on text as ctxdir/Dockerfile; returns 0 or -1 (err freed). */
static int advise(const char *text, const char *target, dfl_advice *out)
{
  put("Dockerfile", text);
  char path[512];
  snprintf(path, sizeof path, "%s/Dockerfile", ctxdir);
  dfl_dockerfile *df = dfl_parse(text, strlen(text), path);
  dfl_facts f = catalog_only();
  dfl_advise_options o = {&f, "linux/amd64", NULL, target, NULL, TODAY};
  char *err = NULL;
  int rc = dfl_advise(df, path, &o, out, &err);
  free(err);
  dfl_facts_free(&f);
  dfl_dockerfile_free(df);
  return rc;
}

static const dfl_advice_alt *alt(const dfl_advice *a, const char *ref)
{
  for (size_t i = 0; i < a->nalts; i++)
    if (strcmp(a->alts[i].ref, ref) == 0)
      return &a->alts[i];
  return NULL;
}

static bool has_caveat(const dfl_advice_alt *x, const char *needle)
{
  for (size_t i = 0; x && i < x->caveats.n; i++)
    if (strstr(x->caveats.items[i], needle))
      return true;
  return false;
}

static bool evidence_has(const dfl_advice *a, const char *needle)
{
  for (size_t i = 0; i < a->evidence.n; i++)
    if (strstr(a->evidence.items[i], needle))
      return true;
  return false;
}

#define GO_FINAL                                                            \
  "FROM alpine:3.20\nCOPY --from=build /out/app /app\n"                      \
  "ENTRYPOINT [\"/app\"]\n"

START_TEST(go_static_by_env)
{
  dfl_advice a;
  ck_assert_int_eq(advise("FROM golang:1.23 AS build\nENV CGO_ENABLED=0\n"
                          "RUN go build -o /out/app .\n" GO_FINAL,
                          NULL, &a), 0);
  ck_assert(evidence_has(&a, "static: CGO_ENABLED=0 (line 2)"));
  ck_assert_str_eq(a.choice, "scratch");
  ck_assert_int_eq(alt(&a, "scratch")->fit, DFL_FIT_DROP_IN);
  ck_assert(!a.payload_complete);
  ck_assert_str_eq(a.payload_unknown.items[0],
                   "COPY --from=build /out/app (line 5)");
  dfl_advice_free(&a);
}
END_TEST

START_TEST(go_static_other_ways)
{
  static const char *const builds[] = {
    "FROM golang:1.23 AS build\nRUN go env -w CGO_ENABLED=0 && go build -o "
    "/out/app .\n",
    "FROM golang:1.23 AS build\nRUN go build -ldflags '-extldflags \"-static\"'"
    " -o /out/app .\n",
    "FROM golang:1.23 AS build\nRUN go build -tags netgo,osusergo -o /out/app "
    ".\n",
    "FROM golang:1.23-alpine AS build\nRUN go build -o /out/app .\n",
    "FROM golang:1.23 AS build\nARG CGO_ENABLED=0\nRUN go build -o /out/app "
    ".\n",
  };
  for (size_t i = 0; i < sizeof builds / sizeof *builds; i++) {
    char text[512];
    snprintf(text, sizeof text, "%s%s", builds[i], GO_FINAL);
    dfl_advice a;
    ck_assert_int_eq(advise(text, NULL, &a), 0);
    ck_assert_msg(evidence_has(&a, "is static"), "case %zu: %s", i,
                  a.evidence.n ? a.evidence.items[0] : "(no evidence)");
    ck_assert_str_eq(a.choice, "scratch");
    dfl_advice_free(&a);
  }
}
END_TEST

START_TEST(go_cgo_and_unknown)
{
  dfl_advice a;
  /* gcc is in golang:1.23, so cgo is on: the final base keeps glibc. */
  ck_assert_int_eq(advise("FROM golang:1.23 AS build\nRUN go build -o "
                          "/out/app .\nFROM debian:12\nCOPY --from=build "
                          "/out/app /app\nCMD [\"/app\"]\n",
                          NULL, &a), 0);
  ck_assert(evidence_has(&a, "links glibc dynamically"));
  ck_assert_str_eq(a.choice, "gcr.io/distroless/base-debian12");
  const dfl_advice_alt *s = alt(&a, "scratch");
  ck_assert_int_eq(s->fit, DFL_FIT_CHANGES);
  ck_assert(strstr(s->change, "CGO_ENABLED=0"));
  for (size_t i = 0; i < a.nalts; i++)
    if (a.alts[i].entry->libc == DFL_CAT_LIBC_MUSL)
      ck_assert_int_eq(a.alts[i].fit, DFL_FIT_CHANGES);
  ck_assert(strstr(a.verdict, "stays on glibc"));
  ck_assert(strstr(a.verdict, "scratch (0 B) would be smaller still"));
  dfl_advice_free(&a);
  /* A compiler installed by a RUN counts too. */
  ck_assert_int_eq(advise("FROM golang:1.23-alpine AS build\nRUN apk add "
                          "--no-cache gcc musl-dev\nRUN go build -o /out/app "
                          ".\n" GO_FINAL,
                          NULL, &a), 0);
  ck_assert(evidence_has(&a, "links musl dynamically"));
  dfl_advice_free(&a);
  /* A value the text does not show. */
  ck_assert_int_eq(advise("FROM golang:1.23 AS build\nRUN CGO_ENABLED=$CGO "
                          "go build -o /out/app .\n" GO_FINAL,
                          NULL, &a), 0);
  ck_assert(evidence_has(&a, "unknown"));
  ck_assert_int_eq(alt(&a, "scratch")->fit, DFL_FIT_RISKY);
  dfl_advice_free(&a);
}
END_TEST

START_TEST(node_native_stays_on_glibc)
{
  put("package.json", "{\"dependencies\":{\"bcrypt\":\"^5\",\"express\":"
                      "\"^4\"}}");
  dfl_advice a;
  ck_assert_int_eq(advise("FROM node:22\nWORKDIR /app\nCOPY package.json ./\n"
                          "RUN npm ci\nCOPY . .\nCMD [\"node\", \"x.js\"]\n",
                          NULL, &a), 0);
  ck_assert(evidence_has(&a, "package.json depends on bcrypt"));
  const dfl_advice_alt *al = alt(&a, "node:22-alpine");
  ck_assert_int_eq(al->fit, DFL_FIT_RISKY);
  ck_assert(has_caveat(al, "musl instead of glibc: bcrypt (package.json)"));
  ck_assert_str_eq(a.choice, "node:22-slim");
  ck_assert_int_eq(alt(&a, "gcr.io/distroless/nodejs22-debian12")->fit,
                   DFL_FIT_CHANGES);
  /* The payload: both COPYs, after .dockerignore (none here). */
  ck_assert_uint_gt(a.context_bytes, 0);
  dfl_advice_free(&a);
  /* Named by RUN npm install, without a package.json. */
  unlink("package.json");
  char p[512];
  snprintf(p, sizeof p, "%s/package.json", ctxdir);
  unlink(p);
  ck_assert_int_eq(advise("FROM node:22\nRUN npm install sharp\n", NULL, &a),
                   0);
  ck_assert(evidence_has(&a, "sharp"));
  dfl_advice_free(&a);
}
END_TEST

START_TEST(node_eol_moves_on)
{
  put("package.json", "{\"dependencies\":{\"express\":\"^4\"}}");
  put(".dockerignore", "secret\n");
  put("secret/big.bin", "0123456789");
  dfl_advice a;
  ck_assert_int_eq(advise("FROM node:16\nCOPY . .\nCMD [\"node\", "
                          "\"x.js\"]\n",
                          NULL, &a), 0);
  /* End of life 2023-09-11: the supported line a year out is node 24. */
  ck_assert(a.base_notes.n && strstr(a.base_notes.items[0], "end of life"));
  ck_assert_str_eq(a.choice, "node:24-alpine");
  ck_assert(strstr(a.verdict, "moves from node 16"));
  ck_assert(alt(&a, "node:16-alpine")->eol_passed);
  /* No shell needed: distroless is a drop-in, with the size warning. */
  const dfl_advice_alt *d = alt(&a, "gcr.io/distroless/nodejs22-debian12");
  ck_assert(d != NULL);
  ck_assert(has_caveat(d, "distroless Node images can be the larger ones"));
  /* .dockerignore keeps secret/ out of the payload. */
  ck_assert_uint_eq(a.context_files, 3); /* Dockerfile, package.json,
                                            .dockerignore */
  dfl_advice_free(&a);
}
END_TEST

START_TEST(python_compiled)
{
  put("requirements.txt", "# deps\nFlask==3.0\nnumpy>=1.26 ; python_version"
                          " > '3.8'\n-r other.txt\nPsycopg2_Binary\n");
  dfl_advice a;
  ck_assert_int_eq(advise("FROM python:3.12\nCOPY requirements.txt .\n"
                          "RUN pip install -r requirements.txt\n",
                          NULL, &a), 0);
  ck_assert(evidence_has(&a, "numpy and psycopg2-binary"));
  ck_assert_int_eq(alt(&a, "python:3.12-alpine")->fit, DFL_FIT_RISKY);
  ck_assert_str_eq(a.choice, "python:3.12-slim");
  const dfl_advice_alt *d = alt(&a, "gcr.io/distroless/python3-debian12");
  ck_assert(d && d->fit == DFL_FIT_CHANGES);
  ck_assert(has_caveat(d, "python 3.11, not python 3.12"));
  dfl_advice_free(&a);
}
END_TEST

START_TEST(no_advice_cases)
{
  dfl_advice a;
  ck_assert_int_eq(advise("FROM scratch\nCOPY app /app\n", NULL, &a), 0);
  ck_assert(a.base_scratch);
  ck_assert(a.choice == NULL && a.nalts == 0);
  ck_assert(strstr(a.verdict, "no base can be smaller"));
  ck_assert(a.slimming == NULL);
  ck_assert_uint_eq(a.payload_unknown.n, 1); /* app is not in the context */
  dfl_advice_free(&a);

  ck_assert_int_eq(advise("ARG BASE\nFROM ${BASE}\n", NULL, &a), 0);
  ck_assert(a.base_ref == NULL);
  ck_assert(strstr(a.verdict, "--build-arg"));
  dfl_advice_free(&a);

  ck_assert_int_eq(advise("FROM example.com/team/base:1\nRUN true\n", NULL,
                          &a), 0);
  ck_assert(a.choice == NULL && a.nalts == 0);
  ck_assert(strstr(a.verdict, "does not know it"));
  dfl_advice_free(&a);

  /* Already the best: a static base for a static binary. */
  ck_assert_int_eq(advise("FROM golang:1.23-alpine AS build\nRUN go build -o "
                          "/out/app .\nFROM gcr.io/distroless/static-debian12:"
                          "nonroot\nCOPY --from=build /out/app /app\n",
                          NULL, &a), 0);
  ck_assert(a.choice == NULL);
  ck_assert(strstr(a.verdict, "already the best choice"));
  dfl_advice_free(&a);

  /* No stage, no such target. */
  ck_assert_int_eq(advise("# nothing\n", NULL, &a), -1);
  dfl_advice_free(&a);
  ck_assert_int_eq(advise("FROM alpine\n", "nope", &a), -1);
  dfl_advice_free(&a);
}
END_TEST

START_TEST(target_and_chain)
{
  dfl_advice a;
  /* The final stage is FROM another stage: its root's image counts, and
   * the COPY of both stages is payload. */
  put("a.txt", "aaaa");
  put("b.txt", "bb");
  ck_assert_int_eq(advise("FROM debian:12 AS base\nCOPY a.txt /\n"
                          "FROM base AS app\nCOPY b.txt /\n"
                          "FROM alpine:3.20 AS other\n",
                          "app", &a), 0);
  ck_assert_str_eq(a.base_ref, "debian:12");
  ck_assert_str_eq(a.stage_name, "app");
  ck_assert_uint_eq(a.context_bytes, 6);
  ck_assert(a.payload_complete);
  /* Nothing in the stage needs Debian: a pinned Alpine release. */
  ck_assert_msg(a.choice && strncmp(a.choice, "alpine:3.", 9) == 0, "%s",
                a.choice ? a.choice : "(none)");
  dfl_advice_free(&a);
  /* Wildcards, --exclude and a heredoc. */
  ck_assert_int_eq(advise("# syntax=docker/dockerfile:1\nFROM alpine:3.20\n"
                          "COPY --exclude=b.txt *.txt /\n"
                          "COPY <<EOF /x\nhello\nEOF\n",
                          NULL, &a), 0);
  ck_assert_uint_eq(a.context_bytes, 4 + 6);
  ck_assert_uint_eq(a.context_files, 2);
  dfl_advice_free(&a);
}
END_TEST

int main(void)
{
  Suite *s = suite_create("advise");
  TCase *tf = tcase_create("facts");
  tcase_add_test(tf, dates);
  tcase_add_test(tf, catalog_source);
  tcase_add_test(tf, fallback_notes);
  tcase_add_test(tf, registry_answer_keeps_catalog_traits);
  suite_add_tcase(s, tf);
  TCase *ta = tcase_create("advise");
  tcase_add_checked_fixture(ta, setup, teardown);
  tcase_add_test(ta, go_static_by_env);
  tcase_add_test(ta, go_static_other_ways);
  tcase_add_test(ta, go_cgo_and_unknown);
  tcase_add_test(ta, node_native_stays_on_glibc);
  tcase_add_test(ta, node_eol_moves_on);
  tcase_add_test(ta, python_compiled);
  tcase_add_test(ta, no_advice_cases);
  tcase_add_test(ta, target_and_chain);
  suite_add_tcase(s, ta);
  return tu_run_suite(s);
}
