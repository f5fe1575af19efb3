/* Inline pragma comments (# dflint ignore=..., # hadolint ...): the text
 * after '#', any bytes. */
#include <stdlib.h>

#include "lint/pragma.h"
#include "fuzz_common.h"

DFL_FUZZ_TARGET(pragma)
{
  dfl_pragma pr;
  dfl_pragma_parse((const char *)data, size, &pr);
  if (pr.kind == DFL_PRAGMA_MALFORMED && !pr.error)
    abort();
  for (size_t i = 0; i < pr.nids; i++)
    if (!pr.ids[i])
      abort();
  if (pr.nids && pr.id_col > size)
    abort();
  dfl_pragma_free(&pr);
  return 0;
}
