/* dfl_registry_fetch_many: every reference becomes a job, a small state
 * machine driven by the transport's callbacks, so all jobs progress at once:
 *
 *   manifest (tag or digest)  --index-->  platform manifest (by digest)
 *        \--image manifest-----------------------> config blob --> done
 *
 * Each request may answer 401: the challenge (WWW-Authenticate) says Bearer
 * (get a token from the realm, anonymously or with the host's credentials)
 * or Basic (send the host's credentials); the request is then sent again, at
 * most twice. Every byte fetched by digest is checked against the digest,
 * and the manifest a tag names against Docker-Content-Digest.
 *
 * A reference is asked from its endpoints in turn (mirrors, then the
 * origin, see mirror.c); an endpoint that fails for any reason passes the
 * job on to the next, and the error names each one. A host that may speak
 * plain HTTP (loopback, --insecure-registry) is tried over HTTPS first and
 * over HTTP when TLS fails, as Docker does. */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "advisor/registry_internal.h"
#include "advisor/transport.h"
#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/refs.h"

#define DEFAULT_TTL 86400L
#define DEFAULT_TIMEOUT_MS 30000L

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

static int64_t mono_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- per-run state shared by the jobs ------------------------------------------ */

typedef struct token_entry {
  char *key; /* realm \n service \n scope \n credential host or "" */
  char *token;
  int64_t expires; /* monotonic ms */
} token_entry;

typedef struct cred_entry {
  char *host;
  int found; /* 1 credentials, 0 none */
  dfl_credential c;
  char *note; /* why none, when a helper failed */
} cred_entry;

typedef struct fetcher {
  const dfl_registry_opts *o;
  dfl_transport *t;
  dfl_mirror *mirrors;
  size_t n_mirrors;
  char **http_hosts; /* hosts that answered over plain http */
  size_t n_http_hosts;
  token_entry *tokens;
  size_t n_tokens;
  cred_entry *creds;
  size_t n_creds;
  dfl_platform want;
  char *platform; /* normalized string */
  char *cache_dir;
  long timeout_ms;
} fetcher;

/* ST_HEAD: an expired cache entry for a tag is revalidated with a HEAD of
 * the manifest (Docker Hub does not count HEADs as pulls): the same digest
 * means the entry still holds, and nothing else is fetched. */
typedef enum step { ST_HEAD, ST_MANIFEST, ST_CHILD, ST_CONFIG } step;

typedef struct job {
  fetcher *f;
  dfl_image_ref ref;
  char *key;
  dfl_image_info info;
  bool have_stale;
  dfl_image_info stale;
  dfl_endpoint *eps;
  size_t n_eps, ep;
  char *base; /* current endpoint's base URL, scheme decided */
  bool tried_http;
  char *https_error; /* why https failed before the fallback */
  int64_t deadline;
  step st;
  char *authz; /* Authorization value for the current endpoint */
  int auth_rounds;
  bool anon_token_retry;
  char *token_key;
  char *scope;
  dfl_buf errors; /* "endpoint: why" of failed endpoints */
  dfl_buf persistent_warn;
  dfl_oci_manifest man;
  char *want_digest;
  int64_t want_size;
  bool from_index;
  bool done;
} job;

static void issue(job *j);
static void next_endpoint(job *j);

static bool host_uses_http(fetcher *f, const char *host)
{
  for (size_t i = 0; i < f->n_http_hosts; i++)
    if (strcmp(f->http_hosts[i], host) == 0)
      return true;
  return false;
}

static void remember_http(fetcher *f, const char *host)
{
  if (host_uses_http(f, host))
    return;
  f->http_hosts = dfl_xrealloc(f->http_hosts, (f->n_http_hosts + 1) * sizeof *f->http_hosts);
  f->http_hosts[f->n_http_hosts++] = xstrdup(host);
}

static cred_entry *creds_for(fetcher *f, const char *host)
{
  for (size_t i = 0; i < f->n_creds; i++)
    if (strcmp(f->creds[i].host, host) == 0)
      return &f->creds[i];
  f->creds = dfl_xrealloc(f->creds, (f->n_creds + 1) * sizeof *f->creds);
  cred_entry *e = &f->creds[f->n_creds++];
  memset(e, 0, sizeof *e);
  e->host = xstrdup(host);
  char *err = NULL;
  int rc = dfl_auth_lookup(f->o->docker_config, host, f->o->helper_timeout_s, &e->c, &err);
  e->found = rc == 1;
  if (rc != 1 && err) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "credentials for %s: %s", host, err);
    e->note = dfl_buf_take(&b);
  }
  free(err);
  return e;
}

/* ---- messages -------------------------------------------------------------------- */

static const char *status_words(long s)
{
  switch (s) {
  case 400: return "bad request";
  case 401: return "unauthorized";
  case 403: return "denied";
  case 404: return "not found";
  case 405: return "method not allowed";
  case 429: return "too many requests";
  case 500: return "internal server error";
  case 502: return "bad gateway";
  case 503: return "service unavailable";
  case 504: return "gateway timeout";
  default: return s >= 500 ? "server error" : "unexpected answer";
  }
}

