/* DF102 NoMultiStageBuild: the image that is built compiles or bundles in
 * the same stage it ships from, so the compiler, SDK, package caches and
 * sources stay in the image. A build stage plus a small runtime base
 * usually saves most of the image; the message says how much, from the
 * catalog's sizes, or that the saving is unknown.
 *
 * "Single-stage" is about the target image, not the file: the stage built
 * (the last one, or --target) and the stages its FROM names form a chain;
 * the rule looks at that chain only when nothing enters it from another
 * stage (no COPY --from / RUN --mount from=<stage> outside the chain) and
 * no other stage takes files from it (then the chain is a build stage of a
 * multi-stage design, built on its own with --target). */
#include <stdio.h>
#include <string.h>

#include "df_build.h"
#include "df_common.h"

typedef enum eco {
  ECO_GO,
  ECO_RUST,
  ECO_C,
  ECO_MAVEN,
  ECO_GRADLE,
  ECO_NODE,
  ECO_DOTNET,
  ECO_PIP
} eco;

/* What a single-stage build ships, and what a build stage would hand over. */
static const struct {
  const char *ships;
  const char *artifact;
} ecos[] = {
  [ECO_GO] = {"the Go toolchain", "the binary"},
  [ECO_RUST] = {"the Rust toolchain", "the binary"},
  [ECO_C] = {"the C toolchain", "the built program"},
  [ECO_MAVEN] = {"Maven and the JDK", "the jar"},
  [ECO_GRADLE] = {"Gradle and the JDK", "the jar"},
  [ECO_NODE] = {"the build tooling and devDependencies",
                "the build output"},
  [ECO_DOTNET] = {"the .NET SDK", "the published output"},
  [ECO_PIP] = {"the compiler and build headers",
               "the installed packages (a virtualenv)"},
};

/* Packages whose presence means pip may compile extensions: a compiler or
 * the headers only compiling needs. */
static const char *const build_deps[] = {
  "gcc", "g++", "clang", "build-essential", "build-base", "gcc-c++",
  "python3-dev", "python-dev", "python3-devel", "musl-dev", "libc-dev",
  "libc6-dev", NULL};

typedef struct state {
  bool init;
  bool active;       /* the target chain is single-stage and not reported */
  bool deps_earlier; /* an earlier RUN of the chain installed build deps */
} state;

static bool word_in(const dfl_sh_word *w, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (dfl_sh_word_eq(w, list[i]))
      return true;
  return false;
}

static bool has_prefix(const dfl_sh_word *w, const char *p)
{
  size_t n = strlen(p);
  return w->len >= n && memcmp(w->text, p, n) == 0;
}

/* An npm-style script name that builds: "build" or "build:<variant>". */
static bool build_script(const dfl_sh_word *w)
{
  return w && (dfl_sh_word_eq(w, "build") || has_prefix(w, "build:"));
}

static bool named(const dfl_sh_cmd *u, const char *name)
{
  return dfl_sh_is(u, name, DFL_SH_MATCH_PATH);
}

/* A C compiler or build driver doing real work: not just asked its
 * version, its help or where it keeps things. */
static bool c_build(const dfl_sh_cmd *u)
{
  static const char *const cc[] = {"gcc", "g++", "cc", "c++", "clang",
                                   "clang++", "make", "gmake", "cmake",
                                   "ninja", NULL};
  bool is = false;
  for (size_t i = 0; cc[i] && !is; i++)
    is = named(u, cc[i]);
  if (!is)
    return false;
  bool drv = named(u, "make") || named(u, "gmake") || named(u, "ninja");
  if (!drv && u->argc < 2)
    return false;
  for (size_t i = 1; i < u->argc; i++) {
    const dfl_sh_word *w = &u->argv[i];
    if (dfl_sh_word_eq(w, "--version") || dfl_sh_word_eq(w, "--help") ||
        dfl_sh_word_eq(w, "-dumpversion") || dfl_sh_word_eq(w, "-dumpmachine") ||
        has_prefix(w, "-print-") || dfl_sh_word_eq(w, "-v") ||
        dfl_sh_word_eq(w, "-E") || dfl_sh_word_eq(w, "-P") ||
        dfl_sh_word_eq(w, "--system-information") ||
        dfl_sh_word_eq(w, "-n") || dfl_sh_word_eq(w, "--dry-run"))
      return false;
  }
  return true;
}

/* Whether u (an unwrapped command) compiles or bundles; *e gets the
 * ecosystem and what[] the command as it reads in the message. */
