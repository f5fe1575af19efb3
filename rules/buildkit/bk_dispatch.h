/* What dockerfile2llb's dispatch does to one instruction before the checks
 * that run there (UndefinedVar, CopyIgnoredFile, WorkdirRelativePath, the
 * EXPOSE checks, ...) look at it: which words it hands to the expander and in
 * which order, how a stage ARG gets its value, and how EXPOSE port specs are
 * split. Shared by those rules; not a rule itself. */
#ifndef DFLINT_RULES_BK_DISPATCH_H
#define DFLINT_RULES_BK_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/rule.h"

typedef enum bkd_role {
  BKD_KEY,    /* ENV/LABEL key */
  BKD_VALUE,  /* ENV/LABEL value */
  BKD_FLAG,   /* --chown, --chmod, --checksum */
  BKD_SOURCE, /* COPY/ADD source path (heredoc sources are not words) */
  BKD_DEST,   /* COPY/ADD destination */
  BKD_MOUNT,  /* a value of a RUN --mount field */
  BKD_OTHER   /* WORKDIR, USER, VOLUME, STOPSIGNAL argument */
} bkd_role;

typedef struct bkd_word {
  const char *text; /* owned by the list */
  size_t len;
  bkd_role role;
  int arg;          /* index into in->args, or -1 for a flag value */
  const char *flag; /* the flag name for BKD_FLAG ("chown"), else NULL */
  dfl_range range;  /* where it was written, on the instruction's first line */
} bkd_word;

typedef struct bkd_words {
  bkd_word *items;
  size_t n;
  size_t cap;
} bkd_words;

/* The words Command.Expand passes to the expander, in BuildKit's order. ARG
 * is not among them (dispatchArg expands defaults itself: bkd_arg_walk),
 * nor are EXPOSE ports (expanded with word splitting: bkd_expose_walk) or
 * COPY/ADD heredoc bodies (bkd_heredoc_of). out must be zeroed. */
void bkd_expand_words(const dfl_instr *in, bkd_words *out);
void bkd_words_free(bkd_words *w);

/* r, unless it starts on a later line than the instruction: then the
 * instruction's range (BuildKit reports the instruction's first line). */
dfl_range bkd_first_line_range(const dfl_instr *in, dfl_range r);

/* Whether a COPY/ADD source word is a heredoc (<<EOF, <<-"EOF", 3<<EOF), in
 * *is_heredoc; the result is the heredoc body with that name (the last one,
 * as BuildKit's lookup map keeps), or NULL when there is none. */
const dfl_heredoc *bkd_heredoc_of(const dfl_instr *in, const char *word,
                                  size_t len, bool *is_heredoc);

/* One stage ARG key as dispatchArg sees it. */
typedef struct bkd_arg {
  size_t index;             /* in->args index */
  const char *key;
  size_t key_len;
  const dfl_lex_result *def; /* the expanded default, or NULL when it was not
                                expanded (no "=", or a build-arg overrides) */
  const dfl_env *env;        /* the env the default was expanded with */
  const dfl_namelist *declared; /* ARG names declared before this key */
} bkd_arg;

typedef void (*bkd_arg_fn)(dfl_ctx *ctx, const dfl_instr *in,
                           const bkd_arg *a, void *arg);

/* Walks the keys of a stage ARG in order, updating a private copy of the
 * env and declared names the way dispatchArg does (a build-arg wins, then
 * the default expanded with the env so far, then the global value). Stops
 * after the key whose default fails to expand (BuildKit's error). */
void bkd_arg_walk(dfl_ctx *ctx, const dfl_instr *in, bkd_arg_fn fn,
                  void *arg);

/* One EXPOSE port spec after expansion, as parsePort splits it. */
typedef struct bkd_port {
  const char *spec; /* the whole expanded spec ("127.0.0.1:80:80/TCP") */
  size_t len;
  const char *proto; /* as written after '/', "" when absent */
  size_t proto_len;
  bool has_ip;        /* an IP part before the host port */
  bool has_host_port; /* a host port part */
  dfl_range range;    /* the argument it came from */
} bkd_port;

typedef void (*bkd_port_fn)(dfl_ctx *ctx, const dfl_instr *in,
                            const bkd_port *p, void *arg);

/* Walks the port specs of an EXPOSE the way dispatchExpose does: arguments
 * sorted, each expanded with word splitting (nothing at all if one fails),
 * then each spec parsed in order. fn runs where BuildKit's lint checks run;
 * the walk stops before a spec with no port or a bad protocol and after a
 * spec with a bad IP or port range (the build fails there). */
void bkd_expose_walk(dfl_ctx *ctx, const dfl_instr *in, bkd_port_fn fn,
                     void *arg);

#endif