/* "HTTP 404 not found: MANIFEST_UNKNOWN: manifest unknown (after 3 attempts)" */
static void describe(dfl_buf *b, const dfl_http_response *r)
{
  if (r->status == 0) {
    dfl_buf_puts(b, r->error ? r->error : "no answer");
    if (r->fail == DFL_HTTP_FAIL_TLS && r->error && strstr(r->error, "certificate"))
      dfl_buf_puts(b, " (a registry with a private CA needs --ca-cert FILE)");
    return;
  }
  dfl_buf_printf(b, "HTTP %ld %s", r->status, status_words(r->status));
  char *t = dfl_registry_error_text(r->body, r->body_len);
  if (t)
    dfl_buf_printf(b, ": %s", t);
  free(t);
  const char *ra = dfl_http_header(r, "retry-after");
  if (r->status == 429 && ra)
    dfl_buf_printf(b, " (the registry asks to retry after %s%s)", ra,
                   strspn(ra, "0123456789") == strlen(ra) ? " s" : "");
  if (r->attempts > 1)
    dfl_buf_printf(b, " (after %d attempts)", r->attempts);
}

static void endpoint_failed(job *j, const char *why)
{
  dfl_endpoint *e = &j->eps[j->ep];
  if (j->errors.len)
    dfl_buf_puts(&j->errors, "; ");
  dfl_buf_printf(&j->errors, "%s%s: ", e->mirror ? "mirror " : "", j->base ? j->base : e->base);
  if (j->https_error && j->tried_http)
    dfl_buf_printf(&j->errors, "over https: %s; over http: ", j->https_error);
  dfl_buf_puts(&j->errors, why);
  j->ep++;
  next_endpoint(j);
}