static bool building(const dfl_sh_cmd *u, eco *e, char *what, size_t n)
{
  if (u->argc == 0)
    return false;
  const dfl_sh_word *name = &u->argv[0];
  dfl_sh_args it;
  const dfl_sh_word *a1 = NULL, *a2 = NULL;

  if (dfb_is_go_build(u)) {
    *e = ECO_GO;
    snprintf(what, n, "%s %s", name->text, u->argv[1].text);
    return true;
  }
  if (named(u, "cargo")) {
    dfl_sh_args_init(&it, u, "manifest-path|p|package|target|j|jobs");
    while ((a1 = dfl_sh_args_next(&it)) && a1->len && a1->text[0] == '+')
      ; /* cargo +nightly build */
    static const char *const subs[] = {"build", "install", NULL};
    if (a1 && word_in(a1, subs)) {
      *e = ECO_RUST;
      snprintf(what, n, "%s %s", name->text, a1->text);
      return true;
    }
    return false;
  }
  if (named(u, "mvn") || named(u, "mvnw")) {
    static const char *const phases[] = {"package", "install", "verify",
                                         "deploy", NULL};
    for (size_t i = 1; i < u->argc; i++)
      if (word_in(&u->argv[i], phases)) {
        *e = ECO_MAVEN;
        snprintf(what, n, "%s %s", name->text, u->argv[i].text);
        return true;
      }
    return false;
  }
  if (named(u, "gradle") || named(u, "gradlew")) {
    static const char *const tasks[] = {"build", "assemble", "jar", "bootJar",
                                        "shadowJar", "war", "bootWar",
                                        "installDist", NULL};
    for (size_t i = 1; i < u->argc; i++) {
      const dfl_sh_word *w = &u->argv[i];
      if (w->len && w->text[0] == '-')
        continue;
      /* :app:build names the task of a subproject. */
      const char *t = strrchr(w->text, ':');
      t = t ? t + 1 : w->text;
      for (size_t k = 0; tasks[k]; k++)
        if (strcmp(t, tasks[k]) == 0) {
          *e = ECO_GRADLE;
          snprintf(what, n, "%s %s", name->text, w->text);
          return true;
        }
    }
    return false;
  }
  if (named(u, "npm") || named(u, "yarn") || named(u, "pnpm")) {
    dfl_sh_args_init(&it, u, "prefix|w|workspace|cwd|C|dir|filter|F");
    a1 = dfl_sh_args_next(&it);
    a2 = a1 ? dfl_sh_args_next(&it) : NULL;
    bool run = a1 && (dfl_sh_word_eq(a1, "run") ||
                      dfl_sh_word_eq(a1, "run-script"));
    bool ok = (run && build_script(a2)) ||
              (!named(u, "npm") && build_script(a1));
    if (!ok)
      return false;
    *e = ECO_NODE;
    if (run)
      snprintf(what, n, "%s %s %s", name->text, a1->text, a2->text);
    else
      snprintf(what, n, "%s %s", name->text, a1->text);
    return true;
  }
  if (named(u, "dotnet")) {
    static const char *const subs[] = {"publish", "build", NULL};
    if (u->argc >= 2 && word_in(&u->argv[1], subs)) {
      *e = ECO_DOTNET;
      snprintf(what, n, "%s %s", name->text, u->argv[1].text);
      return true;
    }
    return false;
  }
  if (c_build(u)) {
    *e = ECO_C;
    snprintf(what, n, "%s", name->text);
    return true;
  }
  /* pip, pip3, pip3.12, and python -m pip. */
  size_t first = 1;
  bool pip = false;
  const char *b = strrchr(name->text, '/');
  b = b ? b + 1 : name->text;
  if (strncmp(b, "pip", 3) == 0 && strspn(b + 3, "0123456789.") == strlen(b + 3))
    pip = true;
  else if (strncmp(b, "python", 6) == 0 &&
           strspn(b + 6, "0123456789.") == strlen(b + 6) && u->argc >= 3 &&
           dfl_sh_word_eq(&u->argv[1], "-m") &&
           (dfl_sh_word_eq(&u->argv[2], "pip") ||
            dfl_sh_word_eq(&u->argv[2], "pip3"))) {
    pip = true;
    first = 3;
  }
  if (!pip || u->argc <= first || !dfl_sh_word_eq(&u->argv[first], "install"))
    return false;
  /* Upgrading pip's own tools compiles nothing. */
  static const char *const tools[] = {"pip", "setuptools", "wheel", NULL};
  bool real = false;
  for (size_t i = first + 1; i < u->argc && !real; i++) {
    const dfl_sh_word *w = &u->argv[i];
    if (dfl_sh_word_eq(w, "-r") || has_prefix(w, "--requirement") ||
        dfl_sh_word_eq(w, "-e") || (w->len && w->text[0] != '-' &&
                                    !word_in(w, tools)))
      real = true;
  }
  if (!real)
    return false;
  /* --only-binary :all: installs wheels only and never builds from source,
   * so no compiler is used whatever was installed before. */
  for (size_t i = first + 1; i < u->argc; i++)
    if (dfl_sh_word_eq(&u->argv[i], "--only-binary=:all:") ||
        (dfl_sh_word_eq(&u->argv[i], "--only-binary") && i + 1 < u->argc &&
         dfl_sh_word_eq(&u->argv[i + 1], ":all:")))
      return false;
  *e = ECO_PIP;
  snprintf(what, n, "%s install", first == 3 ? "python -m pip" : name->text);
  return true;
}

