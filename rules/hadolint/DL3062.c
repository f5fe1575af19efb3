/* DL3062 GoInstallVersionPinning: `go install`, `go get` and `go run` of a
 * module without a version fetch whatever is newest at build time, so two
 * builds of the same Dockerfile can differ. */
#include <string.h>

#include "dflint/rule.h"
#include "hadolint/dlc_common.h"

/* go build flags whose value is the next word (-tags netgo), so that the
 * value is not taken for a package. */
#define GO_VALUE_FLAGS                                                       \
  "-C|-p|-o|-tags|-ldflags|-gcflags|-asmflags|-gccgoflags|-mod|-modfile|"  \
  "-pkgdir|-toolexec|-overlay|-pgo|-buildmode|-compiler|-installsuffix|"   \
  "-exec|-coverpkg|-covermode|--tags|--ldflags|--gcflags|--mod|--exec"

static bool ends_with(const char *s, size_t n, const char *suf)
{
  size_t k = strlen(suf);
  return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* hadolint's test: local paths and `@version` (not @latest or @none) are
 * pinned. Arguments that only a variable gives are unknown, and a .go file
 * (`go run main.go`) is local source, so neither is reported. */
static bool pinned(const dfl_sh_word *w)
{
  const char *t = w->text;
  size_t n = w->len;
  if (n == 0 || t[0] == '.' || t[0] == '/' || dlc_word_expands(w) ||
      ends_with(t, n, ".go"))
    return true;
  if (!memchr(t, '@', n))
    return false;
  return !ends_with(t, n, "@latest") && !ends_with(t, n, "@none");
}

/* The first unpinned package of a go command, or NULL. */
static const dfl_sh_word *unpinned(const dfl_sh_cmd *c)
{
  dfl_sh_args a;
  dfl_sh_args_init(&a, c, GO_VALUE_FLAGS);
  const dfl_sh_word *sub = dfl_sh_args_next(&a);
  if (!sub)
    return NULL;
  if (dfl_sh_word_eq(sub, "run")) {
    /* Only the package: what follows it are the program's arguments. */
    const dfl_sh_word *pkg = dfl_sh_args_next(&a);
    return pkg && !pinned(pkg) ? pkg : NULL;
  }
  if (!dfl_sh_word_eq(sub, "install") && !dfl_sh_word_eq(sub, "get"))
    return NULL;
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&a));)
    if (!dfl_sh_word_eq(w, "tool") && !pinned(w))
      return w;
  return NULL;
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  dlc_cmds it;
  if (!dlc_cmds_init(&it, ctx, in, true))
    return;
  for (const dfl_sh_cmd *c; (c = dlc_cmds_next(&it));) {
    dfl_sh_cmd u;
    const dfl_sh_word *pkg;
    if (!dlc_cmd_is(c, "go", &u) || !(pkg = unpinned(&u)))
      continue;
    const char *at = memchr(pkg->text, '@', pkg->len);
    int base = (int)(at ? (size_t)(at - pkg->text) : pkg->len);
    dfl_emit(ctx, in, dlc_cmds_range(&it, c),
             "Pin the version of `%s`: use `%.*s@<version>`", pkg->text, base,
             pkg->text);
    return;
  }
}

const dfl_rule dfl_rule_DL3062 = {
  .id = "DL3062",
  .name = "GoInstallVersionPinning",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "best-practice",
  .summary = "Pin versions in go install, go get and go run",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3062",
  .on_instr = check,
};
