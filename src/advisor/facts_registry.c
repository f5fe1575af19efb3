/* The registry client (include/dflint/registry.h) as a source of facts
 * (facts.h). The client keeps its own answer cache: a fresh cached answer is
 * used without asking the registry, and when the registry cannot be reached
 * an expired one is used with a warning. So:
 *   online  - registry (or a fresh cache entry), else an expired cache
 *             entry with a note, else the next source (the catalog) with a
 *             note saying why;
 *   offline - cache entries only: the client runs over a transport that
 *             answers every request with "offline", so it never touches
 *             the network; an image with no cache entry goes quietly to
 *             the next source.
 * Every reference of an advice is fetched in one dfl_registry_fetch_many
 * call (prefetch), concurrently. */
#include "advisor/facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "advisor/transport.h"
#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/refs.h"
#include "dflint/registry.h"

typedef struct fetched {
  char *ref;
  char *platform;
  dfl_image_info info;
} fetched;

typedef struct reg_src {
  dfl_registry_opts opts;
  bool offline;
  fetched *items;
  size_t n;
} reg_src;

/* ---- the offline transport ---------------------------------------------- */

typedef struct pending {
  dfl_http_callback cb;
  void *ud;
  char *url;
} pending;

typedef struct offline_transport {
  dfl_transport base;
  pending *q;
  size_t n, cap;
} offline_transport;

static void off_submit(dfl_transport *t, const dfl_http_request *req,
                       dfl_http_callback cb, void *ud)
{
  offline_transport *o = (offline_transport *)t;
  if (o->n == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 8;
    o->q = dfl_xrealloc(o->q, o->cap * sizeof *o->q);
  }
  o->q[o->n].cb = cb;
  o->q[o->n].ud = ud;
  o->q[o->n].url = dfl_xstrndup(req->url, strlen(req->url));
  o->n++;
}

/* Answers in submission order; a callback may submit more (a mirror, the
 * origin): those are answered in turn. */
static void off_run(dfl_transport *t)
{
  offline_transport *o = (offline_transport *)t;
  for (size_t i = 0; i < o->n; i++) {
    pending p = o->q[i];
    dfl_http_response r;
    memset(&r, 0, sizeof r);
    r.fail = DFL_HTTP_FAIL_CONNECT;
    r.error = dfl_xstrndup("offline (--offline)", 19);
    r.url = p.url;
    r.attempts = 1;
    p.cb(p.ud, &r);
    free(r.error);
    free(r.url);
    free(r.body);
    for (size_t h = 0; h < r.n_headers; h++)
      free(r.headers[h]);
    free(r.headers);
  }
  o->n = 0;
}

static void off_destroy(dfl_transport *t)
{
  offline_transport *o = (offline_transport *)t;
  free(o->q);
  free(o);
}

static const dfl_transport_ops offline_ops = {off_submit, off_run,
                                              off_destroy};

/* ---- the source --------------------------------------------------------- */

static bool is_scratch(const char *ref)
{
  dfl_image_ref r;
  if (dfl_image_ref_parse(ref, strlen(ref), &r, NULL) != 0)
    return false;
  bool s = strcmp(r.domain, "docker.io") == 0 &&
           strcmp(r.path, "library/scratch") == 0;
  dfl_image_ref_free(&r);
  return s;
}

static fetched *find(reg_src *s, const char *ref, const char *platform)
{
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->items[i].ref, ref) == 0 &&
        strcmp(s->items[i].platform, platform) == 0)
      return &s->items[i];
  return NULL;
}

