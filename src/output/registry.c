#include <string.h>

#include "dflint/output.h"

extern const dfl_renderer dfl_renderer_text;
extern const dfl_renderer dfl_renderer_json;
extern const dfl_renderer dfl_renderer_buildkit_json;

const dfl_renderer *const dfl_renderers[] = {
  &dfl_renderer_text,
  &dfl_renderer_json,
  &dfl_renderer_buildkit_json,
  NULL,
};

const dfl_renderer *dfl_renderer_find(const char *name)
{
  for (size_t i = 0; dfl_renderers[i]; i++)
    if (strcmp(dfl_renderers[i]->name, name) == 0)
      return dfl_renderers[i];
  return NULL;
}