static void endpoint_failedf(job *j, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void endpoint_failedf(job *j, const char *fmt, ...)
{
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  endpoint_failed(j, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

static void endpoint_failed_resp(job *j, const char *what, const dfl_http_response *r)
{
  dfl_buf b;
  dfl_buf_init(&b);
  if (what)
    dfl_buf_printf(&b, "%s: ", what);
  describe(&b, r);
  if (r->status == 404 && (j->st == ST_MANIFEST || j->st == ST_HEAD))
    dfl_buf_puts(&b, " (no such repository or tag)");
  endpoint_failed(j, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

/* ---- finishing ----------------------------------------------------------------------- */

static void add_warning(dfl_image_info *in, const char *w)
{
  dfl_buf b;
  dfl_buf_init(&b);
  if (in->warning)
    dfl_buf_printf(&b, "%s; ", in->warning);
  dfl_buf_puts(&b, w);
  free(in->warning);
  in->warning = dfl_buf_take(&b);
}

static void finish_ok(job *j)
{
  fetcher *f = j->f;
  dfl_image_info *in = &j->info;
  in->source = "registry";
  free(in->platforms); /* a mirror without the platform, then the origin */
  in->platforms = NULL;
  in->registry = xstrdup(j->base);
  in->fetched_at = (int64_t)time(NULL);
  if (j->persistent_warn.len)
    add_warning(in, dfl_buf_cstr(&j->persistent_warn));
  if (!f->o->no_cache && f->cache_dir)
    dfl_cache_put(f->cache_dir, j->key, in);
  if (j->errors.len) {
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "answered by %s after: %s", j->base, dfl_buf_cstr(&j->errors));
    add_warning(in, dfl_buf_cstr(&b));
    dfl_buf_free(&b);
  }
  j->done = true;
}

static void finish_error(job *j, const char *msg)
{
  dfl_image_info *in = &j->info;
  if (j->have_stale) {
    char *ref = in->ref, *plat = in->platform;
    in->ref = in->platform = NULL;
    dfl_image_info_free(in);
    *in = j->stale;
    memset(&j->stale, 0, sizeof j->stale);
    j->have_stale = false;
    free(in->ref);
    free(in->platform);
    in->ref = ref;
    in->platform = plat;
    in->stale = true;
    in->source = "cache";
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "the registry could not be reached (%s); this is an expired cached answer", msg);
    add_warning(in, dfl_buf_cstr(&b));
    dfl_buf_free(&b);
  } else {
    free(in->error);
    in->error = xstrdup(msg);
  }
  j->done = true;
}

static void next_endpoint(job *j)
{
  free(j->base);
  j->base = NULL;
  free(j->authz);
  j->authz = NULL;
  free(j->https_error);
  j->https_error = NULL;
  free(j->want_digest);
  j->want_digest = NULL;
  dfl_oci_manifest_free(&j->man);
  free(j->info.digest);
  free(j->info.media_type);
  free(j->info.manifest_digest);
  free(j->info.manifest_media_type);
  free(j->info.config_digest);
  j->info.digest = j->info.media_type = j->info.manifest_digest = NULL;
  j->info.manifest_media_type = j->info.config_digest = NULL;
  dfl_buf_reset(&j->persistent_warn);
  j->tried_http = false;
  j->auth_rounds = 0;
  j->anon_token_retry = false;
  if (j->ep >= j->n_eps) {
    finish_error(j, j->errors.len ? dfl_buf_cstr(&j->errors) : "no registry endpoint");
    return;
  }
  dfl_endpoint *e = &j->eps[j->ep];
  j->base = xstrdup(e->base);
  /* a host that already answered over plain http this run */
  if (strncmp(j->base, "https://", 8) == 0 && host_uses_http(j->f, e->host) &&
      dfl_host_plain_http_allowed(e->host, j->f->o->insecure_registries,
                                  j->f->o->n_insecure_registries)) {
    char *h = dfl_xmalloc(strlen(j->base));
    sprintf(h, "http://%s", j->base + 8);
    free(j->base);
    j->base = h;
  }
  j->deadline = mono_ms() + j->f->timeout_ms;
  j->st = j->have_stale && !j->ref.digest ? ST_HEAD : ST_MANIFEST;
  issue(j);
}

/* ---- requests ------------------------------------------------------------------------- */

static void on_main(void *ud, dfl_http_response *r);
static void on_token(void *ud, dfl_http_response *r);

static long time_left(job *j)
{
  int64_t l = j->deadline - mono_ms();
  return l < 1 ? 1 : (long)l;
}

static void issue(job *j)
{
  dfl_buf url;
  dfl_buf_init(&url);
  const char *what;
  switch (j->st) {
  case ST_HEAD:
  case ST_MANIFEST:
    what = dfl_image_ref_manifest_ref(&j->ref);
    dfl_buf_printf(&url, "%s/v2/%s/manifests/%s", j->base, j->ref.path, what);
    break;
  case ST_CHILD:
    dfl_buf_printf(&url, "%s/v2/%s/manifests/%s", j->base, j->ref.path, j->want_digest);
    break;
  case ST_CONFIG:
    dfl_buf_printf(&url, "%s/v2/%s/blobs/%s", j->base, j->ref.path, j->want_digest);
    break;
  }
  const char *headers[3] = {NULL, NULL, NULL};
  size_t nh = 0;
  if (j->st != ST_CONFIG)
    headers[nh++] = DFL_MANIFEST_ACCEPT;
  char *auth = NULL;
  if (j->authz) {
    dfl_buf a;
    dfl_buf_init(&a);
    dfl_buf_printf(&a, "Authorization: %s", j->authz);
    auth = dfl_buf_take(&a);
    headers[nh++] = auth;
  }
  dfl_http_request req = {j->st == ST_HEAD ? "HEAD" : "GET", dfl_buf_cstr(&url), headers, NULL,
                          0, time_left(j)};
  j->f->t->ops->submit(j->f->t, &req, on_main, j);
  dfl_secret_free(auth);
  dfl_buf_free(&url);
}

static bool fallback_to_http(job *j, const dfl_http_response *r)
{
  if (j->tried_http || strncmp(j->base, "https://", 8) != 0)
    return false;
  if (r->fail != DFL_HTTP_FAIL_TLS && r->fail != DFL_HTTP_FAIL_CONNECT)
    return false;
  dfl_endpoint *e = &j->eps[j->ep];
  if (!dfl_host_plain_http_allowed(e->host, j->f->o->insecure_registries,
                                   j->f->o->n_insecure_registries))
    return false;
  free(j->https_error);
  dfl_buf b;
  dfl_buf_init(&b);
  describe(&b, r);
  j->https_error = dfl_buf_take(&b);
  char *h = dfl_xmalloc(strlen(j->base));
  sprintf(h, "http://%s", j->base + 8);
  free(j->base);
  j->base = h;
  j->tried_http = true;
  return true;
}

/* percent-encoding of everything but RFC 3986's unreserved characters */
static void put_encoded(dfl_buf *b, const char *s)
{
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~')
      dfl_buf_putc(b, (char)c);
    else
      dfl_buf_printf(b, "%%%02X", c);
  }
}

static token_entry *token_find(fetcher *f, const char *key)
{
  for (size_t i = 0; i < f->n_tokens; i++)
    if (strcmp(f->tokens[i].key, key) == 0)
      return &f->tokens[i];
  return NULL;
}

static void token_store(fetcher *f, const char *key, const char *token, long expires_in)
{
  token_entry *e = token_find(f, key);
  if (!e) {
    f->tokens = dfl_xrealloc(f->tokens, (f->n_tokens + 1) * sizeof *f->tokens);
    e = &f->tokens[f->n_tokens++];
    e->key = xstrdup(key);
    e->token = NULL;
  }
  dfl_secret_free(e->token);
  e->token = xstrdup(token);
  /* renew 10 s early */
  e->expires = mono_ms() + (int64_t)(expires_in > 20 ? expires_in - 10 : expires_in) * 1000;
}

static void request_token(job *j, const char *realm, const char *service, bool with_creds)
{
  fetcher *f = j->f;
  dfl_endpoint *e = &j->eps[j->ep];
  cred_entry *ce = with_creds ? creds_for(f, e->cred_host) : NULL;
  bool use = ce && ce->found && ce->c.secret;
  dfl_buf url, key;
  dfl_buf_init(&url);
  dfl_buf_init(&key);
  dfl_buf_printf(&key, "%s\n%s\n%s\n%s", realm, service ? service : "", j->scope,
                 use ? e->cred_host : "");
  free(j->token_key);
  j->token_key = dfl_buf_take(&key);
  token_entry *te = token_find(f, j->token_key);
  if (te && te->expires > mono_ms() && j->auth_rounds == 1) {
    free(j->authz);
    dfl_buf a;
    dfl_buf_init(&a);
    dfl_buf_printf(&a, "Bearer %s", te->token);
    j->authz = dfl_buf_take(&a);
    issue(j);
    dfl_buf_free(&url);
    return;
  }
  const char *headers[2] = {NULL, NULL};
  char *auth = NULL, *body = NULL;
  dfl_http_request req = {"GET", NULL, headers, NULL, 0, time_left(j)};
  if (use && ce->c.identity) {
    /* an identity token is exchanged with the OAuth2 refresh-token grant */
    dfl_buf fb;
    dfl_buf_init(&fb);
    dfl_buf_puts(&fb, "grant_type=refresh_token&client_id=dflint&service=");
    put_encoded(&fb, service ? service : "");
    dfl_buf_puts(&fb, "&scope=");
    put_encoded(&fb, j->scope);
    dfl_buf_puts(&fb, "&refresh_token=");
    put_encoded(&fb, ce->c.secret);
    body = dfl_buf_take(&fb);
    headers[0] = "Content-Type: application/x-www-form-urlencoded";
    req.method = "POST";
    req.body = body;
    req.body_len = strlen(body);
    dfl_buf_puts(&url, realm);
  } else {
    dfl_buf_printf(&url, "%s%c", realm, strchr(realm, '?') ? '&' : '?');
    if (service) {
      dfl_buf_puts(&url, "service=");
      put_encoded(&url, service);
      dfl_buf_puts(&url, "&");
    }
    dfl_buf_puts(&url, "scope=");
    put_encoded(&url, j->scope);
    if (use) {
      char *basic = dfl_auth_basic(ce->c.username ? ce->c.username : "", ce->c.secret);
      dfl_buf a;
      dfl_buf_init(&a);
      dfl_buf_printf(&a, "Authorization: %s", basic);
      auth = dfl_buf_take(&a);
      dfl_secret_free(basic);
      headers[0] = auth;
    }
  }
  req.url = dfl_buf_cstr(&url);
  f->t->ops->submit(f->t, &req, on_token, j);
  dfl_secret_free(auth);
  dfl_secret_free(body);
  dfl_buf_free(&url);
}

/* The realm of a Bearer challenge, and whether credentials may go there. */
static bool realm_ok(job *j, const char *realm, const char **why)
{
  char *scheme = NULL, *host = NULL;
  bool ok = false;
  if (dfl_url_split(realm, &scheme, &host) != 0 ||
      (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0))
    *why = "the Bearer challenge's realm is not an http(s) URL";
  else if (strcmp(scheme, "http") == 0 &&
           !dfl_host_plain_http_allowed(host, j->f->o->insecure_registries,
                                        j->f->o->n_insecure_registries))
    *why = "the token realm uses plain http on a host that is neither loopback nor an "
           "insecure registry";
  else
    ok = true;
  free(scheme);
  free(host);
  return ok;
}

static void handle_401(job *j, const dfl_http_response *r)
{
  fetcher *f = j->f;
  dfl_endpoint *e = &j->eps[j->ep];
  if (j->auth_rounds >= 2) {
    dfl_buf b;
    dfl_buf_init(&b);
    describe(&b, r);
    dfl_buf_printf(&b, " even after authenticating: the repository does not exist, or it is "
                       "private and %s", creds_for(f, e->cred_host)->found
                                            ? "the credentials for it do not grant pull access"
                                            : "there are no credentials for it (docker login)");
    endpoint_failed(j, dfl_buf_cstr(&b));
    dfl_buf_free(&b);
    return;
  }
  j->auth_rounds++;
  dfl_auth_challenge *ch = NULL;
  size_t n = 0;
  for (size_t i = 0; i < r->n_headers; i++)
    if (strncasecmp(r->headers[i], "www-authenticate:", 17) == 0)
      dfl_auth_parse_challenges(r->headers[i] + 17, &ch, &n);
  const dfl_auth_challenge *bearer = NULL, *basic = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!bearer && strcmp(ch[i].scheme, "bearer") == 0 && dfl_auth_challenge_param(&ch[i], "realm"))
      bearer = &ch[i];
    if (!basic && strcmp(ch[i].scheme, "basic") == 0)
      basic = &ch[i];
  }
  if (bearer) {
    const char *realm = dfl_auth_challenge_param(bearer, "realm");
    const char *service = dfl_auth_challenge_param(bearer, "service");
    const char *scope = dfl_auth_challenge_param(bearer, "scope");
    const char *why = NULL;
    if (!realm_ok(j, realm, &why)) {
      dfl_auth_challenges_free(ch, n);
      endpoint_failed(j, why);
      return;
    }
    free(j->scope);
    if (scope && *scope) {
      j->scope = xstrdup(scope);
    } else {
      dfl_buf s;
      dfl_buf_init(&s);
      dfl_buf_printf(&s, "repository:%s:pull", j->ref.path);
      j->scope = dfl_buf_take(&s);
    }
    cred_entry *ce = creds_for(f, e->cred_host);
    if (ce->found && ce->c.registry_token && j->auth_rounds == 1) {
      free(j->authz);
      dfl_buf a;
      dfl_buf_init(&a);
      dfl_buf_printf(&a, "Bearer %s", ce->c.registry_token);
      j->authz = dfl_buf_take(&a);
      dfl_auth_challenges_free(ch, n);
      issue(j);
      return;
    }
    char *rs = xstrdup(realm), *sv = xstrdup(service);
    dfl_auth_challenges_free(ch, n);
    request_token(j, rs, sv, true);
    free(rs);
    free(sv);
    return;
  }
  if (basic) {
    dfl_auth_challenges_free(ch, n);
    cred_entry *ce = creds_for(f, e->cred_host);
    if (!ce->found || !ce->c.secret || ce->c.identity) {
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_printf(&b, "HTTP 401 unauthorized: the registry wants a user name and password "
                         "(Basic) and the Docker config has none for %s (docker login %s)",
                     e->cred_host, e->cred_host);
      if (ce->note)
        dfl_buf_printf(&b, "; %s", ce->note);
      endpoint_failed(j, dfl_buf_cstr(&b));
      dfl_buf_free(&b);
      return;
    }
    if (j->authz && strncmp(j->authz, "Basic ", 6) == 0) {
      endpoint_failed(j, "HTTP 401 unauthorized: the registry refused the user name and "
                         "password from the Docker config");
      return;
    }
    free(j->authz);
    j->authz = dfl_auth_basic(ce->c.username ? ce->c.username : "", ce->c.secret);
    issue(j);
    return;
  }
  dfl_auth_challenges_free(ch, n);
  const char *wa = dfl_http_header(r, "www-authenticate");
  endpoint_failedf(j, "HTTP 401 unauthorized without a usable challenge (WWW-Authenticate: %.80s)",
                   wa ? wa : "absent");
}

