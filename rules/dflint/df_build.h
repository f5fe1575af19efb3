/* Shared by DF102 (NoMultiStageBuild) and DF104 (CgoBinaryOnStaticBase):
 * walking the shell commands of a RUN (its text and the heredocs a shell
 * runs), mapping a command back to the Dockerfile, and recognising the
 * commands both rules care about: package installs of a C toolchain,
 * package removals, `go build`. */
#ifndef DFLINT_DF_BUILD_H
#define DFLINT_DF_BUILD_H

#include <stdbool.h>
#include <stddef.h>

#include "dflint/rule.h"
#include "dflint/shell.h"

/* The scripts of a RUN in the order the shell runs them: index 0 is the
 * RUN's own text (NULL for the exec form), 1..nheredocs its heredocs (NULL
 * for data heredocs). */
size_t dfb_nscripts(const dfl_run_scripts *rs);
const dfl_sh_script *dfb_script(const dfl_run_scripts *rs, size_t i);

/* The Dockerfile range of bytes [from, to) of script i of rs (see
 * include/dflint/shell.h for how offsets map back). */
dfl_range dfb_range(const dfl_run_scripts *rs, size_t i, size_t from,
                    size_t to);

/* A package-manager command (apt-get/apt/aptitude install, apk add,
 * yum/dnf/microdnf/zypper install) that installs a package named in
 * `names` (NULL-terminated); versions (gcc=12.2, gcc~=1) and arch
 * qualifiers (gcc:amd64) are ignored. u is an unwrapped command. On a match
 * *which (if non-NULL) gets the name. */
bool dfb_installs_any(const dfl_sh_cmd *u, const char *const *names,
                      const char **which);
/* The packages that give an image a C compiler: gcc, g++, clang,
 * build-essential (Debian/Ubuntu), build-base (Alpine), gcc-c++ (Fedora). */
extern const char *const dfb_cc_packages[];
/* A package-manager command that removes packages: apt-get/apt
 * remove/purge/autoremove, apk del, yum/dnf/microdnf remove/erase,
 * zypper remove/rm. */
bool dfb_removes_packages(const dfl_sh_cmd *u);

/* `go build` or `go install` (go named directly or by path). */
bool dfb_is_go_build(const dfl_sh_cmd *u);

/* Stage chains: s is st itself or one of the stages its FROM names,
 * directly or through other stages. */
bool dfb_in_chain(const dfl_model *m, const dfl_stage *st,
                  const dfl_stage *s);

#endif
