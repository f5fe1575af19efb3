/* The shell model of RUN: parsing (words, quotes, operators, nesting,
 * keywords, redirections, here-documents), the helpers rules call (find,
 * flags, positional arguments, wrappers, variable values, heredoc scripts),
 * positions mapped back to the Dockerfile, and robustness: hostile input,
 * deep nesting, 1 MB scripts, a seeded fuzz loop and every RUN of the public
 * corpus. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dflint/buf.h"
#include "dflint/parse.h"
#include "dflint/shell.h"
#include "testutil.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static dfl_sh_script *parse(const char *text)
{
  return dfl_sh_parse(text, strlen(text));
}

/* A compact rendering for table tests: one entry per command, separated by
 * " / "; "^" per nesting level, assignments, argv, redirections as
 * [fd]op target, then the operator after it (none at the end of a list). */
static char *render(const dfl_sh_script *s)
{
  static const char *const ops[] = {"", "&&", "||", ";", "NL", "|", "&"};
  dfl_buf b;
  dfl_buf_init(&b);
  for (size_t i = 0; i < s->ncmds; i++) {
    const dfl_sh_cmd *c = &s->cmds[i];
    if (i)
      dfl_buf_puts(&b, " / ");
    for (unsigned d = 0; d < c->depth; d++)
      dfl_buf_putc(&b, '^');
    bool sp = false;
    for (size_t j = 0; j < c->nassigns; j++, sp = true)
      dfl_buf_printf(&b, "%s%s=%s", sp ? " " : "", c->assigns[j].name,
                     c->assigns[j].value);
    for (size_t j = 0; j < c->argc; j++, sp = true)
      dfl_buf_printf(&b, "%s%s", sp ? " " : "", c->argv[j].text);
    for (size_t j = 0; j < c->nredirs; j++, sp = true) {
      const dfl_sh_redir *r = &c->redirs[j];
      dfl_buf_puts(&b, sp ? " " : "");
      if (r->fd >= 0)
        dfl_buf_printf(&b, "%d", r->fd);
      dfl_buf_printf(&b, "%s%s", r->op, r->target.text);
    }
    if (c->op != DFL_SH_OP_NONE)
      dfl_buf_printf(&b, "%s%s", sp ? " " : "", ops[c->op]);
  }
  return dfl_buf_take(&b);
}

/* ck_assert records a mark point per call (a write to Check's pipe when
 * forking); the invariants run millions of times, so they test quietly. */