static void on_token(void *ud, dfl_http_response *r)
{
  job *j = ud;
  if (r->status == 200) {
    char *tok = NULL, *err = NULL;
    long exp = 60;
    if (dfl_auth_parse_token(r->body, r->body_len, &tok, &exp, &err) != 0) {
      endpoint_failedf(j, "token request to %s: %s", r->url, err);
      free(err);
      return;
    }
    token_store(j->f, j->token_key, tok, exp);
    free(j->authz);
    dfl_buf a;
    dfl_buf_init(&a);
    dfl_buf_printf(&a, "Bearer %s", tok);
    j->authz = dfl_buf_take(&a);
    dfl_secret_free(tok);
    issue(j);
    return;
  }
  /* refused credentials: public images are still readable anonymously */
  const char *nl = strrchr(j->token_key, '\n');
  if (r->status == 401 && nl && nl[1] && !j->anon_token_retry) {
    j->anon_token_retry = true;
    dfl_buf w;
    dfl_buf_init(&w);
    dfl_buf_printf(&w, "the token service refused the credentials for %s; continued anonymously",
                   nl + 1);
    if (j->persistent_warn.len == 0)
      dfl_buf_puts(&j->persistent_warn, dfl_buf_cstr(&w));
    dfl_buf_free(&w);
    /* realm and service back out of the key */
    char *k = xstrdup(j->token_key);
    char *realm = k, *service = strchr(k, '\n');
    *service++ = '\0';
    *strchr(service, '\n') = '\0';
    request_token(j, realm, *service ? service : NULL, false);
    free(k);
    return;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "token request to %.*s failed: ", (int)strcspn(r->url ? r->url : "", "?"),
                 r->url ? r->url : "");
  describe(&b, r);
  endpoint_failed(j, dfl_buf_cstr(&b));
  dfl_buf_free(&b);
}

