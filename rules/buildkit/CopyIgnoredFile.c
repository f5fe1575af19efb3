/* CopyIgnoredFile: COPY or ADD names a local source that .dockerignore
 * keeps out of the build context, so the build cannot find it. */
#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/dockerignore.h"
#include "dflint/parse.h"
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

typedef struct state {
  bool loaded;
  dfl_ignore *ig; /* NULL: no ignore file, or one BuildKit fails on */
} state;

static const dfl_ignore *ignore_file(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  if (!s->loaded) {
    s->loaded = true;
    char *err = NULL;
    s->ig = dfl_ignore_load(dfl_ctx_context_dir(ctx), dfl_ctx_path(ctx), &err);
    free(err);
  }
  return s->ig;
}

static void finish(dfl_ctx *ctx)
{
  state *s = dfl_ctx_rule_state(ctx, sizeof *s);
  dfl_ignore_free(s->ig);
  s->ig = NULL;
}

static bool has_prefix(const char *s, size_t len, const char *p)
{
  size_t n = strlen(p);
  return len >= n && memcmp(s, p, n) == 0;
}

static bool ends_with(const char *s, size_t len, const char *p)
{
  size_t n = strlen(p);
  return len >= n && memcmp(s + len - n, p, n) == 0;
}

static bool in_set(char c, const char *extra)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || (c && strchr(extra, c));
}

/* dfgitutil.ParseGitRef accepting the source as a git remote: a supported
 * scheme (http and https only with a path ending in .git), or the scp-like
 * user@host:path. "./x", "../x" and "github.com/..." stay local. */
static bool is_git(const char *s, size_t len)
{
  if (has_prefix(s, len, "./") || has_prefix(s, len, "../") ||
      has_prefix(s, len, "github.com/"))
    return false;
  size_t i = 0;
  while (i < len && in_set(s[i], ""))
    i++;
  if (i > 0 && len - i >= 3 && memcmp(s + i, "://", 3) == 0) {
    char proto[8];
    if (i >= sizeof proto)
      return false;
    for (size_t k = 0; k < i; k++)
      proto[k] = (char)((s[k] >= 'A' && s[k] <= 'Z') ? s[k] + 32 : s[k]);
    proto[i] = '\0';
    if (strcmp(proto, "ssh") == 0 || strcmp(proto, "git") == 0)
      return true;
    if (strcmp(proto, "http") != 0 && strcmp(proto, "https") != 0)
      return false;
    const char *rest = s + i + 3;
    size_t rl = len - i - 3;
    size_t host_end = strcspn(rest, "/?#");
    if (host_end > rl)
      host_end = rl;
    const char *path = rest + host_end;
    size_t pl = 0;
    while (host_end + pl < rl && path[pl] != '?' && path[pl] != '#')
      pl++;
    return path[0] == '/' && ends_with(path, pl, ".git");
  }
  /* ^[a-zA-Z0-9-_]+@[a-zA-Z0-9-.]+:.*$ */
  i = 0;
  while (i < len && in_set(s[i], "-_"))
    i++;
  if (i == 0 || i >= len || s[i] != '@')
    return false;
  size_t h = ++i;
  while (i < len && in_set(s[i], "-."))
    i++;
  return i > h && i < len && s[i] == ':' && !memchr(s, '\n', len);
}

static bool is_http(const char *s, size_t len)
{
  return (has_prefix(s, len, "http://") || has_prefix(s, len, "https://")) &&
         !is_git(s, len);
}

/* dchapes-mode's symbolic form: clauses "[ugoa]*([-+=]([rwxXst]*|[ugo]))+"
 * separated by commas. */
static bool symbolic_mode(const char *s, size_t len)
{
  size_t i = 0;
  for (;;) {
    while (i < len && strchr("ugoa", s[i]) && s[i])
      i++;
    if (i >= len || !strchr("+-=", s[i]) || !s[i])
      return false;
    while (i < len && s[i] && strchr("+-=", s[i])) {
      i++;
      if (i < len && s[i] && strchr("ugo", s[i]))
        i++;
      else
        while (i < len && s[i] && strchr("rwxXst", s[i]))
          i++;
    }
    if (i == len)
      return true;
    if (s[i] != ',')
      return false;
    i++;
  }
}

/* dispatchCopy refuses a --chmod that is neither octal up to 07777 nor
 * symbolic before it looks at any source. */
static bool chmod_ok(const char *s, size_t len)
{
  bool octal = len > 0;
  unsigned long v = 0;
  for (size_t i = 0; i < len && octal; i++) {
    octal = s[i] >= '0' && s[i] <= '7';
    if (v <= 07777)
      v = v * 8 + (unsigned long)(s[i] - '0');
  }
  if (octal)
    return v <= 07777;
  return symbolic_mode(s, len);
}