/* Whether the base image itself provides what the build uses (otherwise a
 * RUN installed it, and removing it in that same RUN keeps it out). */
static bool base_provides(eco e, const dfl_catalog_entry *b)
{
  if (!b)
    return false;
  const char *rt = b->runtime;
  switch (e) {
  case ECO_GO:
    return strcmp(rt, "go") == 0 || strncmp(rt, "go ", 3) == 0;
  case ECO_RUST:
    return strncmp(rt, "rust", 4) == 0;
  case ECO_C:
    return b->cc;
  case ECO_MAVEN:
  case ECO_GRADLE:
    return strstr(rt, "jdk") != NULL;
  case ECO_NODE:
    return strncmp(rt, "node", 4) == 0;
  case ECO_DOTNET:
    return strstr(rt, "sdk") != NULL;
  case ECO_PIP:
    return false;
  }
  return false;
}

static const dfl_catalog_entry *lookup(dfl_ctx *ctx, const char *ref)
{
  dfl_catalog_match m;
  return dfl_catalog_lookup(df_catalog(ctx), ref, &m, NULL) == 1 ? m.entry
                                                                 : NULL;
}

/* A lighter variant of b's runtime of kind k, of b's family when there is
 * one, or NULL. */
static const dfl_catalog_entry *alternative(dfl_ctx *ctx,
                                            const dfl_catalog_entry *b,
                                            dfl_cat_kind k)
{
  const dfl_catalog_entry *alts[64];
  size_t n = dfl_catalog_alternatives(df_catalog(ctx), b, alts, 64);
  const dfl_catalog_entry *any = NULL;
  for (size_t i = 0; i < n && i < 64; i++) {
    if (alts[i]->kind != k)
      continue;
    /* The same distribution keeps the libc and the packages the same. */
    if (alts[i]->family == b->family)
      return alts[i];
    if (!any)
      any = alts[i];
  }
  return any;
}

/* The runtime base to suggest. *same is set when the suggestion is the base
 * itself (already slim: the saving is what the build leaves behind);
 * *fallback names one when the catalog has none. */
static const dfl_catalog_entry *suggest(dfl_ctx *ctx, eco e,
                                        const dfl_catalog_entry *b,
                                        bool *same, const char **fallback)
{
  *same = false;
  *fallback = NULL;
  bool musl = b && b->libc == DFL_CAT_LIBC_MUSL;
  const dfl_catalog_entry *r = NULL;
  switch (e) {
  case ECO_GO:
    return lookup(ctx, "gcr.io/distroless/static-debian12");
  case ECO_RUST:
    /* Rust on Alpine links musl statically by default. */
    return lookup(ctx, musl ? "gcr.io/distroless/static-debian12"
                            : "gcr.io/distroless/cc-debian12");
  case ECO_C:
    if (!musl)
      return lookup(ctx, "gcr.io/distroless/cc-debian12");
    if (b->kind <= DFL_CAT_KIND_ALPINE) {
      *same = true;
      return b;
    }
    return lookup(ctx, "alpine");
  case ECO_MAVEN:
  case ECO_GRADLE:
    r = b ? alternative(ctx, b, DFL_CAT_KIND_RUNTIME) : NULL;
    if (!r && b && musl)
      r = alternative(ctx, b, DFL_CAT_KIND_ALPINE);
    if (!r)
      *fallback = "a JRE-only image (e.g. eclipse-temurin:<version>-jre)";
    return r;
  case ECO_DOTNET:
    r = b ? alternative(ctx, b, musl ? DFL_CAT_KIND_ALPINE
                                     : DFL_CAT_KIND_RUNTIME)
          : NULL;
    if (!r)
      *fallback = "mcr.microsoft.com/dotnet/aspnet or dotnet/runtime";
    return r;
  case ECO_NODE:
  case ECO_PIP:
    if (b && b->kind > DFL_CAT_KIND_SLIM)
      r = alternative(ctx, b, DFL_CAT_KIND_SLIM);
    if (!r) {
      *same = true;
      return b;
    }
    return r;
  }
  return NULL;
}