static void verify_fail(job *j, const char *what, const char *want, const char *got)
{
  endpoint_failedf(j, "%s: digest mismatch: expected %s, the bytes received hash to %s "
                      "(truncated or altered answer)", what, want, got);
}

static void to_config(job *j)
{
  dfl_oci_manifest *m = &j->man;
  if (!dfl_digest_valid(m->config.digest)) {
    endpoint_failed(j, "the image manifest's config digest is not a sha256 digest");
    return;
  }
  int64_t sum = 0;
  for (size_t i = 0; i < m->n_layers; i++)
    sum += m->layers[i].size;
  j->info.layers = m->n_layers;
  j->info.layers_bytes = sum;
  j->info.config_bytes = m->config.size;
  j->info.compressed_bytes = sum + m->config.size;
  free(j->info.config_digest);
  j->info.config_digest = xstrdup(m->config.digest);
  free(j->want_digest);
  j->want_digest = xstrdup(m->config.digest);
  j->want_size = m->config.size;
  j->st = ST_CONFIG;
  issue(j);
}

static void got_manifest(job *j, dfl_http_response *r)
{
  char d[72];
  dfl_sha256_digest(r->body, r->body_len, d);
  const char *asked = j->ref.digest;
  if (asked && strcmp(asked, d) != 0) {
    verify_fail(j, "manifest", asked, d);
    return;
  }
  const char *hd = dfl_http_header(r, "docker-content-digest");
  if (hd && dfl_digest_valid(hd) && strcmp(hd, d) != 0) {
    verify_fail(j, "manifest (Docker-Content-Digest)", hd, d);
    return;
  }
  char *err = NULL;
  if (dfl_oci_parse_manifest(r->body, r->body_len, dfl_http_header(r, "content-type"), &j->man,
                             &err) != 0) {
    endpoint_failedf(j, "manifest: %s", err);
    free(err);
    return;
  }
  j->info.digest = xstrdup(d);
  j->info.media_type = xstrdup(j->man.media_type);
  if (j->man.kind == DFL_OCI_INDEX) {
    long i = dfl_oci_choose_platform(&j->man, &j->f->want, &err);
    if (i < 0) {
      free(j->info.platforms);
      j->info.platforms = dfl_oci_index_platforms(&j->man);
      endpoint_failed(j, err);
      free(err);
      return;
    }
    const dfl_oci_descriptor *e = &j->man.manifests[i];
    if (!dfl_digest_valid(e->digest)) {
      endpoint_failed(j, "the index entry's digest is not a sha256 digest");
      return;
    }
    j->want_digest = xstrdup(e->digest);
    j->want_size = e->size;
    j->from_index = true;
    dfl_oci_manifest_free(&j->man);
    j->st = ST_CHILD;
    issue(j);
    return;
  }
  j->from_index = false;
  j->info.manifest_digest = xstrdup(d);
  j->info.manifest_media_type = xstrdup(j->man.media_type);
  to_config(j);
}