#define CHECK(cond)                                                        \
  do {                                                                     \
    if (!(cond))                                                           \
      ck_abort_msg("invariant failed: %s", #cond);                        \
  } while (0)

/* Structural invariants every parse must satisfy, and a pass of every
 * helper over every command (for the robustness tests). */
static void check_invariants(const dfl_sh_script *s, size_t len)
{
  CHECK((s->len) == (len));
  for (size_t i = 0; i < s->ncmds; i++) {
    const dfl_sh_cmd *c = &s->cmds[i];
    CHECK((c->index) == (i));
    CHECK(c->start <= c->end && c->end <= len);
    CHECK((unsigned)c->op <= DFL_SH_OP_BG);
    if (c->next)
      CHECK(c->next->index > i && c->op != DFL_SH_OP_NONE);
    if (c->parent)
      CHECK(c->parent->index < i && (c->nest & DFL_SH_IN_SUBST));
    for (size_t j = 0; j < c->argc + c->nassigns; j++) {
      const dfl_sh_word *w =
          j < c->argc ? &c->argv[j] : &c->assigns[j - c->argc].word;
      CHECK(w->start <= w->end && w->end <= len);
      CHECK(w->raw == s->text + w->start);
      CHECK((w->raw_len) == (w->end - w->start));
      CHECK(w->text[w->len] == '\0');
    }
    for (size_t j = 0; j < c->nassigns; j++)
      CHECK(c->assigns[j].name != NULL && c->assigns[j].value != NULL);
    for (size_t j = 0; j < c->nredirs; j++) {
      const dfl_sh_redir *r = &c->redirs[j];
      CHECK(r->start <= r->end && r->end <= len);
      CHECK(r->body_start <= r->body_end && r->body_end <= len);
    }
    dfl_sh_cmd u = dfl_sh_unwrap(c);
    CHECK(u.argc <= c->argc);
    (void)dfl_sh_has_flag(&u, "y|yes|-ldflags");
    (void)dfl_sh_flag_value(c, "o|output");
    dfl_sh_args it;
    dfl_sh_args_init(&it, &u, "t|o");
    size_t n = 0;
    while (dfl_sh_args_next(&it))
      n++;
    CHECK(n < c->argc || c->argc == 0);
    if (i < 64 || i + 64 > s->ncmds) /* each call may cost O(ncmds) */
      (void)dfl_sh_env_before(s, c, "CGO_ENABLED");
  }
  (void)dfl_sh_has_pipe(s);
}

/* ---- table: what commands a script yields ------------------------------ */

typedef struct render_case {
  const char *in;
  const char *want;
  unsigned problems;
} render_case;

static const render_case render_cases[] = {
  /* words and quotes */
  {"", "", 0},
  {"   \t  ", "", 0},
  {"# only a comment", "", 0},
  {"echo a b", "echo a b", 0},
  {"echo 'a b' \"c d\" e\\ f", "echo a b c d e f", 0},
  {"echo a\"b\"'c'\\d", "echo abcd", 0},
  {"echo \"a\\\"b\\$c\\\\d\\e\"", "echo a\"b$c\\d\\e", 0},
  {"echo '\\n$HOME'", "echo \\n$HOME", 0},
  {"echo $'a\\tb\\'c'", "echo a\tb'c", 0},
  {"echo $HOME ${X:-y} \"$(date)\" `id -u` $((1 + 2))",
   "echo $HOME ${X:-y} $(date) `id -u` $((1 + 2)) / ^date / ^id -u", 0},
  {"echo a # b && c", "echo a", 0},
  {"echo a#b", "echo a#b", 0},
  {"echo a;# comment\necho b", "echo a ; / echo b", 0},
  /* operators */
  {"a && b || c ; d & e", "a && / b || / c ; / d & / e", 0},
  {"a\nb\n\nc", "a NL / b NL / c", 0},
  {"a | b |& c", "a | / b | / c", 0},
  {"a &&\n  b", "a && / b", 0},
  /* line continuations (heredoc bodies keep them) */
  {"apt-get install \\\n  curl \\\n  git", "apt-get install curl git", 0},
  {"ec\\\nho a", "echo a", 0},
  {"echo a\r\necho b\r\n", "echo a NL / echo b NL", 0},
  /* assignments */
  {"CGO_ENABLED=0 GOOS=linux go build -o /out ./...",
   "CGO_ENABLED=0 GOOS=linux go build -o /out ./...", 0},
  {"X=1", "X=1", 0},
  {"PATH+=:/x a[1]=y cmd", "PATH=:/x a[1]=y cmd", 0},
  {"go env -w CGO_ENABLED=0", "go env -w CGO_ENABLED=0", 0},
  {"X=$(cat f) Y=\"a b\"", "X=$(cat f) Y=a b / ^cat f", 0},
  {"arr=(a \"b c\" d) cmd", "arr=(a b c d) cmd", 0},
  {"'X=1' cmd", "X=1 cmd", 0},
  /* redirections */
  {"echo hi > /f 2>&1", "echo hi >/f 2>&1", 0},
  {"> /f echo hi", "echo hi >/f", 0},
  {"cmd 2>/dev/null <in >>log &>all &>>all2 >|c 3<>rw 4<&0 <<<word",
   "cmd 2>/dev/null <in >>log &>all &>>all2 >|c 3<>rw 4<&0 <<<word", 0},
  {"> /file", ">/file", 0},
  {"echo 2 >x", "echo 2 >x", 0},
  {"exec > >(tee log) 2>&1", "exec >>(tee log) 2>&1 / ^tee log", 0},
  {"echo >", "echo >", DFL_SH_PROB_SYNTAX},
  /* here-documents inside the script: bodies are skipped */
  {"cat <<EOF > /f\nrm -rf / $(x)\nEOF\necho done",
   "cat <<EOF >/f NL / echo done", 0},
  {"cat <<'E' <<-\"F\"\na\nE\n\tb\n\tF\nls", "cat <<E <<-F NL / ls", 0},
  {"cat <<EOF\nnever ends", "cat <<EOF NL", DFL_SH_PROB_HEREDOC},
  {"<<EOF", "<<EOF", 0},
  /* subshells, groups, substitutions */
  {"(cd /src && make) && echo ok", "^cd /src && / ^make / echo ok", 0},
  {"{ a; b; } | c", "^a ; / ^b ; / c", 0},
  {"echo $(a $(b) `c`)", "echo $(a $(b) `c`) / ^a $(b) `c` / ^^b / ^^c", 0},
  {"echo `a \\`b\\``", "echo `a \\`b\\`` / ^a `b`", 0},
  {"diff <(sort a) <(sort b)", "diff <(sort a) <(sort b) / ^sort a / ^sort b",
   0},
  {"echo ${X:-$(cat f)}", "echo ${X:-$(cat f)} / ^cat f", 0},
  {"make -j$(( $(nproc) + 1 ))", "make -j$(( $(nproc) + 1 )) / ^nproc", 0},
  {"echo \"$(case $x in a) echo A;; esac)\"",
   "echo $(case $x in a) echo A;; esac) / ^echo A", 0},
  {"sh -c \"apt-get install x\"", "sh -c apt-get install x", 0},
  /* compound commands: keywords separate */
  {"if [ -f x ]; then apt-get install -y y; fi",
   "[ -f x ] ; / apt-get install -y y ;", 0},
  {"if a; then b; elif c; then d; else e; fi && f",
   "a ; / b ; / c ; / d ; / e ; / f", 0},
  {"for f in a $(ls) c; do rm $f; done", "^ls / rm $f ;", 0},
  {"for ((i = 0; i < 3; i++)); do echo $i; done", "echo $i ;", 0},
  {"for x do echo $x; done", "echo $x ;", 0},
  {"while read l; do echo $l; done < file", "read l ; / echo $l ;", 0},
  {"until false\ndo\n  x\ndone", "false NL / x NL", 0},
  {"case \"$A\" in\n  a|b) echo ab ;;\n  (c) echo c;;\n  *) echo d\nesac",
   "echo ab / echo c / echo d NL", 0},
  {"case x in esac; echo after", "echo after", 0},
  {"echo if then fi do done {", "echo if then fi do done {", 0},
  {"echo {a,b} }", "echo {a,b} }", 0},
  {"! grep -q x f || echo missing", "grep -q x f || / echo missing", 0},
  {"[[ -f x && ( -d y || -z \"$z\" ) ]] && echo ok",
   "[[ -f x && ( -d y || -z $z ) ]] && / echo ok", 0},
  {"f() { apt-get update; }; f", "^apt-get update ; / f", 0},
  {"function g { x; }\ng", "^x ; / g", 0},
  {"((x++)) && y", "y", 0},
  {"a & wait", "a & / wait", 0},
  /* broken input: best effort, with the problem noted */
  {"echo 'unterminated", "echo unterminated", DFL_SH_PROB_QUOTE},
  {"echo \"unterminated $(x", "echo unterminated $(x / ^x", DFL_SH_PROB_QUOTE},
  {"a ) b", "a / b", DFL_SH_PROB_SYNTAX},
  {"( a", "^a", DFL_SH_PROB_SYNTAX},
  {"a &&", "a &&", DFL_SH_PROB_SYNTAX},
  {"| a", "a", DFL_SH_PROB_SYNTAX},
  {"fi; done; }; a", "a", DFL_SH_PROB_SYNTAX},
  {"if a; then b", "a ; / b", DFL_SH_PROB_SYNTAX},
  {"a ;; b", "a / b", DFL_SH_PROB_SYNTAX},
};

START_TEST(test_render)
{
  const render_case *rc = &render_cases[_i];
  dfl_sh_script *s = parse(rc->in);
  char *got = render(s);
  ck_assert_msg(strcmp(got, rc->want) == 0, "case %d %s:\n want [%s]\n got  [%s]",
                _i, rc->in, rc->want, got);
  ck_assert_msg(s->problems == rc->problems, "case %d %s: problems %u, want %u",
                _i, rc->in, s->problems, rc->problems);
  check_invariants(s, strlen(rc->in));
  free(got);
  dfl_sh_free(s);
}
END_TEST

/* ---- words: spans, raw text, flags ------------------------------------- */

START_TEST(test_word_spans)
{
  const char *in = "  apt-get install \"a b\"=1 'c' x$Y";
  dfl_sh_script *s = parse(in);
  ck_assert_uint_eq(s->ncmds, 1);
  const dfl_sh_cmd *c = &s->cmds[0];
  ck_assert_uint_eq(c->argc, 5);
  ck_assert_uint_eq(c->start, 2);
  ck_assert_uint_eq(c->end, strlen(in));
  ck_assert_uint_eq(c->argv[0].start, 2);
  ck_assert_uint_eq(c->argv[0].end, 9);
  ck_assert_str_eq(c->argv[2].text, "a b=1");
  ck_assert_uint_eq(c->argv[2].raw_len, 7);
  ck_assert(memcmp(c->argv[2].raw, "\"a b\"=1", 7) == 0);
  ck_assert_uint_eq(c->argv[2].flags, DFL_SH_WORD_QUOTED);
  ck_assert_uint_eq(c->argv[3].flags, DFL_SH_WORD_QUOTED);
  ck_assert_uint_eq(c->argv[4].flags, DFL_SH_WORD_EXPANDS);
  ck_assert_uint_eq(c->argv[1].flags, 0);
  dfl_sh_free(s);

  s = parse("echo '$X' \"$X\" \\$X");
  c = &s->cmds[0];
  ck_assert_uint_eq(c->argv[1].flags, DFL_SH_WORD_QUOTED);
  ck_assert_uint_eq(c->argv[2].flags,
                    DFL_SH_WORD_QUOTED | DFL_SH_WORD_EXPANDS);
  ck_assert_str_eq(c->argv[3].text, "$X");
  ck_assert_uint_eq(c->argv[3].flags, DFL_SH_WORD_QUOTED);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_nul_bytes)
{
  const char in[] = "echo a\0b c\0";
  dfl_sh_script *s = dfl_sh_parse(in, sizeof in - 1);
  ck_assert_uint_eq(s->ncmds, 1);
  ck_assert_uint_eq(s->cmds[0].argc, 3);
  ck_assert_uint_eq(s->cmds[0].argv[1].len, 3);
  ck_assert(memcmp(s->cmds[0].argv[1].text, "a\0b", 3) == 0);
  check_invariants(s, sizeof in - 1);
  dfl_sh_free(s);

  s = dfl_sh_parse(NULL, 0);
  ck_assert_uint_eq(s->ncmds, 0);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_assignments)
{
  dfl_sh_script *s = parse("CGO_ENABLED=0 X+=\"a b\" arr[2]=v go build");
  const dfl_sh_cmd *c = &s->cmds[0];
  ck_assert_uint_eq(c->nassigns, 3);
  ck_assert_str_eq(c->assigns[0].name, "CGO_ENABLED");
  ck_assert_str_eq(c->assigns[0].value, "0");
  ck_assert(!c->assigns[0].append);
  ck_assert_uint_eq(c->assigns[0].word.start, 0);
  ck_assert_uint_eq(c->assigns[0].word.end, 13);
  ck_assert_str_eq(c->assigns[1].name, "X");
  ck_assert_str_eq(c->assigns[1].value, "a b");
  ck_assert_uint_eq(c->assigns[1].value_len, 3);
  ck_assert(c->assigns[1].append);
  ck_assert_str_eq(c->assigns[2].name, "arr[2]");
  ck_assert_str_eq(dfl_sh_name(c), "go");
  dfl_sh_free(s);

  s = parse("DEBIAN_FRONTEND=noninteractive");
  ck_assert_uint_eq(s->cmds[0].argc, 0);
  ck_assert_ptr_null(dfl_sh_name(&s->cmds[0]));
  ck_assert(!dfl_sh_is(&s->cmds[0], "DEBIAN_FRONTEND", 0));
  dfl_sh_free(s);
}
END_TEST

/* ---- operators, pipelines, next ---------------------------------------- */

START_TEST(test_ops_and_next)
{
  dfl_sh_script *s = parse("a && b || c; d | e & f\ng");
  ck_assert_uint_eq(s->ncmds, 7);
  static const dfl_sh_op want[] = {DFL_SH_OP_AND,  DFL_SH_OP_OR,
                                   DFL_SH_OP_SEMI, DFL_SH_OP_PIPE,
                                   DFL_SH_OP_BG,   DFL_SH_OP_NEWLINE,
                                   DFL_SH_OP_NONE};
  for (size_t i = 0; i < 7; i++) {
    ck_assert_int_eq(s->cmds[i].op, want[i]);
    if (i < 6)
      ck_assert_ptr_eq(s->cmds[i].next, &s->cmds[i + 1]);
  }
  ck_assert_ptr_null(s->cmds[6].next);
  ck_assert(!s->cmds[2].piped);
  ck_assert(s->cmds[3].piped && s->cmds[4].piped);
  ck_assert(dfl_sh_has_pipe(s));
  dfl_sh_free(s);

  s = parse("a || b && c; sh -c \"x | y\"; echo 'a|b' a\\|b");
  ck_assert(!dfl_sh_has_pipe(s));
  ck_assert_uint_eq(s->ncmds, 5);
  dfl_sh_free(s);

  /* the next command of `a &&` is the one after the substitution's owner,
   * not a command inside it */
  s = parse("a && X=$(b) c");
  ck_assert_uint_eq(s->ncmds, 3);
  ck_assert_ptr_eq(s->cmds[0].next, &s->cmds[1]);
  ck_assert_str_eq(dfl_sh_name(&s->cmds[1]), "c");
  ck_assert_ptr_null(s->cmds[2].next);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_pipefail_pipelines)
{
  dfl_sh_script *s = parse("set -o pipefail && curl -fsSL https://x/i.sh | "
                           "bash -s -- --yes");
  const dfl_sh_cmd *set = dfl_sh_find(s, NULL, "set", 0);
  ck_assert(dfl_sh_has_flag(set, "o") && dfl_sh_has_arg(set, "pipefail"));
  const dfl_sh_cmd *curl = dfl_sh_find(s, NULL, "curl", 0);
  ck_assert_int_eq(curl->op, DFL_SH_OP_PIPE);
  ck_assert(curl->piped && curl->next->piped);
  ck_assert(dfl_sh_is(curl->next, "bash", 0));
  ck_assert(dfl_sh_has_pipe(s));
  dfl_sh_free(s);

  /* a compound command in a pipeline: its commands are marked */
  s = parse("curl x | while read l; do echo $l; done; (a; b) | c");
  ck_assert_uint_eq(s->ncmds, 6);
  ck_assert(s->cmds[1].nest & DFL_SH_IN_PIPELINE);
  ck_assert(s->cmds[1].nest & DFL_SH_IN_CONDITION);
  ck_assert(s->cmds[2].nest & DFL_SH_IN_PIPELINE);
  ck_assert(!s->cmds[2].piped);
  ck_assert(s->cmds[3].nest & DFL_SH_IN_PIPELINE);
  ck_assert(s->cmds[4].nest & DFL_SH_IN_PIPELINE);
  ck_assert(s->cmds[5].piped && !(s->cmds[5].nest & DFL_SH_IN_PIPELINE));
  dfl_sh_free(s);
}
END_TEST

/* ---- nesting ----------------------------------------------------------- */

START_TEST(test_nesting)
{
  dfl_sh_script *s = parse("echo \"$(uname -m)\" && (cd /x && { make; }) && "
                           "if true; then for f in *; do rm $f; done; fi");
  ck_assert_uint_eq(s->ncmds, 6);
  const dfl_sh_cmd *c = s->cmds;
  ck_assert_str_eq(dfl_sh_name(&c[1]), "uname");
  ck_assert_ptr_eq(c[1].parent, &c[0]);
  ck_assert_uint_eq(c[1].nest, DFL_SH_IN_SUBST);
  ck_assert_uint_eq(c[1].depth, 1);
  ck_assert_ptr_eq(c[0].next, &c[2]);
  ck_assert_uint_eq(c[2].nest, DFL_SH_IN_SUBSHELL);
  ck_assert_uint_eq(c[3].nest, DFL_SH_IN_SUBSHELL | DFL_SH_IN_GROUP);
  ck_assert_uint_eq(c[3].depth, 2);
  ck_assert_uint_eq(c[4].nest, DFL_SH_IN_IF | DFL_SH_IN_CONDITION);
  ck_assert_uint_eq(c[4].depth, 0);
  ck_assert_str_eq(dfl_sh_name(&c[5]), "rm");
  ck_assert_uint_eq(c[5].nest, DFL_SH_IN_IF | DFL_SH_IN_LOOP);
  for (size_t i = 0; i < s->ncmds; i++)
    ck_assert(i == 1 || c[i].parent == NULL);
  dfl_sh_free(s);

  s = parse("case $a in x) f() { y; };; esac");
  ck_assert_uint_eq(s->ncmds, 1);
  ck_assert_uint_eq(s->cmds[0].nest,
                    DFL_SH_IN_CASE | DFL_SH_IN_GROUP | DFL_SH_IN_FUNCTION);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_keywords_only_in_command_position)
{
  /* `then` after words is an argument, as in the shell */
  dfl_sh_script *s = parse("if [ x ] then y; fi");
  ck_assert_uint_eq(s->ncmds, 1);
  ck_assert_uint_eq(s->cmds[0].argc, 5);
  ck_assert(s->problems & DFL_SH_PROB_SYNTAX); /* `fi` without then */
  dfl_sh_free(s);

  s = parse("X=1 if");
  ck_assert_str_eq(dfl_sh_name(&s->cmds[0]), "if");
  dfl_sh_free(s);

  s = parse("\"if\" a; 'fi'");
  ck_assert_uint_eq(s->ncmds, 2);
  ck_assert_str_eq(dfl_sh_name(&s->cmds[1]), "fi");
  ck_assert_uint_eq(s->problems, 0);
  dfl_sh_free(s);
}
END_TEST

/* ---- redirections and here-documents ----------------------------------- */

START_TEST(test_redirections)
{
  const char *in = "make 2>&1 >/log";
  dfl_sh_script *s = parse(in);
  const dfl_sh_cmd *c = &s->cmds[0];
  ck_assert_uint_eq(c->argc, 1);
  ck_assert_uint_eq(c->nredirs, 2);
  ck_assert_int_eq(c->redirs[0].kind, DFL_SH_REDIR_DUP_OUT);
  ck_assert_int_eq(c->redirs[0].fd, 2);
  ck_assert_str_eq(c->redirs[0].target.text, "1");
  ck_assert_uint_eq(c->redirs[0].start, 5);
  ck_assert_uint_eq(c->redirs[0].end, 9);
  ck_assert_int_eq(c->redirs[1].kind, DFL_SH_REDIR_OUT);
  ck_assert_int_eq(c->redirs[1].fd, -1);
  ck_assert_str_eq(c->redirs[1].op, ">");
  ck_assert_uint_eq(c->redirs[1].target.start, 11);
  ck_assert_uint_eq(c->end, strlen(in));
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_heredoc_in_script)
{
  const char *in = "cat <<-\"EOF\" > /etc/x\n\tline $(not run)\n\tEOF\n"
                   "apt-get update";
  dfl_sh_script *s = parse(in);
  ck_assert_uint_eq(s->ncmds, 2);
  const dfl_sh_redir *r = &s->cmds[0].redirs[0];
  ck_assert_int_eq(r->kind, DFL_SH_REDIR_HEREDOC);
  ck_assert_str_eq(r->target.text, "EOF");
  ck_assert(r->target.flags & DFL_SH_WORD_QUOTED);
  ck_assert(r->strip_tabs && r->has_body && r->terminated);
  ck_assert_uint_eq(r->body_end - r->body_start, strlen("\tline $(not run)\n"));
  ck_assert(memcmp(s->text + r->body_start, "\tline", 5) == 0);
  ck_assert_str_eq(dfl_sh_name(&s->cmds[1]), "apt-get");
  dfl_sh_free(s);

  /* RUN's own text: the body is elsewhere (in->heredocs) */
  s = parse("python3 <<EOF");
  r = &s->cmds[0].redirs[0];
  ck_assert(!r->has_body && !r->terminated);
  ck_assert_uint_eq(s->problems, 0);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_heredoc_body_script)
{
  /* a heredoc body as BuildKit hands it over: continuations join lines,
   * comments are skipped */
  const char *body = "#!/bin/bash\nset -eux\n# install\n"
                     "apt-get update && \\\n  apt-get install -y \\\n"
                     "    curl \\\n    git\nrm -rf /var/lib/apt/lists/*\n";
  dfl_sh_script *s = parse(body);
  char *got = render(s);
  ck_assert_str_eq(got, "set -eux NL / apt-get update && / apt-get install "
                        "-y curl git NL / rm -rf /var/lib/apt/lists/* NL");
  free(got);
  const dfl_sh_cmd *c = dfl_sh_find(s, NULL, "apt-get", 0);
  c = dfl_sh_find(s, c, "apt-get", 0);
  ck_assert_uint_eq(c->argc, 5);
  ck_assert_str_eq(c->argv[4].text, "git");
  ck_assert(memcmp(s->text + c->argv[4].start, "git", 3) == 0);
  dfl_sh_free(s);
}
END_TEST

/* ---- finding commands, wrappers ---------------------------------------- */

START_TEST(test_find)
{
  dfl_sh_script *s = parse("apt-get update && /usr/bin/apt-get install -y a "
                           "&& sudo apt-get install b && echo $(apt-get -v)");
  int n = 0;
  for (const dfl_sh_cmd *c = NULL; (c = dfl_sh_find(s, c, "apt-get", 0));)
    n++;
  ck_assert_int_eq(n, 2); /* update, and the one in $( ) */
  n = 0;
  for (const dfl_sh_cmd *c = NULL;
       (c = dfl_sh_find(s, c, "apt-get", DFL_SH_MATCH_PATH));)
    n++;
  ck_assert_int_eq(n, 3);
  n = 0;
  for (const dfl_sh_cmd *c = NULL;
       (c = dfl_sh_find(s, c, "apt-get",
                        DFL_SH_MATCH_PATH | DFL_SH_MATCH_UNWRAP));)
    n++;
  ck_assert_int_eq(n, 4);
  const dfl_sh_cmd *sudo = dfl_sh_find(s, NULL, "sudo", 0);
  ck_assert_ptr_nonnull(sudo);
  ck_assert(dfl_sh_is(sudo, "apt-get", DFL_SH_MATCH_UNWRAP));
  ck_assert(!dfl_sh_is(sudo, "apt-get", 0));
  ck_assert_ptr_null(dfl_sh_find(s, NULL, "yum", DFL_SH_MATCH_UNWRAP));
  dfl_sh_free(s);
}
END_TEST

typedef struct unwrap_case {
  const char *in;
  const char *name; /* NULL: nothing is run */
  size_t argc;
} unwrap_case;

static const unwrap_case unwrap_cases[] = {
  {"apt-get install x", "apt-get", 3},
  {"sudo apt-get install x", "apt-get", 3},
  {"sudo -u root -E apt-get update", "apt-get", 2},
  {"sudo --user=root -- apt-get update", "apt-get", 2},
  {"sudo -E env DEBIAN_FRONTEND=noninteractive nohup time -p apt-get update",
   "apt-get", 2},
  {"env -i -u HOME PATH=/bin go build", "go", 2},
  {"env X=1 -u HOME", "-u", 2}, /* env stops at the first NAME=value */
  {"/usr/bin/env X=1 go build", "go", 2},
  {"nice -n 10 make", "make", 1},
  {"timeout -s KILL 10s curl x", "curl", 2},
  {"gosu app:app node server.js", "node", 2},
  {"su-exec app ./run", "./run", 1},
  {"exec gunicorn app", "gunicorn", 2},
  {"eatmydata apt-get install -y x", "apt-get", 4},
  {"stdbuf -oL python x.py", "python", 2},
  {"command -v curl", "command", 3},
  {"command curl x", "curl", 2},
  {"sudo -i", NULL, 0},
  {"env", NULL, 0},
  {"nohup", NULL, 0},
};

START_TEST(test_unwrap)
{
  const unwrap_case *uc = &unwrap_cases[_i];
  dfl_sh_script *s = parse(uc->in);
  dfl_sh_cmd u = dfl_sh_unwrap(&s->cmds[0]);
  ck_assert_msg(u.argc == uc->argc, "%s: argc %zu", uc->in, u.argc);
  if (uc->name)
    ck_assert_str_eq(dfl_sh_name(&u), uc->name);
  else
    ck_assert_ptr_null(dfl_sh_name(&u));
  ck_assert_ptr_eq(u.next, s->cmds[0].next);
  ck_assert_uint_eq(u.index, 0);
  dfl_sh_free(s);
}
END_TEST

/* ---- flags and arguments ----------------------------------------------- */

typedef struct flag_case {
  const char *in;
  const char *spec;
  bool has;
} flag_case;

static const flag_case flag_cases[] = {
  {"apt-get install -y x", "y|yes|assume-yes", true},
  {"apt-get install --yes x", "y|yes|assume-yes", true},
  {"apt-get install --assume-yes x", "y|yes|assume-yes", true},
  {"apt-get -qy install x", "y|yes|assume-yes", true},
  {"apt-get -yq install x", "y|yes|assume-yes", true},
  {"apt-get --yes=true install x", "y|yes|assume-yes", true},
  {"apt-get install x", "y|yes|assume-yes", false},
  {"apt-get install yes", "y|yes|assume-yes", false},
  {"apt-get install -- -y", "y|yes|assume-yes", false},
  {"apt-get -o=y install", "y", false},
  {"apt-get --no-install-recommends install", "no-install-recommends", true},
  {"apt-get --no-install-recommends install", "n", false},
  {"go build -ldflags '-s -w'", "-ldflags", true},
  {"go build -ldflags=-s", "-ldflags", true},
  {"go build -ldflagsx", "-ldflags", false},
  {"cmd -", "-", false},
  {"cmd --", "-", false},
};

START_TEST(test_flags)
{
  const flag_case *fc = &flag_cases[_i];
  dfl_sh_script *s = parse(fc->in);
  ck_assert_msg(dfl_sh_has_flag(&s->cmds[0], fc->spec) == fc->has, "%s / %s",
                fc->in, fc->spec);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_flag_values)
{
  dfl_sh_script *s = parse("go build -o /out -o=/b --output /c -tags netgo "
                           "-ldflags='-s -w' ./...");
  const dfl_sh_cmd *c = &s->cmds[0];
  ck_assert_str_eq(dfl_sh_flag_value(c, "-tags"), "netgo");
  ck_assert_str_eq(dfl_sh_flag_value(c, "-ldflags"), "-s -w");
  ck_assert_str_eq(dfl_sh_flag_value(c, "output"), "/c");
  ck_assert_str_eq(dfl_sh_flag_value(c, "o|output"), "/c");
  ck_assert_str_eq(dfl_sh_flag_value(c, "o"), "/b");
  ck_assert_ptr_null(dfl_sh_flag_value(c, "x"));
  dfl_sh_free(s);

  s = parse("tar -xzf /a.tgz -C /opt && curl -ofile x && wget -O");
  ck_assert_str_eq(dfl_sh_flag_value(&s->cmds[0], "f|file"), "/a.tgz");
  ck_assert_str_eq(dfl_sh_flag_value(&s->cmds[0], "C"), "/opt");
  ck_assert_str_eq(dfl_sh_flag_value(&s->cmds[1], "o"), "file");
  ck_assert_ptr_null(dfl_sh_flag_value(&s->cmds[2], "O"));
  dfl_sh_free(s);
}
END_TEST

static char *positionals(const dfl_sh_cmd *c, const char *value_flags)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_sh_args it;
  dfl_sh_args_init(&it, c, value_flags);
  for (const dfl_sh_word *w; (w = dfl_sh_args_next(&it));)
    dfl_buf_printf(&b, "%s%s", b.len ? "," : "", w->text);
  return dfl_buf_take(&b);
}