static void format_mb(int64_t bytes, char *buf, size_t n)
{
  double mb = (double)bytes / 1e6;
  if (mb >= 10)
    snprintf(buf, n, "%.0f MB", mb);
  else
    snprintf(buf, n, "%.1f MB", mb);
}

static void report(dfl_ctx *ctx, const dfl_run_scripts *rs, size_t si,
                   const dfl_sh_cmd *c, const dfl_sh_cmd *u, eco e,
                   const char *what)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *fin = df_final_stage(ctx);
  const dfl_stage *root = dfl_model_root_stage(m, fin);
  df_base base;
  df_stage_base(ctx, fin, &base);
  const dfl_catalog_entry *be = base.match.entry;
  /* The image as its FROM names it after ARG expansion, or as written when
   * a variable has no value. */
  const char *bref = "the base image";
  if (root && root->base && *root->base && !root->base_unresolved)
    bref = root->base;
  else if (root && root->base_raw)
    bref = root->base_raw;
  char bsize[32], rref[160], rsize[32], saving[320];
  df_format_size(be, bsize, sizeof bsize);

  bool same;
  const char *fallback;
  const dfl_catalog_entry *re = suggest(ctx, e, be, &same, &fallback);
  if (same)
    snprintf(rref, sizeof rref, "a new %s stage", bref);
  else if (re)
    df_entry_ref(re, rref, sizeof rref);
  else
    snprintf(rref, sizeof rref, "%s", fallback ? fallback : "a runtime image");
  df_format_size(re, rsize, sizeof rsize);

  bool installed = !base_provides(e, be);
  const char *plus = installed ? ", plus what RUN installed to build" : "";
  if (same)
    snprintf(saving, sizeof saving,
             "the saving is the build tools and files left in the build "
             "stage (no size estimate)");
  else if (be && re && be->size_amd64 >= 0 && re->size_amd64 >= 0 &&
           be->size_amd64 > re->size_amd64) {
    char d[32];
    format_mb(be->size_amd64 - re->size_amd64, d, sizeof d);
    snprintf(saving, sizeof saving, "about %s less%s", d, plus);
  } else if (be && re && be->size_amd64 >= 0 && re->size_amd64 >= 0)
    snprintf(saving, sizeof saving,
             "the saving is what RUN installed to build (no size estimate)");
  else
    snprintf(saving, sizeof saving,
             "the saving is unknown (the catalog has no size for %s)",
             !be || be->size_amd64 < 0 ? bref : rref);

  dfl_emit(ctx, rs->run, dfb_range(rs, si, u->argv[0].start, c->end),
           "%s in a single-stage image ships %s (%s, %s); build in a `FROM %s "
           "AS build` stage%s and copy %s into %s%s%s%s: %s",
           what, ecos[e].ships, bref, bsize, bref,
           e == ECO_GO ? " with CGO_ENABLED=0" : "", ecos[e].artifact, rref,
           re ? " (" : "", re ? rsize : "", re ? ")" : "", saving);
}

/* COPY --from=$X, or RUN --mount=...,from=$X,...: a source the model could
 * not resolve. */
static bool from_variable(const dfl_flag *fl)
{
  if (!fl->value)
    return false;
  const char *v = fl->value, *end = fl->value + fl->value_len;
  if (fl->name_len == 4 && memcmp(fl->name, "from", 4) == 0)
    return memchr(v, '$', fl->value_len) != NULL;
  if (fl->name_len != 5 || memcmp(fl->name, "mount", 5) != 0)
    return false;
  /* The from= field of the comma-separated mount options. */
  for (const char *p = v; p < end;) {
    const char *comma = memchr(p, ',', (size_t)(end - p));
    const char *fe = comma ? comma : end;
    if (fe - p > 5 && memcmp(p, "from=", 5) == 0 &&
        memchr(p + 5, '$', (size_t)(fe - p - 5)))
      return true;
    p = comma ? comma + 1 : end;
  }
  return false;
}

