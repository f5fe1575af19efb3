/* Docker image references (dfl_image_ref_parse and its variants). A
 * reference that parses must print back to one that parses to the same
 * thing. Input: the reference, optionally followed by a NUL and a tag or
 * digest to set on it. */
#include <stdlib.h>
#include <string.h>

#include "dflint/refs.h"
#include "fuzz_common.h"

typedef int (*parser_fn)(const char *, size_t, dfl_image_ref *, char **);

static void exercise(parser_fn parse, dfl_image_ref *r, const char *extra,
                     size_t extra_len)
{
  char *name = dfl_image_ref_name(r);
  char *str = dfl_image_ref_string(r);
  char *fam = dfl_image_ref_familiar_name(r);
  char *famr = dfl_image_ref_familiar(r);
  (void)dfl_image_ref_tag_or_latest(r);
  (void)dfl_image_ref_manifest_ref(r);
  (void)dfl_image_ref_registry_host(r);
  (void)dfl_image_ref_is_docker_hub(r);
  /* Round trip: the string parses back, with the same parser, to a
   * reference that prints the same (reference.Parse keeps "alpine/git" as
   * it is; ParseNormalizedNamed makes it docker.io/alpine/git). */
  dfl_image_ref back;
  char *err = NULL;
  if (parse(str, strlen(str), &back, &err) == 0) {
    char *str2 = dfl_image_ref_string(&back);
    if (strcmp(str, str2) != 0)
      abort();
    free(str2);
    dfl_image_ref_free(&back);
  }
  free(err);
  if (extra) {
    char *e = NULL;
    (void)dfl_image_ref_set_tag(r, extra, extra_len, &e);
    free(e);
    e = NULL;
    (void)dfl_image_ref_set_digest(r, extra, extra_len, &e);
    free(e);
  }
  dfl_image_ref_tag_name_only(r);
  free(name);
  free(str);
  free(fam);
  free(famr);
}

DFL_FUZZ_TARGET(refs)
{
  const char *p = (const char *)data, *end = p + size;
  size_t len, extra_len = 0;
  const char *s = dfl_fuzz_next(&p, end, '\0', &len);
  const char *extra = NULL;
  if (s + len < end)
    extra = dfl_fuzz_next(&p, end, '\0', &extra_len);
  (void)dfl_is_image_id(s, len);

  parser_fn parsers[] = {
    dfl_image_ref_parse, dfl_image_ref_parse_docker, dfl_image_ref_parse_raw};
  for (size_t i = 0; i < sizeof parsers / sizeof *parsers; i++) {
    dfl_image_ref r;
    char *err = NULL;
    if (parsers[i](s, len, &r, &err) == 0) {
      if (err || !r.path)
        abort();
      exercise(parsers[i], &r, extra, extra_len);
      dfl_image_ref_free(&r);
    } else {
      if (r.domain || r.path || r.tag || r.digest)
        abort(); /* *out is zeroed on failure */
      free(err);
    }
  }
  return 0;
}
