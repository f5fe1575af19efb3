#include "df_build.h"

#include <string.h>

size_t dfb_nscripts(const dfl_run_scripts *rs)
{
  return rs ? 1 + rs->nheredocs : 0;
}

const dfl_sh_script *dfb_script(const dfl_run_scripts *rs, size_t i)
{
  if (!rs)
    return NULL;
  if (i == 0)
    return rs->text;
  return i - 1 < rs->nheredocs ? rs->heredocs[i - 1] : NULL;
}

/* The position of byte off of a heredoc body: the body is the source
 * verbatim from body_range.start. */
static dfl_pos heredoc_pos(const dfl_heredoc *hd, size_t off)
{
  dfl_pos p = hd->body_range.start;
  size_t last_nl = 0;
  bool nl = false;
  uint32_t lines = 0;
  for (size_t k = 0; k < off && k < hd->content_len; k++)
    if (hd->content[k] == '\n') {
      lines++;
      last_nl = k;
      nl = true;
    }
  p.line += lines;
  p.col = nl ? (uint32_t)(off - last_nl) : p.col + (uint32_t)off;
  p.offset += (uint32_t)off;
  return p;
}

dfl_range dfb_range(const dfl_run_scripts *rs, size_t i, size_t from,
                    size_t to)
{
  const dfl_instr *run = rs->run;
  if (i == 0)
    return dfl_instr_range(run, run->rest_offset + from, run->rest_offset + to);
  dfl_range r;
  r.start = heredoc_pos(&run->heredocs[i - 1], from);
  r.end = heredoc_pos(&run->heredocs[i - 1], to);
  return r;
}

static bool word_in(const dfl_sh_word *w, const char *const *list)
{
  for (size_t i = 0; list[i]; i++)
    if (dfl_sh_word_eq(w, list[i]))
      return true;
  return false;
}

/* The base name of argv[0]: "apt-get" for /usr/bin/apt-get. */
static const char *cmd_base(const dfl_sh_cmd *u)
{
  if (!u->argc)
    return "";
  const char *slash = strrchr(u->argv[0].text, '/');
  return slash ? slash + 1 : u->argv[0].text;
}

typedef struct pkg_manager {
  const char *name;
  const char *install; /* '|'-separated subcommands */
  const char *remove;
  const char *value_flags; /* options whose value is the next word */
} pkg_manager;

static const pkg_manager managers[] = {
  {"apt-get", "install", "remove|purge|autoremove",
   "o|option|c|config-file|t|target-release|default-release"},
  {"apt", "install", "remove|purge|autoremove",
   "o|option|c|config-file|t|target-release|default-release"},
  {"aptitude", "install", "remove|purge", "o|t|target-release"},
  {"apk", "add", "del",
   "t|virtual|X|repository|p|root|keys-dir|repositories-file|cache-dir|arch"},
  {"yum", "install", "remove|erase|autoremove", "c|config|x|exclude"},
  {"dnf", "install", "remove|erase|autoremove", "c|config|x|exclude"},
  {"microdnf", "install", "remove", NULL},
  {"zypper", "install|in", "remove|rm", NULL},
};

static bool in_bar_list(const char *list, const char *s, size_t n)
{
  while (*list) {
    const char *e = strchr(list, '|');
    size_t el = e ? (size_t)(e - list) : strlen(list);
    if (el == n && memcmp(list, s, n) == 0)
      return true;
    if (!e)
      break;
    list = e + 1;
  }
  return false;
}

/* The package manager u runs and its first positional word (the
 * subcommand), or NULL. */
static const pkg_manager *manager_of(const dfl_sh_cmd *u, dfl_sh_args *it,
                                     const dfl_sh_word **sub)
{
  const char *b = cmd_base(u);
  for (size_t i = 0; i < sizeof managers / sizeof managers[0]; i++) {
    if (strcmp(b, managers[i].name) != 0)
      continue;
    dfl_sh_args_init(it, u, managers[i].value_flags);
    *sub = dfl_sh_args_next(it);
    return *sub ? &managers[i] : NULL;
  }
  return NULL;
}

const char *const dfb_cc_packages[] = {
  "gcc", "g++", "clang", "build-essential", "build-base", "gcc-c++", NULL};

bool dfb_installs_any(const dfl_sh_cmd *u, const char *const *names,
                      const char **which)
{
  dfl_sh_args it;
  const dfl_sh_word *sub;
  const pkg_manager *pm = manager_of(u, &it, &sub);
  if (!pm || !in_bar_list(pm->install, sub->text, sub->len))
    return false;
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));) {
    size_t n = strcspn(w->text, "=<>~:");
    for (size_t i = 0; names[i]; i++)
      if (strlen(names[i]) == n && memcmp(names[i], w->text, n) == 0) {
        if (which)
          *which = names[i];
        return true;
      }
  }
  return false;
}

bool dfb_removes_packages(const dfl_sh_cmd *u)
{
  dfl_sh_args it;
  const dfl_sh_word *sub;
  const pkg_manager *pm = manager_of(u, &it, &sub);
  return pm && in_bar_list(pm->remove, sub->text, sub->len);
}

bool dfb_is_go_build(const dfl_sh_cmd *u)
{
  static const char *const subs[] = {"build", "install", NULL};
  return u->argc >= 2 && strcmp(cmd_base(u), "go") == 0 &&
         word_in(&u->argv[1], subs);
}

bool dfb_in_chain(const dfl_model *m, const dfl_stage *st, const dfl_stage *s)
{
  for (size_t guard = 0; st && guard <= m->nstages; guard++) {
    if (st == s)
      return true;
    st = st->base_stage >= 0 ? &m->stages[st->base_stage] : NULL;
  }
  return false;
}