/* Whether the target chain is the whole image: see the top comment. */
static bool single_stage(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *fin = df_final_stage(ctx);
  if (!fin)
    return false;
  for (size_t s = 0; s < m->nstages; s++) {
    const dfl_stage *st = &m->stages[s];
    bool in = dfb_in_chain(m, fin, st);
    for (size_t d = 0; d < st->ndeps; d++) {
      bool dep_in = dfb_in_chain(m, fin, &m->stages[st->deps[d]]);
      if (in != dep_in)
        return false;
    }
    if (!in)
      continue;
    /* --from=$STAGE cannot be resolved: it may well name a stage. */
    for (size_t i = 0; i < st->ninstrs; i++) {
      const dfl_instr *in2 = st->instrs[i];
      for (size_t f = 0; f < in2->nflags; f++)
        if (from_variable(&in2->flags[f]))
          return false;
    }
  }
  return true;
}

/* A lone stage named as a build stage ("AS builder", "AS build-env") that
 * sets no CMD or ENTRYPOINT is meant to be consumed by another build (a
 * second Dockerfile's FROM $BASE or COPY --from, a bake context): it is the
 * build stage of a multi-stage design split across files. */
static bool declared_build_stage(dfl_ctx *ctx)
{
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *fin = df_final_stage(ctx);
  const char *name = fin ? fin->name : NULL;
  if (!name || (strcmp(name, "build") != 0 && strcmp(name, "builder") != 0 &&
                strncmp(name, "build-", 6) != 0 &&
                strncmp(name, "builder-", 8) != 0))
    return false;
  for (size_t s = 0; s < m->nstages; s++) {
    if (!dfb_in_chain(m, fin, &m->stages[s]))
      continue;
    for (size_t i = 0; i < m->stages[s].ninstrs; i++) {
      dfl_instr_kind k = m->stages[s].instrs[i]->kind;
      if (k == DFL_INSTR_CMD || k == DFL_INSTR_ENTRYPOINT)
        return false;
    }
  }
  return true;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  /* ONBUILD payloads run in another image's build. */
  if (in->kind != DFL_INSTR_RUN || !dfl_ctx_state(ctx))
    return;
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (!s->init) {
    s->init = true;
    s->active = single_stage(ctx) && !declared_build_stage(ctx);
  }
  if (!s->active)
    return;
  const dfl_model *m = dfl_ctx_model(ctx);
  const dfl_stage *st = dfl_model_stage_of(m, in);
  if (!st || !dfb_in_chain(m, df_final_stage(ctx), st))
    return;

  df_base base;
  df_stage_base(ctx, st, &base);
  const dfl_run_scripts *rs = dfl_ctx_run_scripts(ctx, in);
  bool deps_here = false;
  for (size_t si = 0; si < dfb_nscripts(rs); si++) {
    const dfl_sh_script *sc = dfb_script(rs, si);
    if (!sc)
      continue;
    for (size_t i = 0; i < sc->ncmds; i++) {
      const dfl_sh_cmd *c = &sc->cmds[i];
      dfl_sh_cmd u = dfl_sh_unwrap(c);
      if (dfb_installs_any(&u, build_deps, NULL))
        deps_here = true;
      else if (dfb_removes_packages(&u))
        deps_here = false;
      eco e;
      char what[96];
      if (!building(&u, &e, what, sizeof what))
        continue;
      if (e == ECO_PIP && !deps_here && !s->deps_earlier)
        continue;
      /* Installed, used and removed in one RUN: no layer keeps it. */
      bool removed_later = false;
      for (size_t k = i + 1; k < sc->ncmds && !removed_later; k++) {
        dfl_sh_cmd uk = dfl_sh_unwrap(&sc->cmds[k]);
        removed_later = dfb_removes_packages(&uk);
      }
      if (removed_later && !s->deps_earlier &&
          !base_provides(e, base.match.entry))
        continue;
      report(ctx, rs, si, c, &u, e, what);
      s->active = false;
      return;
    }
  }
  if (deps_here)
    s->deps_earlier = true;
}

const dfl_rule dfl_rule_DF102 = {
  .id = "DF102",
  .name = "NoMultiStageBuild",
  .source = DFL_SOURCE_DFLINT,
  .severity = DFL_SEV_WARNING,
  .category = "image",
  .summary = "A single-stage image compiles or bundles, so the toolchain "
             "ships in it",
  .url = "https://github.com/dflint/dflint/blob/main/docs/rules/DF102.md",
  .on_instr = check,
};
