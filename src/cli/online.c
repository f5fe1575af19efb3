#include "cli/online.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"

/* Notes about images the registries could not answer for, before they are
 * summed up in one line: a run over many files must not bury its report. */
#define MAX_NOTES 10

typedef struct want {
  char *ref, *platform;
  bool fetched;
  bool known;         /* img answers */
  dfl_image_info info;
  dfl_base_image img;
} want;

struct dfl_online {
  const dfl_registry_opts *ro;
  pthread_mutex_t mu;
  want *w;
  size_t n, cap;
  size_t notes, unnoted;
  dfl_image_oracle recorder, oracle;
};

static want *find(dfl_online *on, const char *ref, const char *platform)
{
  for (size_t i = 0; i < on->n; i++)
    if (strcmp(on->w[i].ref, ref) == 0 &&
        strcmp(on->w[i].platform, platform) == 0)
      return &on->w[i];
  return NULL;
}

static const dfl_base_image *record(void *data, const char *ref,
                                    const char *platform)
{
  dfl_online *on = data;
  pthread_mutex_lock(&on->mu);
  if (!find(on, ref, platform)) {
    if (on->n == on->cap) {
      on->cap = on->cap ? on->cap * 2 : 16;
      on->w = dfl_xrealloc(on->w, on->cap * sizeof *on->w);
    }
    want *w = &on->w[on->n++];
    memset(w, 0, sizeof *w);
    w->ref = dfl_xstrndup(ref, strlen(ref));
    w->platform = dfl_xstrndup(platform, strlen(platform));
  }
  pthread_mutex_unlock(&on->mu);
  return NULL;
}

static const dfl_base_image *answer(void *data, const char *ref,
                                    const char *platform)
{
  want *w = find(data, ref, platform);
  return w && w->known ? &w->img : NULL;
}

dfl_online *dfl_online_new(const dfl_registry_opts *ro)
{
  dfl_online *on = dfl_xcalloc(1, sizeof *on);
  on->ro = ro;
  pthread_mutex_init(&on->mu, NULL);
  on->recorder.find = record;
  on->recorder.data = on;
  on->oracle.find = answer;
  on->oracle.data = on;
  return on;
}

const dfl_image_oracle *dfl_online_recorder(dfl_online *on)
{
  return &on->recorder;
}

const dfl_image_oracle *dfl_online_oracle(dfl_online *on)
{
  return &on->oracle;
}

static void note(dfl_online *on, const want *w, const char *what)
{
  if (on->notes++ < MAX_NOTES)
    fprintf(stderr, "dflint: note: %s (%s): %s\n", w->ref, w->platform, what);
  else
    on->unnoted++;
}

/* What the rules see of an answer. */
static void settle(dfl_online *on, want *w)
{
  const dfl_image_info *in = &w->info;
  w->fetched = true;
  if (in->error && in->platforms) {
    /* The index has no image for the platform: an answer, and
     * InvalidBaseImagePlatform's finding. */
    w->img.platforms = in->platforms;
    w->img.compressed_bytes = -1;
    w->img.source = "registry";
    w->known = true;
    return;
  }
  if (in->error) {
    char msg[1024];
    snprintf(msg, sizeof msg, "%s; the catalog's figures are used", in->error);
    note(on, w, msg);
    return;
  }
  if (in->stale)
    note(on, w, in->warning ? in->warning : "an expired cached answer");
  w->img.os = in->os;
  w->img.arch = in->architecture;
  w->img.variant = in->variant;
  w->img.compressed_bytes = in->compressed_bytes;
  w->img.digest = in->digest;
  w->img.source = in->source;
  w->known = true;
}

void dfl_online_fetch(dfl_online *on)
{
  const char **refs = dfl_xcalloc(on->n ? on->n : 1, sizeof *refs);
  size_t *idx = dfl_xcalloc(on->n ? on->n : 1, sizeof *idx);
  /* One concurrent fetch per platform (usually there is one). */
  for (size_t i = 0; i < on->n; i++) {
    if (on->w[i].fetched)
      continue;
    const char *platform = on->w[i].platform;
    size_t k = 0;
    for (size_t j = i; j < on->n; j++)
      if (!on->w[j].fetched && strcmp(on->w[j].platform, platform) == 0) {
        refs[k] = on->w[j].ref;
        idx[k++] = j;
      }
    dfl_image_info *out = dfl_xcalloc(k, sizeof *out);
    dfl_registry_fetch_many(on->ro, refs, k, platform, out);
    for (size_t m = 0; m < k; m++) {
      on->w[idx[m]].info = out[m];
      settle(on, &on->w[idx[m]]);
    }
    free(out);
  }
  free(refs);
  free(idx);
}

void dfl_online_free(dfl_online *on)
{
  if (!on)
    return;
  if (on->unnoted)
    fprintf(stderr, "dflint: note: %zu more images could not be asked "
                    "about; the catalog's figures are used\n", on->unnoted);
  for (size_t i = 0; i < on->n; i++) {
    free(on->w[i].ref);
    free(on->w[i].platform);
    dfl_image_info_free(&on->w[i].info);
  }
  free(on->w);
  pthread_mutex_destroy(&on->mu);
  free(on);
}
