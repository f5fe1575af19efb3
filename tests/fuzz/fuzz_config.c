/* Configuration files (YAML, dfl_config_parse). What parses is written
 * back with dfl_config_write_yaml, which must parse again, and applied to
 * lint options as the CLI does. */
#include <stdlib.h>
#include <string.h>

#include "dflint/config.h"
#include "dflint/lint.h"
#include "fuzz_common.h"

DFL_FUZZ_TARGET(config)
{
  dfl_config c;
  dfl_config_init(&c);
  char *err = NULL;
  if (dfl_config_parse((const char *)data, size, ".dflint.yaml", &c, &err) == 0) {
    if (err)
      abort();
    dfl_buf y = {0};
    dfl_config_write_yaml(&c, &y);
    dfl_config c2;
    dfl_config_init(&c2);
    char *err2 = NULL;
    if (dfl_config_parse(y.data ? y.data : "", y.len, "written.yaml", &c2, &err2) != 0)
      abort(); /* the effective configuration must read back */
    /* ... to the same settings. The first text marks unset keys
     * "# default" and the second sets them all, so the second and third
     * writes must be the same text. */
    dfl_buf y2 = {0}, y3 = {0};
    dfl_config_write_yaml(&c2, &y2);
    dfl_config c3;
    dfl_config_init(&c3);
    char *err3 = NULL;
    if (dfl_config_parse(y2.data ? y2.data : "", y2.len, "written2.yaml", &c3, &err3) != 0)
      abort();
    dfl_config_write_yaml(&c3, &y3);
    if (y2.len != y3.len || (y2.len && memcmp(y2.data, y3.data, y2.len) != 0))
      abort();
    dfl_buf_free(&y2);
    dfl_buf_free(&y3);
    dfl_config_free(&c3);
    dfl_config_free(&c2);
    dfl_buf_free(&y);
    dfl_lint_options lo;
    dfl_lint_options_init(&lo);
    dfl_config_apply_lint(&c, &lo);
    dfl_lint_options_free(&lo);
  } else if (!err) {
    abort();
  }
  free(err);
  dfl_config_free(&c);
  return 0;
}