START_TEST(test_positionals)
{
  dfl_sh_script *s = parse(
      "apt-get -t jessie -o Dpkg::Options::=--force-confold -qy install "
      "--no-install-recommends a=1.0 b - -- -c");
  char *got = positionals(&s->cmds[0], "t|target-release|o|option");
  ck_assert_str_eq(got, "install,a=1.0,b,-,-c");
  free(got);
  /* without the value flags, their values are positional */
  got = positionals(&s->cmds[0], NULL);
  ck_assert_str_eq(got, "jessie,Dpkg::Options::=--force-confold,install,"
                        "a=1.0,b,-,-c");
  free(got);
  ck_assert(dfl_sh_has_arg(&s->cmds[0], "install"));
  ck_assert(!dfl_sh_has_arg(&s->cmds[0], "apt-get"));
  dfl_sh_free(s);

  /* through a wrapper: the arguments of the wrapped command */
  s = parse("sudo -u root apt-get install -y curl");
  dfl_sh_cmd u = dfl_sh_unwrap(&s->cmds[0]);
  got = positionals(&u, NULL);
  ck_assert_str_eq(got, "install,curl");
  free(got);
  ck_assert(dfl_sh_has_flag(&u, "y"));
  ck_assert(!dfl_sh_has_flag(&s->cmds[0], "y|yes") ||
            dfl_sh_has_flag(&s->cmds[0], "y")); /* -y is there as a word */
  dfl_sh_free(s);
}
END_TEST

