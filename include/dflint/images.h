/* What the lint rules may learn about base images from a registry.
 *
 * `dflint check` is offline by default: the image rules work from the
 * catalog compiled in. With --online the CLI answers the rules' questions
 * about base images from the registries (src/cli/online.c, through the
 * advisor's registry client and its cache). The rules only see this small
 * interface, so the lint library never touches the network itself.
 *
 * A run asks in two passes: first the image rules run with an oracle that
 * answers nothing and records every (reference, platform) asked about; the
 * CLI fetches those concurrently, each once; then the real lint runs with
 * the answers. A rule must therefore ask for every image it may need even
 * when an earlier answer is unknown. */
#ifndef DFLINT_IMAGES_H
#define DFLINT_IMAGES_H

#include <stdbool.h>
#include <stdint.h>

/* A registry's answer for one image on one platform. Strings live as long
 * as the oracle. */
typedef struct dfl_base_image {
  /* The platform the image's config declares (the image as pulled). */
  const char *os, *arch, *variant; /* NULL when the config leaves them out */
  int64_t compressed_bytes;        /* config + layers; -1 unknown */
  const char *digest;              /* what the reference names */
  /* Set when the reference names an index without an image for the
   * platform asked for: the platforms it has, "linux/amd64, linux/arm64"
   * ("" when it lists none); os/arch are then NULL. */
  const char *platforms;
  const char *source; /* "registry" or "cache" */
} dfl_base_image;

typedef struct dfl_image_oracle {
  /* The answer for ref (as written after FROM, variables expanded) on
   * platform (normalized, "linux/amd64"), or NULL when unknown (not
   * asked, unreachable, no such image). Called from several lint threads
   * at once: it must not change shared state without a lock. */
  const dfl_base_image *(*find)(void *data, const char *ref,
                                const char *platform);
  void *data;
} dfl_image_oracle;

#endif
