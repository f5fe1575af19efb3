/* Docker image references, parsed and normalized exactly like Go's
 * github.com/distribution/reference v0.6.0 (with go-digest v1.0.0 digest
 * checks), which is what BuildKit and the Docker CLI use. The InvalidDefaultArgInFrom
 * check needs ParseNormalizedNamed's exact accept/reject behaviour, and the
 * advisor needs the canonical domain/path/tag/digest to contact a registry.
 *
 * Grammar (reference.go):
 *   reference := name [":" tag] ["@" digest]
 *   name      := [domain "/"] path        domain := host [":" port]
 *   host      := domain-name | "[" [0-9A-Fa-f:]+ "]"
 *   path      := component ("/" component)*,  component := [a-z0-9]+ with
 *                single ".", "_", "__" or "-"+ between alphanumeric runs
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" [0-9A-Fa-f]{32,}
 * Matching is hand-written and linear in the input length. */
#ifndef DFLINT_REFS_H
#define DFLINT_REFS_H

#include <stdbool.h>
#include <stddef.h>

/* All strings are malloc'd and NUL-terminated; free with dfl_image_ref_free. */
typedef struct dfl_image_ref {
  /* "docker.io", "ghcr.io", "localhost:5000", "[::1]:5000", "MyReg".
   * "" only where Docker itself finds no domain: a first component that
   * splitDockerDomain takes for a host but the grammar does not (e.g.
   * "foo_bar.com/x" is the path "foo_bar.com/x" with no domain). */
  char *domain;
  char *path;   /* repository path without domain: "library/alpine" */
  char *tag;    /* NULL if none */
  char *digest; /* "sha256:<hex>"; NULL if none */
} dfl_image_ref;

/* Docker Hub's naming domain and the host its registry API lives on. */
#define DFL_DOCKER_HUB_DOMAIN "docker.io"
#define DFL_DOCKER_HUB_REGISTRY "registry-1.docker.io"

/* reference.ParseNormalizedNamed on s[0..len): "alpine" becomes
 * docker.io + library/alpine. No default tag is added (see
 * dfl_image_ref_tag_name_only). Returns 0 and fills *out, or -1 with *out
 * zeroed and, if err is non-NULL, *err = Docker's message (malloc'd), one of:
 *   invalid repository name (<s>), cannot specify 64-byte hexadecimal strings
 *   invalid reference format: repository name (<path>) must be lowercase
 *   invalid reference format
 *   repository name must be lowercase
 *   repository name must not be more than 255 characters  (the path alone,
 *     after any "library/" prefix; the domain does not count)
 *   invalid checksum digest format | invalid checksum digest length |
 *   unsupported digest algorithm
 * Messages quote input bytes verbatim (a NUL byte ends the C string early). */
int dfl_image_ref_parse(const char *s, size_t len, dfl_image_ref *out, char **err);

/* reference.ParseDockerRef: ParseNormalizedNamed, then a reference with both
 * a tag and a digest keeps only the digest (that is what Docker pulls), and
 * a bare name gets the tag "latest". Same errors as dfl_image_ref_parse. */
int dfl_image_ref_parse_docker(const char *s, size_t len, dfl_image_ref *out,
                               char **err);

/* reference.Parse: the grammar alone, no normalization ("ubuntu" has domain
 * "" and path "ubuntu"). Besides the errors above (except the two
 * ParseNormalizedNamed-only ones), "" gives
 * "repository name must have at least one component". */
int dfl_image_ref_parse_raw(const char *s, size_t len, dfl_image_ref *out,
                            char **err);

/* Go's reference.TagNameOnly, in place: no tag and no digest -> "latest". */
void dfl_image_ref_tag_name_only(dfl_image_ref *r);

/* reference.WithTag / WithDigest, in place. They replace the tag (digest)
 * after checking it against the grammar; on failure r is unchanged and *err
 * is "invalid tag format" / "invalid digest format". */
int dfl_image_ref_set_tag(dfl_image_ref *r, const char *tag, size_t len,
                          char **err);
int dfl_image_ref_set_digest(dfl_image_ref *r, const char *digest, size_t len,
                             char **err);

/* Named.Name(): "docker.io/library/alpine" (just the path if domain is ""). */
char *dfl_image_ref_name(const dfl_image_ref *r);
/* Reference.String(): name[:tag][@digest], e.g. docker.io/library/alpine:3.19 */
char *dfl_image_ref_string(const dfl_image_ref *r);
/* reference.FamiliarName: docker.io and a lone library/ dropped: "alpine",
 * "bitnami/redis", "library/a/b", "ghcr.io/x/y". */
char *dfl_image_ref_familiar_name(const dfl_image_ref *r);
/* reference.FamiliarString: familiar name[:tag][@digest], e.g. alpine:3.19 */
char *dfl_image_ref_familiar(const dfl_image_ref *r);

/* The tag, or "latest" when there is none (never NULL). */
const char *dfl_image_ref_tag_or_latest(const dfl_image_ref *r);
/* What to put in /v2/<path>/manifests/<reference>: the digest if any (it wins
 * over a tag, as in ParseDockerRef), else the tag, else "latest". */
const char *dfl_image_ref_manifest_ref(const dfl_image_ref *r);
/* Host to contact for the registry API: docker.io -> registry-1.docker.io,
 * anything else as is (with port). NULL when the domain is "". */
const char *dfl_image_ref_registry_host(const dfl_image_ref *r);
/* True when the reference names Docker Hub (domain "docker.io"). */
bool dfl_image_ref_is_docker_hub(const dfl_image_ref *r);

/* True for a bare 64-character lower-case hex image ID, which Docker
 * refuses as a repository name. */
bool dfl_is_image_id(const char *s, size_t len);

/* Frees the strings and zeroes *r; safe on a zeroed or already-freed ref. */
void dfl_image_ref_free(dfl_image_ref *r);

#endif
