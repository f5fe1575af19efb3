/* Parse and lint with every rule (experimental and off-by-default ones
 * included) except ShellCheck, which would spawn a process per input. The
 * build context is a directory that does not exist, so the rules that read
 * .dockerignore or measure the context see none; the date is fixed so runs
 * are reproducible. */
#include <stdlib.h>

#include "dflint/lint.h"
#include "dflint/parse.h"
#include "fuzz_common.h"

DFL_FUZZ_TARGET(lint)
{
  dfl_dockerfile *df = dfl_parse((const char *)data, size, "Dockerfile");
  dfl_lint_options o;
  dfl_lint_options_init(&o);
  o.sel.select = malloc(sizeof *o.sel.select);
  o.sel.select[0] = strdup("all");
  o.sel.nselect = 1;
  o.sel.experimental = true;
  o.shellcheck = DFL_SHELLCHECK_OFF;
  o.today = 20261207;
  o.context_dir = "/nonexistent/dflint-fuzz-context";
  dfl_lint_result r;
  dfl_lint(df, "/nonexistent/dflint-fuzz-context/Dockerfile", &o, &r);
  for (size_t i = 0; i < r.ndiags; i++)
    if (!r.diags[i].message || !r.diags[i].rule_id)
      abort();
  dfl_lint_result_free(&r);
  o.context_dir = NULL;
  dfl_lint_options_free(&o);
  dfl_dockerfile_free(df);
  return 0;
}