/* ---- realistic RUN lines ----------------------------------------------- */

START_TEST(test_apt_get_chain)
{
  dfl_sh_script *s = parse(
      "apt-get update && apt-get install -y --no-install-recommends "
      "a=1.0 b && rm -rf /var/lib/apt/lists/*");
  ck_assert_uint_eq(s->ncmds, 3);
  const dfl_sh_cmd *upd = dfl_sh_find(s, NULL, "apt-get", 0);
  const dfl_sh_cmd *inst = dfl_sh_find(s, upd, "apt-get", 0);
  const dfl_sh_cmd *rm = dfl_sh_find(s, NULL, "rm", 0);
  ck_assert(dfl_sh_has_arg(upd, "update"));
  ck_assert(dfl_sh_has_flag(inst, "y|yes|assume-yes"));
  ck_assert(dfl_sh_has_flag(inst, "no-install-recommends"));
  char *pkgs = positionals(inst, "t|o");
  ck_assert_str_eq(pkgs, "install,a=1.0,b");
  free(pkgs);
  ck_assert(dfl_sh_has_flag(rm, "r") && dfl_sh_has_flag(rm, "f"));
  ck_assert(dfl_sh_has_arg(rm, "/var/lib/apt/lists/*"));
  ck_assert(upd->index < inst->index && inst->index < rm->index);
  ck_assert_ptr_eq(upd->next, inst);
  ck_assert_ptr_eq(inst->next, rm);
  dfl_sh_free(s);
}
END_TEST