static void got_child(job *j, dfl_http_response *r)
{
  char d[72];
  dfl_sha256_digest(r->body, r->body_len, d);
  if (strcmp(d, j->want_digest) != 0) {
    verify_fail(j, "platform manifest", j->want_digest, d);
    return;
  }
  if (j->want_size > 0 && (int64_t)r->body_len != j->want_size) {
    endpoint_failed(j, "platform manifest: its size differs from the index entry's");
    return;
  }
  char *err = NULL;
  if (dfl_oci_parse_manifest(r->body, r->body_len, dfl_http_header(r, "content-type"), &j->man,
                             &err) != 0 ||
      j->man.kind != DFL_OCI_IMAGE) {
    endpoint_failedf(j, "platform manifest: %s",
                     err ? err : "an index inside an index is not supported");
    free(err);
    return;
  }
  j->info.manifest_digest = xstrdup(d);
  j->info.manifest_media_type = xstrdup(j->man.media_type);
  to_config(j);
}

static void got_config(job *j, dfl_http_response *r)
{
  char d[72];
  dfl_sha256_digest(r->body, r->body_len, d);
  if (strcmp(d, j->want_digest) != 0) {
    verify_fail(j, "image config", j->want_digest, d);
    return;
  }
  char *err = NULL;
  dfl_image_info *in = &j->info;
  if (dfl_oci_parse_config(r->body, r->body_len, in, &err) != 0) {
    endpoint_failedf(j, "image config: %s", err);
    free(err);
    return;
  }
  if (!j->from_index) {
    /* a single-platform image: say when it is not the one asked for */
    const dfl_platform *w = &j->f->want;
    if ((in->os && strcmp(in->os, w->os) != 0) ||
        (in->architecture && strcmp(in->architecture, w->arch) != 0)) {
      if (j->persistent_warn.len)
        dfl_buf_puts(&j->persistent_warn, "; ");
      dfl_buf_printf(&j->persistent_warn,
                     "the image has a single platform, %s/%s, not %s", in->os ? in->os : "?",
                     in->architecture ? in->architecture : "?", j->f->platform);
    }
  }
  finish_ok(j);
}

/* The HEAD of a revalidation answered. */
static void got_head(job *j, dfl_http_response *r)
{
  const char *hd = r->status >= 200 && r->status <= 299
                       ? dfl_http_header(r, "docker-content-digest") : NULL;
  if (!hd || !j->stale.digest || strcmp(hd, j->stale.digest) != 0) {
    /* changed, unknown (no header), or an error whose body a GET shows */
    j->st = ST_MANIFEST;
    issue(j);
    return;
  }
  dfl_image_info *in = &j->info;
  char *ref = in->ref, *plat = in->platform;
  in->ref = in->platform = NULL;
  dfl_image_info_free(in);
  *in = j->stale;
  memset(&j->stale, 0, sizeof j->stale);
  j->have_stale = false;
  free(in->ref);
  free(in->platform);
  in->ref = ref;
  in->platform = plat;
  free(in->registry);
  in->registry = NULL;
  /* the cached warning (a platform mismatch) still holds */
  in->stale = false;
  finish_ok(j);
}

static void on_main(void *ud, dfl_http_response *r)
{
  job *j = ud;
  if (j->tried_http && j->https_error && r->status != 400 &&
      !(r->status == 0 && (r->fail == DFL_HTTP_FAIL_CONNECT || r->fail == DFL_HTTP_FAIL_TLS))) {
    /* the host speaks plain http: the https failure is explained */
    free(j->https_error);
    j->https_error = NULL;
    remember_http(j->f, j->eps[j->ep].host);
  }
  if (r->status == 0) {
    if (fallback_to_http(j, r)) {
      issue(j);
      return;
    }
    const char *what = j->st == ST_CONFIG ? "image config" :
                       j->st == ST_CHILD ? "platform manifest" : NULL;
    endpoint_failed_resp(j, what, r);
    return;
  }
  if (r->status == 401) {
    handle_401(j, r);
    return;
  }
  if ((r->status < 200 || r->status > 299) && j->st != ST_HEAD) {
    const char *what = j->st == ST_CONFIG ? "image config" :
                       j->st == ST_CHILD ? "platform manifest" : "manifest";
    endpoint_failed_resp(j, what, r);
    return;
  }
  switch (j->st) {
  case ST_HEAD:
    got_head(j, r);
    break;
  case ST_MANIFEST:
    got_manifest(j, r);
    break;
  case ST_CHILD:
    got_child(j, r);
    break;
  case ST_CONFIG:
    got_config(j, r);
    break;
  }
}

/* ---- the public API --------------------------------------------------------------------- */

char *dfl_registry_key(const char *ref, const char *platform)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s\n%s", ref, platform);
  return dfl_buf_take(&b);
}

int dfl_registry_opts_check(const dfl_registry_opts *o, char **err)
{
  for (size_t i = 0; i < o->n_mirrors; i++) {
    dfl_mirror m;
    if (dfl_mirror_parse(o->mirrors[i], o->insecure_registries, o->n_insecure_registries, &m,
                         err) != 0)
      return -1;
    dfl_mirror_free(&m);
  }
  return 0;
}

/* "linux/arm64/v8", "linux/arm/v7", "linux/amd64": the variant spelled out
 * for the architectures that always have one. */
