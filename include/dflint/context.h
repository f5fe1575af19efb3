/* Measuring a build context: what BuildKit would send for it (or for one
 * path inside it) once .dockerignore is applied, how big that is, where the
 * bytes are, and whether it holds things an image rarely wants (.git,
 * node_modules, a Python virtualenv, build outputs).
 *
 * The walk follows BuildKit's file transfer (tonistiigi/fsutil's filtered
 * walk): entries are visited in lexical order, a path is matched with
 * dfl_ignore_match_walk using its directory's results, an ignored directory
 * is skipped unless a `!` exclusion could bring back something inside it,
 * and an ignored directory that is entered anyway is only sent when
 * something below it is.
 *
 * What is counted, and why:
 *  - bytes are apparent sizes (st_size): the transfer reads a sparse file
 *    like any other and sends its holes as zeros, so a 1 GB sparse file is
 *    1 GB on the wire and in the layer, whatever it occupies on disk;
 *  - a symbolic link is sent as a link: it counts its own size (the length
 *    of its target) and is never followed, so a walk cannot loop or leave
 *    the context (every directory is opened with O_NOFOLLOW, relative to its
 *    parent's descriptor);
 *  - a regular file with several hard links inside the walk counts once, as
 *    fsutil sends the later links as links;
 *  - directories and special files count 0 bytes; directories are not
 *    "files".
 * Nothing is fatal: an entry that cannot be listed, stat'ed or read (BuildKit
 * would fail the build on it) is counted in `unreadable`, and the walk goes
 * on. A walk stops at a limit (entries, time, depth) with `truncated` set:
 * every figure is then a lower bound. */
#ifndef DFLINT_CONTEXT_H
#define DFLINT_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dflint/dockerignore.h"

/* What a found entry is. */
#define DFL_CONTEXT_GIT 0x1u          /* a .git directory */
#define DFL_CONTEXT_NODE_MODULES 0x2u /* a node_modules directory */
#define DFL_CONTEXT_VENV 0x4u         /* a directory holding pyvenv.cfg or
                                         bin/activate */
#define DFL_CONTEXT_BUILD_OUTPUT 0x8u /* see below */

/* Build outputs: `.next/` and `__pycache__/` directories and `*.o` files
 * always; `target/`, `build/` and `dist/` only where a tool that writes
 * there has left its mark, because these names are also common for source
 * directories (a `build/` of CI scripts):
 *   target/  next to Cargo.toml, pom.xml, build.sbt or project.clj, or
 *            holding CACHEDIR.TAG or .rustc_info.json;
 *   build/   next to build.gradle(.kts), settings.gradle(.kts),
 *            CMakeLists.txt, setup.py, pyproject.toml or package.json, or
 *            holding CMakeCache.txt or CACHEDIR.TAG;
 *   dist/    next to package.json, setup.py, setup.cfg or pyproject.toml. */

/* Default limits (a zero in dfl_context_opts picks them). */
#define DFL_CONTEXT_MAX_ENTRIES 1000000u
#define DFL_CONTEXT_MAX_MILLIS 5000u
#define DFL_CONTEXT_MAX_DEPTH 128u
#define DFL_CONTEXT_MAX_TOP 10u

typedef struct dfl_context_opts {
  const dfl_ignore *ignore;  /* the .dockerignore in effect, or NULL */
  const dfl_ignore *exclude; /* more patterns an entry must also escape
                                (COPY --exclude), or NULL */
  const char *path;          /* slash-separated path inside the context to
                                measure (a COPY source); NULL or "." for the
                                whole context. Its components are never
                                followed through symbolic links. */
  uint64_t max_entries;      /* entries looked at (sent or not) */
  uint32_t max_millis;       /* wall-clock budget */
  unsigned max_depth;        /* directory levels below path */
  size_t max_top;            /* length of dfl_context_summary.top */
} dfl_context_opts;

/* One place the bytes are: a top-level entry, or everything of one kind
 * that the same .dockerignore line would leave out. */
typedef struct dfl_context_item {
  char *path;      /* relative to the context, slash-separated; a directory
                      ends in '/' ("node_modules/", "web/.next/"); for an
                      aggregate, the first such path in walk order */
  char *pattern;   /* found items: the .dockerignore line that excludes them:
                      "node_modules", "api/.venv", or a double star, a
                      slash and "__pycache__" (or "*.o") for names found at
                      any depth; NULL for top-level items */
  unsigned kind;   /* one DFL_CONTEXT_* bit; 0 for a plain top-level entry */
  bool is_dir;
  uint64_t count;  /* found items: how many entries the pattern covers */
  uint64_t bytes;  /* bytes sent from under it */
  uint64_t files;  /* non-directory entries sent from under it */
} dfl_context_item;

typedef struct dfl_context_summary {
  uint64_t bytes;      /* everything sent */
  uint64_t files;      /* non-directory entries sent */
  uint64_t dirs;       /* directories sent, the walked one not included */
  uint64_t entries;    /* entries looked at, sent or ignored */
  uint64_t unreadable; /* entries that could not be listed, stat'ed or read */
  unsigned kinds;      /* DFL_CONTEXT_* bits of everything found */
  bool truncated;      /* a limit stopped the walk: figures are lower bounds */
  const char *limit;   /* which limit: "entries", "time" or "depth" (static),
                          or NULL */
  /* The biggest entries directly inside the walked path, biggest first
   * (ties by path), at most max_top of them. */
  dfl_context_item *top;
  size_t ntop;
  /* Found things, outermost only (a node_modules inside a .git is part of
   * the .git), one item per .dockerignore line, biggest first. */
  dfl_context_item *found;
  size_t nfound;
  char *error;         /* why the walk did not happen or stopped early
                          (malloc'd): the directory cannot be opened, or a
                          .dockerignore pattern BuildKit cannot evaluate */
} dfl_context_summary;

/* Walks context_dir (followed if it is itself a symbolic link) as opts says
 * (opts may be NULL). Returns 0 when the walk ran, to its end or to a limit;
 * -1 with out->error set when it could not start or hit a pattern BuildKit
 * fails on (the figures are then partial). out is always initialised and
 * must be released with dfl_context_summary_free. */
int dfl_context_walk(const char *context_dir, const dfl_context_opts *opts,
                     dfl_context_summary *out);
void dfl_context_summary_free(dfl_context_summary *s);

/* dfl_context_walk of the whole context with default limits, the
 * .dockerignore ig and the --exclude patterns `exclude` (their text, one per
 * line, in `excludes`), answered from an earlier identical walk of this
 * process when there is one (src/context/walk_cache.c): the Dockerfiles of
 * a directory usually share one context. Thread-safe. */
int dfl_context_walk_shared(const char *context_dir, const dfl_ignore *ig,
                            const char *excludes, const dfl_ignore *exclude,
                            dfl_context_summary *out);

/* Decimal units the way docker prints sizes: "812 B", "4.5 kB", "18 MB",
 * "1.1 GB" (one decimal under 10, none from 10 up). */
void dfl_context_format_size(uint64_t bytes, char *buf, size_t n);

/* "a .git directory", "node_modules", "a Python virtualenv", "build output". */
const char *dfl_context_kind_name(unsigned kind);

#endif