START_TEST(test_set_eux)
{
  dfl_sh_script *s = parse("set -eux; \\\n    apk add --no-cache curl; \\\n"
                           "    curl -fsSL https://get.x | sh");
  const dfl_sh_cmd *set = dfl_sh_find(s, NULL, "set", 0);
  ck_assert(dfl_sh_has_flag(set, "e") && dfl_sh_has_flag(set, "u") &&
            dfl_sh_has_flag(set, "x"));
  ck_assert(!dfl_sh_has_flag(set, "o"));
  ck_assert_int_eq(set->op, DFL_SH_OP_SEMI);
  const dfl_sh_cmd *curl = dfl_sh_find(s, NULL, "curl", 0);
  ck_assert(curl->next && dfl_sh_is(curl->next, "sh", 0) && curl->piped);
  dfl_sh_free(s);
}
END_TEST

/* ---- variable values --------------------------------------------------- */

typedef struct env_case {
  const char *in;
  const char *cmd;  /* the last command with this name is asked */
  const char *var;
  const char *want; /* NULL: unknown */
} env_case;

static const env_case env_cases[] = {
  {"cd /src && CGO_ENABLED=0 GOOS=linux go build -o /out ./...", "go",
   "CGO_ENABLED", "0"},
  {"cd /src && CGO_ENABLED=0 GOOS=linux go build -o /out ./...", "go", "GOOS",
   "linux"},
  {"cd /src && CGO_ENABLED=0 GOOS=linux go build", "go", "GOARCH", NULL},
  {"export CGO_ENABLED=0; go build", "go", "CGO_ENABLED", "0"},
  {"export CGO_ENABLED=0 GOFLAGS=-mod=vendor && go build", "go", "GOFLAGS",
   "-mod=vendor"},
  {"CGO_ENABLED=0; go build", "go", "CGO_ENABLED", "0"},
  {"CGO_ENABLED=0\ngo build", "go", "CGO_ENABLED", "0"},
  {"go env -w CGO_ENABLED=0 && go build", "go", "CGO_ENABLED", NULL},
  {"export CGO_ENABLED=1; export CGO_ENABLED=0; go build", "go",
   "CGO_ENABLED", "0"},
  {"export CGO_ENABLED=1; CGO_ENABLED=0 go build", "go", "CGO_ENABLED", "0"},
  {"CGO_ENABLED=0; export CGO_ENABLED; go build", "go", "CGO_ENABLED", "0"},
  {"export CGO_ENABLED=0; unset CGO_ENABLED; go build", "go", "CGO_ENABLED",
   NULL},
  {"declare -x CGO_ENABLED=0 && readonly X=1 && go build", "go",
   "CGO_ENABLED", "0"},
  {"(export CGO_ENABLED=0); go build", "go", "CGO_ENABLED", NULL},
  {"echo $(export CGO_ENABLED=0); go build", "go", "CGO_ENABLED", NULL},
  {"export CGO_ENABLED=0 | cat; go build", "go", "CGO_ENABLED", NULL},
  {"export CGO_ENABLED=0 & go build", "go", "CGO_ENABLED", NULL},
  {"f() { export CGO_ENABLED=0; }; go build", "go", "CGO_ENABLED", NULL},
  {"(export CGO_ENABLED=0; go build)", "go", "CGO_ENABLED", "0"},
  {"export CGO_ENABLED=0; (cd x && go build)", "go", "CGO_ENABLED", "0"},
  {"export CGO_ENABLED=0; { go build; }", "go", "CGO_ENABLED", "0"},
  {"{ export CGO_ENABLED=0; }; go build", "go", "CGO_ENABLED", "0"},
  {"if [ x ]; then export CGO_ENABLED=0; fi; go build", "go", "CGO_ENABLED",
   NULL},
  {"if [ x ]; then export CGO_ENABLED=0; go build; fi", "go", "CGO_ENABLED",
   "0"},
  {"if a; then X=1; else go build; fi", "go", "X", NULL},
  {"for i in 1; do X=1; done; go build", "go", "X", NULL},
  {"X=1 true; go build", "go", "X", NULL},
  {"export CGO_ENABLED=$C; go build", "go", "CGO_ENABLED", NULL},
  {"export CGO_ENABLED=\"0\"; go build", "go", "CGO_ENABLED", "0"},
  {"X=a; X+=b; go build", "go", "X", NULL},
  {"env CGO_ENABLED=0 go build", "env", "CGO_ENABLED", "0"},
  {"export X=1; env -i go build", "env", "X", NULL},
  {"export X=1; env -u X go build", "env", "X", NULL},
  {"export X=1; sudo -E go build", "sudo", "X", "1"},
  {"go build; export CGO_ENABLED=0", "go", "CGO_ENABLED", NULL},
  {"read X; go build", "go", "X", NULL},
};