static char *platform_string(const dfl_platform *p)
{
  const char *v = p->variant ? p->variant : "";
  if (!*v && strcmp(p->arch, "arm64") == 0)
    v = "v8";
  if (!*v && strcmp(p->arch, "arm") == 0)
    v = "v7";
  return dfl_oci_platform_string(p->os, p->arch, v);
}

void dfl_image_info_free(dfl_image_info *in)
{
  if (!in)
    return;
  free(in->ref);
  free(in->platform);
  free(in->digest);
  free(in->media_type);
  free(in->manifest_digest);
  free(in->manifest_media_type);
  free(in->config_digest);
  free(in->created);
  free(in->os);
  free(in->architecture);
  free(in->variant);
  free(in->user);
  free(in->workdir);
  for (size_t i = 0; i < in->n_env; i++)
    free(in->env[i]);
  free(in->env);
  for (size_t i = 0; i < in->n_entrypoint; i++)
    free(in->entrypoint[i]);
  free(in->entrypoint);
  for (size_t i = 0; i < in->n_cmd; i++)
    free(in->cmd[i]);
  free(in->cmd);
  for (size_t i = 0; i < in->n_labels; i++) {
    free(in->labels[i].key);
    free(in->labels[i].value);
  }
  free(in->labels);
  free(in->registry);
  free(in->warning);
  free(in->error);
  free(in->platforms);
  memset(in, 0, sizeof *in);
}

static void copy_list(char ***dst, size_t *dn, char *const *src, size_t n)
{
  *dst = NULL;
  *dn = n;
  if (!src)
    return;
  *dst = dfl_xcalloc(n + 1, sizeof **dst);
  for (size_t i = 0; i < n; i++)
    (*dst)[i] = xstrdup(src[i]);
}

static void info_copy(dfl_image_info *d, const dfl_image_info *s)
{
  *d = *s;
  d->ref = xstrdup(s->ref);
  d->platform = xstrdup(s->platform);
  d->digest = xstrdup(s->digest);
  d->media_type = xstrdup(s->media_type);
  d->manifest_digest = xstrdup(s->manifest_digest);
  d->manifest_media_type = xstrdup(s->manifest_media_type);
  d->config_digest = xstrdup(s->config_digest);
  d->created = xstrdup(s->created);
  d->os = xstrdup(s->os);
  d->architecture = xstrdup(s->architecture);
  d->variant = xstrdup(s->variant);
  d->user = xstrdup(s->user);
  d->workdir = xstrdup(s->workdir);
  copy_list(&d->env, &d->n_env, s->env, s->n_env);
  copy_list(&d->entrypoint, &d->n_entrypoint, s->entrypoint, s->n_entrypoint);
  copy_list(&d->cmd, &d->n_cmd, s->cmd, s->n_cmd);
  d->labels = NULL;
  if (s->labels) {
    d->labels = dfl_xcalloc(s->n_labels + 1, sizeof *d->labels);
    for (size_t i = 0; i < s->n_labels; i++) {
      d->labels[i].key = xstrdup(s->labels[i].key);
      d->labels[i].value = xstrdup(s->labels[i].value);
    }
  }
  d->registry = xstrdup(s->registry);
  d->warning = xstrdup(s->warning);
  d->error = xstrdup(s->error);
  d->platforms = xstrdup(s->platforms);
}

static void set_error(dfl_image_info *in, const char *prefix, const char *msg)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s%s", prefix, msg);
  free(in->error);
  in->error = dfl_buf_take(&b);
}

