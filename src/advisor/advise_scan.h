/* What the advisor learns from a Dockerfile and its build context before
 * it weighs any image (advise.c): what the final stage's FROM chain copies
 * in and runs, what it needs a shell for, and evidence about the app (Go
 * builds and cgo, Node native modules, Python packages with compiled
 * code). Internal to src/advisor. */
#ifndef DFLINT_ADVISOR_ADVISE_SCAN_H
#define DFLINT_ADVISOR_ADVISE_SCAN_H

#include "advisor/advise.h"
#include "dflint/model.h"

/* What the Go builds that reach the final image produce. */
enum {
  ADV_GO_NONE = 0, /* no go build reaches it */
  ADV_GO_STATIC,   /* every one is static (cgo off, or linked -static) */
  ADV_GO_DYNAMIC,  /* one links libc dynamically (cgo on) */
  ADV_GO_UNKNOWN   /* cgo depends on something the text does not show */
};

typedef struct adv_scan {
  /* The final stage's FROM chain (the stages its image is built through). */
  dfl_strlist shell_needs; /* "RUN (line 4)", "the shell-form CMD (line 9)" */
  size_t nruns;            /* RUN instructions */
  uint32_t first_run_line;
  char *pkg_cmd;           /* first package-manager command: "apt-get" */
  uint32_t pkg_line;
  uint32_t user_line;      /* last USER, 0 when none */
  /* The payload: what COPY/ADD take from the build context. */
  uint64_t context_bytes, context_files;
  bool payload_complete;
  dfl_strlist payload_unknown;
  /* Go. */
  int go;                  /* ADV_GO_* */
  uint32_t go_line;        /* the build that decided it */
  char *go_why;            /* "CGO_ENABLED=0 (line 7)", "golang:1.23 has gcc,
                              so cgo is on by default" */
  bool go_in_chain;        /* a go build runs in the final chain itself */
  int go_libc;             /* the builder's libc for ADV_GO_DYNAMIC */
  char *go_builder;        /* the builder stage's image */
  /* Node. */
  char *package_json;      /* the package.json read (context path), or NULL */
  dfl_strlist node_native; /* native modules it or RUN npm install names */
  /* Python. */
  char *requirements;      /* the requirements file read, or NULL */
  dfl_strlist py_native;   /* packages with compiled code */
  /* A C toolchain installed where the app is built (node-gyp, pip builds). */
  uint32_t cc_line;
  char *cc_pkg;
  /* Notes about the scan itself (.dockerignore unusable, walk limits). */
  dfl_strlist notes;
} adv_scan;

void adv_scan_run(adv_scan *s, const dfl_dockerfile *df, const dfl_model *m,
                  const dfl_stage *final, const char *path,
                  const dfl_advise_options *o);
void adv_scan_free(adv_scan *s);

#endif