START_TEST(test_env_before)
{
  const env_case *ec = &env_cases[_i];
  dfl_sh_script *s = parse(ec->in);
  const dfl_sh_cmd *c = NULL, *last = NULL;
  while ((c = dfl_sh_find(s, c, ec->cmd, 0)))
    last = c;
  ck_assert_msg(last != NULL, "%s: no %s", ec->in, ec->cmd);
  const char *got = dfl_sh_env_before(s, last, ec->var);
  if (ec->want)
    ck_assert_msg(got && strcmp(got, ec->want) == 0, "%s: %s is %s, want %s",
                  ec->in, ec->var, got ? got : "NULL", ec->want);
  else
    ck_assert_msg(got == NULL, "%s: %s is %s, want NULL", ec->in, ec->var,
                  got);
  dfl_sh_free(s);
}
END_TEST

/* ---- heredocs run by a shell ------------------------------------------- */

typedef struct heredoc_case {
  const char *rest;
  const char *body;
  bool script;
} heredoc_case;

static const heredoc_case heredoc_cases[] = {
  {"<<EOF", "apt-get update\n", true},
  {"<<EOF", "#!/bin/bash\nset -e\n", true},
  {"<<EOF", "#!/usr/bin/env bash\nset -e\n", true},
  {"<<EOF", "#!/usr/bin/env -S sh -e\nx\n", true},
  {"<<EOF", "#!/usr/bin/env python3\nprint(1)\n", false},
  {"<<EOF", "#!/usr/bin/python3\nprint(1)\n", false},
  {"bash -ex <<EOF", "#!/usr/bin/python3\nx\n", true},
  {"sh -s -- a b <<EOF", "x\n", true},
  {"bash -o pipefail <<EOF", "x\n", true},
  {"sudo /bin/sh <<EOF", "x\n", true},
  {"sh -c 'cat' <<EOF", "x\n", false},
  {"bash script.sh <<EOF", "x\n", false},
  {"python3 <<EOF", "print(1)\n", false},
  {"cat <<EOF > /etc/app.conf", "x=1\n", false},
  {"cat 3<<EOF", "x\n", false},
  {"<<OTHER", "x\n", false},
  {"<<EOF <<B", "x\n", false},
  {"<<EOF > /out", "x\n", false},
  {"while read l; do echo $l; done <<EOF", "a\n", false},
};