int dfl_registry_fetch_many(const dfl_registry_opts *o, const char *const *refs, size_t n,
                            const char *platform, dfl_image_info *out)
{
  for (size_t i = 0; i < n; i++)
    memset(&out[i], 0, sizeof out[i]);
  static const dfl_registry_opts defaults;
  if (!o)
    o = &defaults;
  fetcher f;
  memset(&f, 0, sizeof f);
  f.o = o;
  f.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : DEFAULT_TIMEOUT_MS;
  char *err = NULL;
  const char *pl = platform && *platform ? platform : "linux/amd64";
  if (dfl_platform_parse(pl, strlen(pl), &f.want, &err) != 0) {
    for (size_t i = 0; i < n; i++)
      set_error(&out[i], "--platform: ", err);
    free(err);
    return -1;
  }
  f.platform = platform_string(&f.want);
  for (size_t i = 0; i < o->n_mirrors; i++) {
    dfl_mirror m;
    if (dfl_mirror_parse(o->mirrors[i], o->insecure_registries, o->n_insecure_registries, &m,
                         &err) != 0) {
      for (size_t k = 0; k < n; k++)
        set_error(&out[k], "", err);
      free(err);
      for (size_t k = 0; k < f.n_mirrors; k++)
        dfl_mirror_free(&f.mirrors[k]);
      free(f.mirrors);
      free(f.platform);
      dfl_platform_free(&f.want);
      return -1;
    }
    f.mirrors = dfl_xrealloc(f.mirrors, (f.n_mirrors + 1) * sizeof *f.mirrors);
    f.mirrors[f.n_mirrors++] = m;
  }
  f.cache_dir = o->no_cache ? NULL : dfl_cache_dir(o);
  long ttl = o->cache_ttl > 0 ? o->cache_ttl : DEFAULT_TTL;
  int64_t now = (int64_t)time(NULL);

  job **jobs = dfl_xcalloc(n ? n : 1, sizeof *jobs);
  size_t *which = dfl_xcalloc(n ? n : 1, sizeof *which); /* out[i] <- jobs[which[i]] */
  size_t n_jobs = 0;
  bool need_net = false;
  for (size_t i = 0; i < n; i++) {
    which[i] = (size_t)-1;
    const char *s = refs[i] ? refs[i] : "";
    dfl_image_ref ref;
    char *perr = NULL;
    if (dfl_image_ref_parse_docker(s, strlen(s), &ref, &perr) != 0) {
      out[i].ref = xstrdup(s);
      out[i].platform = xstrdup(f.platform);
      set_error(&out[i], "", perr ? perr : "invalid reference format");
      free(perr);
      continue;
    }
    char *name = dfl_image_ref_string(&ref);
    if (strcmp(name, "docker.io/library/scratch:latest") == 0 || !ref.domain || !*ref.domain) {
      out[i].ref = name;
      out[i].platform = xstrdup(f.platform);
      set_error(&out[i], "", ref.domain && *ref.domain
                                   ? "scratch is Docker's reserved empty image: there is nothing to fetch"
                                   : "the reference names no registry");
      dfl_image_ref_free(&ref);
      continue;
    }
    if (ref.digest && !dfl_digest_valid(ref.digest)) {
      out[i].ref = name;
      out[i].platform = xstrdup(f.platform);
      set_error(&out[i], "", "unsupported digest: only sha256 digests can be verified");
      dfl_image_ref_free(&ref);
      continue;
    }
    char *key = dfl_registry_key(name, f.platform);
    size_t k;
    for (k = 0; k < n_jobs; k++)
      if (strcmp(jobs[k]->key, key) == 0)
        break;
    if (k < n_jobs) {
      which[i] = k;
      free(key);
      free(name);
      dfl_image_ref_free(&ref);
      continue;
    }
    job *j = dfl_xcalloc(1, sizeof *j);
    j->f = &f;
    j->ref = ref;
    j->key = key;
    j->info.ref = name;
    j->info.platform = xstrdup(f.platform);
    dfl_buf_init(&j->errors);
    dfl_buf_init(&j->persistent_warn);
    jobs[n_jobs] = j;
    which[i] = n_jobs++;
    if (f.cache_dir) {
      dfl_image_info c;
      int rc = dfl_cache_get(f.cache_dir, key, ttl, ref.digest != NULL, now, &c);
      if (rc == 1) {
        free(c.ref);
        free(c.platform);
        c.ref = j->info.ref;
        c.platform = j->info.platform;
        j->info = c;
        j->done = true;
        continue;
      }
      if (rc == 2) {
        j->stale = c;
        j->have_stale = true;
      }
    }
    need_net = true;
  }

  if (need_net) {
    dfl_transport *t = o->transport;
    bool own = false;
    if (!t) {
      dfl_transport_curl_opts co = {o->connect_timeout_ms, f.timeout_ms, o->max_body,
                                    o->retries, o->ca_cert, o->insecure_registries,
                                    o->n_insecure_registries};
      t = dfl_transport_curl_new(&co);
      own = true;
    }
    f.t = t;
    for (size_t k = 0; k < n_jobs; k++) {
      job *j = jobs[k];
      if (j->done)
        continue;
      if (!t) {
        finish_error(j, dfl_transport_curl_error() ? dfl_transport_curl_error()
                                                   : "libcurl could not be initialized");
        continue;
      }
      j->n_eps = dfl_mirror_endpoints(f.mirrors, f.n_mirrors, j->ref.domain,
                                      o->insecure_registries, o->n_insecure_registries, &j->eps);
      j->ep = 0;
      next_endpoint(j);
    }
    if (t)
      t->ops->run(t);
    for (size_t k = 0; k < n_jobs; k++)
      if (!jobs[k]->done) /* a transport that lost a request */
        finish_error(jobs[k], "internal error: the request was never answered");
    if (own && t)
      t->ops->destroy(t);
  }

  int failed = 0;
  for (size_t i = 0; i < n; i++) {
    if (which[i] != (size_t)-1)
      info_copy(&out[i], &jobs[which[i]]->info);
    if (out[i].error)
      failed++;
  }
  for (size_t k = 0; k < n_jobs; k++) {
    job *j = jobs[k];
    dfl_image_ref_free(&j->ref);
    free(j->key);
    dfl_image_info_free(&j->info);
    if (j->have_stale)
      dfl_image_info_free(&j->stale);
    dfl_endpoints_free(j->eps, j->n_eps);
    free(j->base);
    dfl_secret_free(j->authz);
    free(j->https_error);
    free(j->token_key);
    free(j->scope);
    dfl_buf_free(&j->errors);
    dfl_buf_free(&j->persistent_warn);
    dfl_oci_manifest_free(&j->man);
    free(j->want_digest);
    free(j);
  }
  free(jobs);
  free(which);
  for (size_t i = 0; i < f.n_tokens; i++) {
    free(f.tokens[i].key);
    dfl_secret_free(f.tokens[i].token);
  }
  free(f.tokens);
  for (size_t i = 0; i < f.n_creds; i++) {
    free(f.creds[i].host);
    dfl_credential_free(&f.creds[i].c);
    free(f.creds[i].note);
  }
  free(f.creds);
  for (size_t i = 0; i < f.n_http_hosts; i++)
    free(f.http_hosts[i]);
  free(f.http_hosts);
  for (size_t i = 0; i < f.n_mirrors; i++)
    dfl_mirror_free(&f.mirrors[i]);
  free(f.mirrors);
  free(f.cache_dir);
  free(f.platform);
  dfl_platform_free(&f.want);
  return failed;
}