/* Fetches the refs not fetched yet, together. */
static void fetch(reg_src *s, const char *const *refs, size_t n,
                  const char *platform)
{
  const char **want = dfl_xcalloc(n ? n : 1, sizeof *want);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (is_scratch(refs[i]) || find(s, refs[i], platform))
      continue;
    bool dup = false;
    for (size_t j = 0; j < k && !dup; j++)
      dup = strcmp(want[j], refs[i]) == 0;
    if (!dup)
      want[k++] = refs[i];
  }
  if (k) {
    dfl_image_info *infos = dfl_xcalloc(k, sizeof *infos);
    offline_transport *t = NULL;
    dfl_registry_opts o = s->opts;
    if (s->offline) {
      t = dfl_xcalloc(1, sizeof *t);
      t->base.ops = &offline_ops;
      o.transport = &t->base;
    }
    dfl_registry_fetch_many(&o, want, k, platform, infos);
    if (t)
      off_destroy(&t->base);
    s->items = dfl_xrealloc(s->items, (s->n + k) * sizeof *s->items);
    for (size_t i = 0; i < k; i++) {
      fetched *f = &s->items[s->n++];
      f->ref = dfl_xstrndup(want[i], strlen(want[i]));
      f->platform = dfl_xstrndup(platform, strlen(platform));
      f->info = infos[i];
    }
    free(infos);
  }
  free(want);
}

static void reg_prefetch(void *data, const char *const *refs, size_t n,
                         const char *platform, int32_t today)
{
  (void)today;
  fetch(data, refs, n, platform);
}

static char *ymd_of(int64_t t, int32_t *ymd)
{
  time_t tt = (time_t)t;
  struct tm tm;
  if (t <= 0 || !gmtime_r(&tt, &tm))
    return NULL;
  *ymd = (int32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 +
                   tm.tm_mday);
  char buf[48];
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday);
  return dfl_xstrndup(buf, strlen(buf));
}

static char *dup_or_null(const char *s)
{
  return s ? dfl_xstrndup(s, strlen(s)) : NULL;
}

static int reg_lookup(void *data, const char *ref, const char *platform,
                      int32_t today, dfl_image_facts *out, char **why)
{
  reg_src *s = data;
  /* FROM scratch is no image: nothing to ask. */
  if (is_scratch(ref))
    return 0;
  fetched *f = find(s, ref, platform);
  if (!f) {
    const char *one[1] = {ref};
    fetch(s, one, 1, platform);
    f = find(s, ref, platform);
  }
  if (!f)
    return 0;
  const dfl_image_info *in = &f->info;
  if (in->error) {
    if (s->offline)
      return 0; /* no cache entry: expected offline, not worth a note */
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_puts(&b, in->error);
    *why = dfl_buf_take(&b);
    return -1;
  }
  out->origin = in->source && strcmp(in->source, "cache") == 0
                    ? DFL_FACTS_CACHE
                    : DFL_FACTS_REGISTRY;
  /* The catalog's figures are the layers alone (what registries and
   * repo-info call the size); so are these, for one scale. */
  int64_t size = in->layers_bytes > 0 ? in->layers_bytes
                 : in->compressed_bytes >= 0
                     ? in->compressed_bytes - (in->config_bytes > 0 ? in->config_bytes : 0)
                     : -1;
  out->compressed_bytes = size;
  out->digest = dup_or_null(in->digest);
  int32_t ymd = 0;
  out->as_of = ymd_of(in->fetched_at, &ymd);
  if (out->as_of && today) {
    int32_t d = dfl_facts_days_between(ymd, today);
    out->age_days = d < 0 ? 0 : d;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s%s%s", in->registry ? in->registry : "",
                 in->registry ? " " : "", in->ref ? in->ref : ref);
  out->detail = dfl_buf_take(&b);
  out->user = dup_or_null(in->user);
  out->note = dup_or_null(in->warning);
  return 1;
}

static void reg_free(void *data)
{
  reg_src *s = data;
  for (size_t i = 0; i < s->n; i++) {
    free(s->items[i].ref);
    free(s->items[i].platform);
    dfl_image_info_free(&s->items[i].info);
  }
  free(s->items);
  free(s);
}

dfl_facts_source dfl_facts_registry_source(const dfl_registry_opts *o,
                                           bool offline)
{
  reg_src *s = dfl_xcalloc(1, sizeof *s);
  s->opts = *o;
  s->offline = offline;
  dfl_facts_source src = {offline ? "cache" : "registry", reg_lookup,
                          reg_free, s, reg_prefetch};
  return src;
}
