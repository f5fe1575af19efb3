#include <string.h>

#include "dflint/output.h"

extern const dfl_renderer dfl_renderer_text;
extern const dfl_renderer dfl_renderer_json;
extern const dfl_renderer dfl_renderer_buildkit_json;
extern const dfl_renderer dfl_renderer_sarif;
extern const dfl_renderer dfl_renderer_github;
extern const dfl_renderer dfl_renderer_gitlab;
extern const dfl_renderer dfl_renderer_checkstyle;
extern const dfl_renderer dfl_renderer_gnu;
extern const dfl_renderer dfl_renderer_junit;
extern const dfl_renderer dfl_renderer_hadolint_json;

const dfl_renderer *const dfl_renderers[] = {
  &dfl_renderer_text,
  &dfl_renderer_json,
  &dfl_renderer_buildkit_json,
  &dfl_renderer_sarif,
  &dfl_renderer_github,
  &dfl_renderer_gitlab,
  &dfl_renderer_checkstyle,
  &dfl_renderer_gnu,
  &dfl_renderer_junit,
  &dfl_renderer_hadolint_json,
  NULL,
};

const dfl_renderer *dfl_renderer_find(const char *name)
{
  for (size_t i = 0; dfl_renderers[i]; i++)
    if (strcmp(dfl_renderers[i]->name, name) == 0)
      return dfl_renderers[i];
  return NULL;
}