START_TEST(test_heredoc_is_script)
{
  const heredoc_case *hc = &heredoc_cases[_i];
  dfl_sh_script *s = parse(hc->rest);
  ck_assert_msg(dfl_sh_heredoc_is_script(s, "EOF", 3, hc->body,
                                         strlen(hc->body)) == hc->script,
                "%s / %s", hc->rest, hc->body);
  dfl_sh_free(s);
}
END_TEST

/* ---- from a Dockerfile: positions -------------------------------------- */

static const dfl_instr *first_run(const dfl_dockerfile *df)
{
  for (size_t i = 0; i < df->ninstrs; i++)
    if (df->instrs[i]->kind == DFL_INSTR_RUN)
      return df->instrs[i];
  return NULL;
}

START_TEST(test_positions_from_dockerfile)
{
  const char *src = "FROM debian\n"
                    "RUN --mount=type=cache,target=/var/cache/apt \\\n"
                    "    apt-get update && \\\n"
                    "    apt-get install -y curl\n";
  dfl_dockerfile *df = dfl_parse(src, strlen(src), "Dockerfile");
  const dfl_instr *in = first_run(df);
  ck_assert_ptr_nonnull(in);
  dfl_sh_script *s = dfl_sh_parse(in->rest, in->rest_len);
  ck_assert_uint_eq(s->ncmds, 2);
  const dfl_sh_cmd *inst = &s->cmds[1];
  ck_assert_str_eq(dfl_sh_name(inst), "apt-get");
  const dfl_sh_word *curl = &inst->argv[3];
  ck_assert_str_eq(curl->text, "curl");
  dfl_pos pos = dfl_instr_pos(in, in->rest_offset + curl->start);
  ck_assert_uint_eq(pos.line, 4);
  ck_assert_uint_eq(pos.col, 24);
  ck_assert(memcmp(src + pos.offset, "curl", 4) == 0);
  pos = dfl_instr_pos(in, in->rest_offset + s->cmds[0].start);
  ck_assert_uint_eq(pos.line, 3);
  ck_assert_uint_eq(pos.col, 5);
  dfl_sh_free(s);
  dfl_dockerfile_free(df);
}
END_TEST

START_TEST(test_positions_in_heredoc)
{
  const char *src = "FROM alpine\n"
                    "RUN <<EOF\n"
                    "set -e\n"
                    "  apk add \\\n"
                    "    curl\n"
                    "EOF\n";
  dfl_dockerfile *df = dfl_parse(src, strlen(src), "Dockerfile");
  const dfl_instr *in = first_run(df);
  ck_assert_uint_eq(in->nheredocs, 1);
  const dfl_heredoc *hd = &in->heredocs[0];
  dfl_sh_script *rest = dfl_sh_parse(in->rest, in->rest_len);
  ck_assert(dfl_sh_heredoc_is_script(rest, hd->name, hd->name_len,
                                     hd->content, hd->content_len));
  dfl_sh_script *s = dfl_sh_parse(hd->content, hd->content_len);
  const dfl_sh_cmd *apk = dfl_sh_find(s, NULL, "apk", 0);
  ck_assert_uint_eq(apk->argc, 3);
  /* the documented mapping: body offset + body start; line by newlines */
  size_t off = apk->argv[2].start;
  size_t src_off = hd->body_range.start.offset + off;
  ck_assert(memcmp(src + src_off, "curl", 4) == 0);
  uint32_t line = hd->body_range.start.line;
  for (size_t i = 0; i < off; i++)
    line += hd->content[i] == '\n';
  ck_assert_uint_eq(line, 5);
  dfl_sh_free(s);
  dfl_sh_free(rest);
  dfl_dockerfile_free(df);
}
END_TEST

/* ---- robustness -------------------------------------------------------- */

START_TEST(test_deep_nesting)
{
  /* 10,000 nested subshells: an explicit stack, no limit */
  size_t depth = 10000;
  dfl_buf b;
  dfl_buf_init(&b);
  for (size_t i = 0; i < depth; i++)
    dfl_buf_puts(&b, "( ");
  dfl_buf_puts(&b, "apt-get update");
  for (size_t i = 0; i < depth; i++)
    dfl_buf_puts(&b, " )");
  dfl_sh_script *s = dfl_sh_parse(b.data, b.len);
  ck_assert_uint_eq(s->ncmds, 1);
  ck_assert_uint_eq(s->cmds[0].depth, depth);
  ck_assert_uint_eq(s->problems, 0);
  dfl_sh_free(s);

  /* unbalanced: 10,000 opens, no closes; and the reverse */
  dfl_buf_reset(&b);
  for (size_t i = 0; i < depth; i++)
    dfl_buf_puts(&b, "( { if ");
  s = dfl_sh_parse(b.data, b.len);
  ck_assert(s->problems & DFL_SH_PROB_SYNTAX);
  dfl_sh_free(s);
  dfl_buf_reset(&b);
  for (size_t i = 0; i < depth; i++)
    dfl_buf_puts(&b, ") } fi done esac ;; ");
  s = dfl_sh_parse(b.data, b.len);
  ck_assert_uint_eq(s->ncmds, 0);
  ck_assert(s->problems & DFL_SH_PROB_SYNTAX);
  dfl_sh_free(s);

  /* 10,000 nested $( ) and ${ }: parsed to the cap, the rest skipped */
  static const char *const opens[][2] = {
    {"$(", ")"}, {"${x:-", "}"}, {"$((", "))"}, {"\"$(", ")\""},
    {"`", ""},   {"((", "))"},   {"$((a", ")"},
  };
  for (size_t k = 0; k < N(opens); k++) {
    dfl_buf_reset(&b);
    dfl_buf_puts(&b, "echo ");
    for (size_t i = 0; i < depth; i++)
      dfl_buf_puts(&b, opens[k][0]);
    dfl_buf_puts(&b, "x");
    for (size_t i = 0; i < depth; i++)
      dfl_buf_puts(&b, opens[k][1]);
    dfl_buf_puts(&b, "; apt-get update");
    s = dfl_sh_parse(b.data, b.len);
    check_invariants(s, b.len);
    if (k == 0 || k == 3) {
      ck_assert(s->problems & DFL_SH_PROB_DEPTH);
      ck_assert_uint_eq(s->ncmds, DFL_SH_MAX_NESTING + 2);
      ck_assert_ptr_nonnull(dfl_sh_find(s, NULL, "apt-get", 0));
    }
    dfl_sh_free(s);
  }
  dfl_buf_free(&b);
}
END_TEST

