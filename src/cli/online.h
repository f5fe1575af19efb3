/* `dflint check --online`: the registry answers the lint rules ask for
 * (include/dflint/images.h). Files are linted a window at a time; for each
 * window the image rules first run with the recorder, which answers
 * nothing and notes every (reference, platform) asked; dfl_online_fetch
 * then asks the registries for the new ones, all at once; the real lint
 * runs with the oracle, which answers from what was fetched. */
#ifndef DFLINT_CLI_ONLINE_H
#define DFLINT_CLI_ONLINE_H

#include "dflint/images.h"
#include "dflint/registry.h"

typedef struct dfl_online dfl_online;

/* ro (and the strings it points to) must outlive the result. */
dfl_online *dfl_online_new(const dfl_registry_opts *ro);
/* Thread-safe: records what is asked, answers NULL. */
const dfl_image_oracle *dfl_online_recorder(dfl_online *on);
/* Answers from what was fetched; read-only, so thread-safe while no fetch
 * runs. */
const dfl_image_oracle *dfl_online_oracle(dfl_online *on);
/* Fetches every recorded image not fetched yet. Images the registries
 * cannot answer for get one note each on standard error (the rules then use
 * the catalog's figures). */
void dfl_online_fetch(dfl_online *on);
void dfl_online_free(dfl_online *on);

#endif