/* copySourceRootIgnored: "." and "/" are the context itself, reported only
 * when a pattern excludes every top-level entry. */
static bool root_ignored(const dfl_ignore *ig)
{
  for (size_t i = 0; i < dfl_ignore_count(ig); i++) {
    const char *p = dfl_ignore_pattern(ig, i);
    if (dfl_ignore_is_exclusion(ig, i))
      continue;
    if (strcmp(p, "*") == 0 || strcmp(p, "**") == 0 || strcmp(p, "**/*") == 0)
      return true;
  }
  return false;
}

static void check_source(dfl_ctx *ctx, const dfl_instr *in,
                         const dfl_ignore *ig, const bkd_word *w,
                         const char *src, size_t len)
{
  char *raw = dfl_xstrndup(src, len);
  char *clean = dfl_path_clean(raw);
  free(raw);
  bool root = strcmp(clean, ".") == 0 || strcmp(clean, "/") == 0;
  if ((!root || root_ignored(ig)) && dfl_ignore_match(ig, clean, NULL) == 1) {
    dfl_buf q;
    dfl_buf_init(&q);
    dfl_go_quote(&q, clean, strlen(clean));
    dfl_emit(ctx, in, w->range,
             "Attempting to %s file %s that is excluded by .dockerignore",
             in->kind == DFL_INSTR_ADD ? "Add" : "Copy", dfl_buf_cstr(&q));
    dfl_buf_free(&q);
  }
  free(clean);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind != DFL_INSTR_COPY && in->kind != DFL_INSTR_ADD)
    return;
  if (!dfl_ctx_state(ctx) || in->error)
    return;
  /* COPY --from reads another stage or image, not the context. */
  const dfl_flag *from = dfl_instr_flag(in, "from");
  if (in->kind == DFL_INSTR_COPY && from && from->value && from->value_len)
    return;
  const dfl_ignore *ig = ignore_file(ctx);
  /* With "!" exclusions a file inside an ignored directory may come back;
   * BuildKit does not try to decide that statically, and neither do we. */
  if (!ig || dfl_ignore_has_exclusions(ig))
    return;

  bkd_words w = {0};
  bkd_expand_words(in, &w);
  dfl_lex_result *res = dfl_xcalloc(w.n ? w.n : 1, sizeof *res);
  size_t done = 0, nsrc = 0;
  bool ok = true;
  for (; done < w.n && ok; done++)
    ok = dfl_ctx_expand(ctx, w.items[done].text, w.items[done].len,
                        &res[done]) == 0;
  const dfl_lex_result *checksum = NULL;
  for (size_t i = 0; ok && i < w.n; i++) {
    const bkd_word *x = &w.items[i];
    if (x->role == BKD_SOURCE)
      nsrc++;
    else if (x->role == BKD_FLAG && strcmp(x->flag, "chmod") == 0 &&
             res[i].result_len && !chmod_ok(res[i].result, res[i].result_len))
      ok = false;
    else if (x->role == BKD_FLAG && strcmp(x->flag, "checksum") == 0 &&
             res[i].result_len)
      checksum = &res[i];
  }
  if (ok && checksum) {
    /* ADD --checksum: one remote source, or the build fails first. */
    ok = nsrc == 1;
    for (size_t i = 0; ok && i < w.n; i++)
      if (w.items[i].role == BKD_SOURCE)
        ok = is_http(res[i].result, res[i].result_len) ||
             is_git(res[i].result, res[i].result_len);
  }
  for (size_t i = 0; ok && i < w.n; i++) {
    const bkd_word *x = &w.items[i];
    if (x->role != BKD_SOURCE)
      continue;
    const char *src = res[i].result;
    size_t len = res[i].result_len;
    if (is_git(src, len) || is_http(src, len)) {
      /* Remote sources are fine for ADD; for COPY they fail the build. */
      ok = in->kind == DFL_INSTR_ADD;
      continue;
    }
    check_source(ctx, in, ig, x, src, len);
  }
  for (size_t i = 0; i < done; i++)
    dfl_lex_result_free(&res[i]);
  free(res);
  bkd_words_free(&w);
}

const dfl_rule dfl_rule_CopyIgnoredFile = {
  .id = "CopyIgnoredFile",
  .name = "CopyIgnoredFile",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "Attempting to Copy file that is excluded by .dockerignore",
  .url = "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
  .on_instr = check,
  .on_finish = finish,
};