static double seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 1 MB of each unit: realistic text and the worst cases for each construct
 * must all stay fast (linear), whatever they do to the structure. */
START_TEST(test_megabyte_scripts)
{
  static const char *const units[] = {
    ("apt-get update && apt-get install -y --no-install-recommends a=1.0 b "
     "&& rm -rf /var/lib/apt/lists/*; \\\n"),
    "(", ")", "( ", "$(", "${", "$((", "\"", "'", "`", "\\`", "cat <<E\n",
    "if ", "fi ", "case x in ", "<", "&", "\"$(", "\\", "for ", "[[ ", "a=(",
    "f() ", "`$(", "<<A ", "x=$(y) ", "{ ", "} ", "|", "\n", "#",
  };
  size_t total = 1u << 20;
  char *buf = malloc(total + 1);
  for (size_t k = 0; k < N(units); k++) {
    size_t u = strlen(units[k]), n = 0;
    while (n + u <= total) {
      memcpy(buf + n, units[k], u);
      n += u;
    }
    double t0 = seconds();
    dfl_sh_script *s = dfl_sh_parse(buf, n);
    double dt = seconds() - t0;
    ck_assert_msg(dt < tu_time_limit(5.0), "unit %s took %.2f s", units[k], dt);
    check_invariants(s, n);
    dfl_sh_free(s);
  }
  memset(buf, 0, total);
  dfl_sh_script *s = dfl_sh_parse(buf, total);
  check_invariants(s, total);
  dfl_sh_free(s);
  free(buf);
}
END_TEST

/* Random scripts over the shell's special characters (seeded, so a failure
 * reproduces): no crash, no loop, invariants hold. */
START_TEST(test_fuzz)
{
  static const char *const atoms[] = {
    " ",  "\n", "\t", "a",  "b",   "$",  "(",   ")",  "{",  "}",   "`",
    "'",  "\"", "\\", "|",  "&",   ";",  "<",   ">",  "#",  "=",   "-",
    "[[", "]]", "if", "then", "fi", "do", "done", "for", "in", "case",
    "esac", ";;", "<<E", "\nE\n", "$(", "${", "$((", "2>&1", "\0", "\r\n",
    "X=1", "export", "sudo", "env", "f()", "!", "*",
  };
  uint64_t state = 0x2545F4914F6CDD1DULL;
  char buf[400];
  for (int iter = 0; iter < 20000; iter++) {
    size_t n = 0;
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    size_t natoms = state % 60;
    for (size_t k = 0; k < natoms; k++) {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      size_t ai = state % N(atoms);
      size_t al = ai == 40 ? 1 : strlen(atoms[ai]);
      if (n + al > sizeof buf)
        break;
      memcpy(buf + n, atoms[ai], al);
      n += al;
    }
    dfl_sh_script *s = dfl_sh_parse(buf, n);
    check_invariants(s, n);
    (void)dfl_sh_heredoc_is_script(s, "E", 1, buf, n);
    dfl_sh_free(s);
  }
}
END_TEST

static size_t parse_instr(const dfl_instr *in)
{
  size_t n = 0;
  if (in->kind == DFL_INSTR_ONBUILD && in->sub)
    return parse_instr(in->sub);
  if (in->kind != DFL_INSTR_RUN)
    return 0;
  dfl_sh_script *rest = NULL;
  if (!in->json) {
    rest = dfl_sh_parse(in->rest, in->rest_len);
    check_invariants(rest, in->rest_len);
    n++;
  }
  for (size_t h = 0; h < in->nheredocs; h++) {
    const dfl_heredoc *hd = &in->heredocs[h];
    dfl_sh_script *s = dfl_sh_parse(hd->content, hd->content_len);
    check_invariants(s, hd->content_len);
    if (rest)
      (void)dfl_sh_heredoc_is_script(rest, hd->name, hd->name_len,
                                     hd->content, hd->content_len);
    dfl_sh_free(s);
    n++;
  }
  dfl_sh_free(rest);
  return n;
}

START_TEST(test_corpus)
{
  if (!tu_shared_available("corpus/public"))
    return;
  DIR *d = opendir(tu_shared_path("corpus/public"));
  ck_assert_ptr_nonnull(d);
  struct dirent *e;
  size_t files = 0, scripts = 0, with_cmds = 0;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/corpus/public/%s", DFLINT_SHARED_DIR,
             e->d_name);
    size_t len;
    char *data = tu_read_file(path, &len);
    if (!data)
      continue;
    dfl_dockerfile *df = dfl_parse(data, len, path);
    for (size_t i = 0; i < df->ninstrs; i++) {
      const dfl_instr *in = df->instrs[i];
      scripts += parse_instr(in);
      if (in->kind == DFL_INSTR_RUN && !in->json) {
        dfl_sh_script *s = dfl_sh_parse(in->rest, in->rest_len);
        with_cmds += s->ncmds > 0;
        dfl_sh_free(s);
      }
    }
    dfl_dockerfile_free(df);
    free(data);
    files++;
  }
  closedir(d);
  ck_assert_uint_gt(files, 3000);
  ck_assert_uint_gt(scripts, 8000);
  ck_assert_uint_gt(with_cmds, scripts * 9 / 10);
}
END_TEST

static Suite *shell_suite(void)
{
  Suite *s = suite_create("shell");
  TCase *tc = tcase_create("parse");
  tcase_add_loop_test(tc, test_render, 0, (int)N(render_cases));
  tcase_add_test(tc, test_word_spans);
  tcase_add_test(tc, test_nul_bytes);
  tcase_add_test(tc, test_assignments);
  tcase_add_test(tc, test_ops_and_next);
  tcase_add_test(tc, test_pipefail_pipelines);
  tcase_add_test(tc, test_nesting);
  tcase_add_test(tc, test_keywords_only_in_command_position);
  tcase_add_test(tc, test_redirections);
  tcase_add_test(tc, test_heredoc_in_script);
  tcase_add_test(tc, test_heredoc_body_script);
  suite_add_tcase(s, tc);

  tc = tcase_create("helpers");
  tcase_add_test(tc, test_find);
  tcase_add_loop_test(tc, test_unwrap, 0, (int)N(unwrap_cases));
  tcase_add_loop_test(tc, test_flags, 0, (int)N(flag_cases));
  tcase_add_test(tc, test_flag_values);
  tcase_add_test(tc, test_positionals);
  tcase_add_test(tc, test_apt_get_chain);
  tcase_add_test(tc, test_set_eux);
  tcase_add_loop_test(tc, test_env_before, 0, (int)N(env_cases));
  tcase_add_loop_test(tc, test_heredoc_is_script, 0, (int)N(heredoc_cases));
  tcase_add_test(tc, test_positions_from_dockerfile);
  tcase_add_test(tc, test_positions_in_heredoc);
  suite_add_tcase(s, tc);

  tc = tcase_create("robustness");
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, test_deep_nesting);
  tcase_add_test(tc, test_megabyte_scripts);
  tcase_add_test(tc, test_fuzz);
  tcase_add_test(tc, test_corpus);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(shell_suite());
}
