/* The registry client's pure parsers (src/advisor/registry_internal.h):
 * what a registry or token server sends back is untrusted input. Byte 0
 * picks the parser, the rest is the body:
 *   0-3  a manifest, index or manifest list, with one of four Content-Types
 *        (or none); an index then goes through the platform choice
 *   4    a token endpoint answer     5  an error body
 *   6    an image config blob        7  WWW-Authenticate challenges
 *   8    the cache's JSON form of an answer
 *   9    sha256 and digest syntax */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/registry_internal.h"
#include "dflint/arena.h"
#include "fuzz_common.h"

static void manifest(const char *body, size_t len, const char *ct)
{
  dfl_oci_manifest m;
  memset(&m, 0, sizeof m);
  char *err = NULL;
  if (dfl_oci_parse_manifest(body, len, ct, &m, &err) == 0) {
    if (m.kind == DFL_OCI_INDEX) {
      static const char *const wants[] = {"linux/amd64", "linux/arm64",
                                          "linux/arm/v6", "windows/amd64"};
      for (size_t i = 0; i < sizeof wants / sizeof *wants; i++) {
        dfl_platform p;
        if (dfl_platform_parse(wants[i], strlen(wants[i]), &p, NULL) != 0)
          abort();
        char *perr = NULL;
        long k = dfl_oci_choose_platform(&m, &p, &perr);
        if (k >= (long)m.n_manifests || (k < 0 && !perr))
          abort();
        free(perr);
        dfl_platform_free(&p);
      }
    }
    dfl_oci_manifest_free(&m);
  } else {
    if (!err)
      abort();
    free(err);
  }
}

DFL_FUZZ_TARGET(registry_json)
{
  if (size < 1)
    return 0;
  /* The parsers take NUL-terminated text where the transport gives it. */
  char *body = dfl_xstrndup((const char *)data + 1, size - 1);
  size_t len = size - 1;
  static const char *const types[] = {NULL, DFL_MT_OCI_INDEX,
                                      DFL_MT_DOCKER_MANIFEST "; charset=utf-8",
                                      "application/json"};
  unsigned which = data[0] % 10;
  char *err = NULL;
  switch (which) {
  case 0: case 1: case 2: case 3:
    manifest(body, len, types[which]);
    break;
  case 4: {
    char *token = NULL;
    long expires = 0;
    if (dfl_auth_parse_token(body, len, &token, &expires, &err) == 0)
      free(token);
    break;
  }
  case 5:
    free(dfl_registry_error_text(body, len));
    break;
  case 6: {
    dfl_image_info info;
    memset(&info, 0, sizeof info);
    (void)dfl_oci_parse_config(body, len, &info, &err);
    dfl_image_info_free(&info);
    break;
  }
  case 7: {
    dfl_auth_challenge *list = NULL;
    size_t n = 0;
    (void)dfl_auth_parse_challenges(body, &list, &n);
    for (size_t i = 0; i < n; i++) {
      (void)dfl_auth_challenge_param(&list[i], "realm");
      (void)dfl_auth_challenge_param(&list[i], "scope");
    }
    dfl_auth_challenges_free(list, n);
    break;
  }
  case 8: {
    json_t *j = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    if (j) {
      dfl_image_info info;
      memset(&info, 0, sizeof info);
      if (dfl_image_info_from_json(j, &info) == 0) {
        /* What was read back writes out again. */
        json_t *back = dfl_image_info_to_json(&info);
        if (!back)
          abort();
        json_decref(back);
      }
      dfl_image_info_free(&info);
      json_decref(j);
    }
    break;
  }
  case 9: {
    char out[72];
    dfl_sha256_digest(body, len, out);
    if (!dfl_digest_valid(out))
      abort();
    (void)dfl_digest_valid(body);
    break;
  }
  }
  free(err);
  free(body);
  return 0;
}
