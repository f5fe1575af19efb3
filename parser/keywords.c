#include <string.h>

#include "dflint/ast.h"

static const char *const keyword_names[DFL_INSTR__COUNT] = {
  [DFL_INSTR_UNKNOWN] = NULL,
  [DFL_INSTR_ADD] = "ADD",
  [DFL_INSTR_ARG] = "ARG",
  [DFL_INSTR_CMD] = "CMD",
  [DFL_INSTR_COPY] = "COPY",
  [DFL_INSTR_ENTRYPOINT] = "ENTRYPOINT",
  [DFL_INSTR_ENV] = "ENV",
  [DFL_INSTR_EXPOSE] = "EXPOSE",
  [DFL_INSTR_FROM] = "FROM",
  [DFL_INSTR_HEALTHCHECK] = "HEALTHCHECK",
  [DFL_INSTR_LABEL] = "LABEL",
  [DFL_INSTR_MAINTAINER] = "MAINTAINER",
  [DFL_INSTR_ONBUILD] = "ONBUILD",
  [DFL_INSTR_RUN] = "RUN",
  [DFL_INSTR_SHELL] = "SHELL",
  [DFL_INSTR_STOPSIGNAL] = "STOPSIGNAL",
  [DFL_INSTR_USER] = "USER",
  [DFL_INSTR_VOLUME] = "VOLUME",
  [DFL_INSTR_WORKDIR] = "WORKDIR",
};

const char *dfl_instr_kind_name(dfl_instr_kind kind)
{
  if ((unsigned)kind >= DFL_INSTR__COUNT)
    return NULL;
  return keyword_names[kind];
}

dfl_instr_kind dfl_instr_kind_from_keyword(const char *s, size_t len)
{
  if (len < 3 || len > 11)
    return DFL_INSTR_UNKNOWN;
  for (int k = 1; k < DFL_INSTR__COUNT; k++) {
    const char *name = keyword_names[k];
    if (strlen(name) != len)
      continue;
    size_t i = 0;
    while (i < len && (s[i] == name[i] || s[i] == name[i] + 32))
      i++;
    if (i == len)
      return (dfl_instr_kind)k;
  }
  return DFL_INSTR_UNKNOWN;
}
