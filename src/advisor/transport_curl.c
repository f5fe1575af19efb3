/* The registry client's HTTP transport on libcurl's multi interface: every
 * submitted request runs concurrently with the others (HTTP/2 streams share
 * a connection where the server allows it). The only file that calls curl,
 * through the table src/advisor/curl_api.c loads on first use.
 *
 * Policy, here so that no caller can forget it:
 *  - a time budget per request (connect timeout, and a total one that also
 *    covers retries and redirects);
 *  - a cap on the body (CURLOPT_MAXFILESIZE when the length is announced,
 *    the write callback when it is not);
 *  - redirects are followed here, not by libcurl, at most 5: https targets,
 *    plain http only from plain http to a host that allows it, and the
 *    Authorization header is dropped as soon as the origin changes (blob
 *    redirects to a CDN or object store must not receive the registry's
 *    token: presigned URLs refuse it, and it must not leak);
 *  - 429 and 500/502/503/504 are retried with exponential backoff and
 *    jitter, honouring Retry-After, while the budget allows; then the last
 *    answer is handed back;
 *  - proxies: libcurl reads http_proxy, https_proxy, all_proxy and no_proxy
 *    (and their upper-case forms, except HTTP_PROXY, which it ignores on
 *    purpose for CGI's sake); a command-line tool is no CGI, and Docker
 *    honours HTTP_PROXY, so it is read here. Loopback never goes through a
 *    proxy. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "advisor/curl_api.h"
#include "advisor/transport.h"
#include "dflint/arena.h"
#include "dflint/buf.h"

#ifndef DFLINT_VERSION
#define DFLINT_VERSION "dev"
#endif

#define MAX_REDIRECTS 5

/* libcurl's functions (curl_api.h): set by the first dfl_transport_curl_new
 * that loads it, before any transfer exists. */
static const dfl_curl_api *C;

typedef struct ctransport ctransport;

typedef struct cxfer {
  ctransport *t;
  CURL *easy;
  char *method;
  char *url;
  char **headers; /* "Name: value"; Authorization removed on origin change */
  size_t n_headers;
  struct curl_slist *slist;
  char *body;
  size_t body_len;
  dfl_buf rbody;
  char **rh; /* response headers of the latest answer */
  size_t n_rh;
  bool too_large;
  int redirects;
  int retries_done;
  int64_t deadline;
  int64_t submitted;
  int64_t start_at;
  long budget_ms;
  dfl_http_callback cb;
  void *ud;
  struct cxfer *next;
  char errbuf[CURL_ERROR_SIZE];
} cxfer;

struct ctransport {
  dfl_transport base;
  CURLM *multi;
  long connect_timeout_ms, timeout_ms;
  size_t max_body;
  int retries;
  char *ca_cert;
  char **insecure;
  size_t n_insecure;
  cxfer *waiting; /* submitted or to be retried, not yet in the multi handle */
  size_t active;
  uint64_t rng;
};

static int64_t now_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

static void free_list(char **l, size_t n)
{
  for (size_t i = 0; i < n; i++)
    free(l[i]);
  free(l);
}

static void xfer_free(cxfer *x)
{
  if (x->easy)
    C->easy_cleanup(x->easy);
  C->slist_free_all(x->slist);
  free(x->method);
  free(x->url);
  /* headers may carry credentials: wipe them */
  for (size_t i = 0; i < x->n_headers; i++) {
    explicit_bzero(x->headers[i], strlen(x->headers[i]));
    free(x->headers[i]);
  }
  free(x->headers);
  free(x->body);
  dfl_buf_free(&x->rbody);
  free_list(x->rh, x->n_rh);
  free(x);
}

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
  cxfer *x = ud;
  size_t len = size * n;
  if (x->rbody.len + len > x->t->max_body) {
    x->too_large = true;
    return 0; /* abort the transfer */
  }
  dfl_buf_append(&x->rbody, p, len);
  return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
  cxfer *x = ud;
  size_t len = size * n;
  if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
    /* a new answer (after 100-continue, or a proxy's 200): start over */
    free_list(x->rh, x->n_rh);
    x->rh = NULL;
    x->n_rh = 0;
    return len;
  }
  size_t l = len;
  while (l && (p[l - 1] == '\r' || p[l - 1] == '\n'))
    l--;
  if (l && x->n_rh < 200) {
    x->rh = dfl_xrealloc(x->rh, (x->n_rh + 1) * sizeof *x->rh);
    x->rh[x->n_rh++] = dfl_xstrndup(p, l);
  }
  return len;
}

static bool has_env(const char *name)
{
  const char *v = getenv(name);
  return v && *v;
}

/* Configures x->easy for x->url and adds it to the multi handle. Returns
 * false (and x is finished by the caller) when the budget is spent. */
static bool xfer_start(cxfer *x)
{
  ctransport *t = x->t;
  int64_t left = x->deadline - now_ms();
  if (left <= 0)
    return false;
  if (!x->easy)
    x->easy = C->easy_init();
  else
    C->easy_reset(x->easy);
  CURL *e = x->easy;
  dfl_buf_reset(&x->rbody);
  free_list(x->rh, x->n_rh);
  x->rh = NULL;
  x->n_rh = 0;
  x->too_large = false;
  x->errbuf[0] = '\0';
  C->slist_free_all(x->slist);
  x->slist = NULL;
  for (size_t i = 0; i < x->n_headers; i++)
    x->slist = C->slist_append(x->slist, x->headers[i]);

  C->easy_setopt(e, CURLOPT_URL, x->url);
#if LIBCURL_VERSION_NUM >= 0x075500
  C->easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  C->easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  C->easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  C->easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  C->easy_setopt(e, CURLOPT_PRIVATE, x);
  C->easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
  C->easy_setopt(e, CURLOPT_USERAGENT, "dflint/" DFLINT_VERSION);
  C->easy_setopt(e, CURLOPT_HTTPHEADER, x->slist);
  C->easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
  C->easy_setopt(e, CURLOPT_WRITEDATA, x);
  C->easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
  C->easy_setopt(e, CURLOPT_HEADERDATA, x);
  C->easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)left);
  C->easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(t->connect_timeout_ms < left ? t->connect_timeout_ms : left));
  C->easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->max_body);
  if (t->ca_cert)
    C->easy_setopt(e, CURLOPT_CAINFO, t->ca_cert);
  if (strcmp(x->method, "HEAD") == 0) {
    C->easy_setopt(e, CURLOPT_NOBODY, 1L);
  } else if (strcmp(x->method, "POST") == 0) {
    C->easy_setopt(e, CURLOPT_POST, 1L);
    C->easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body_len);
    C->easy_setopt(e, CURLOPT_POSTFIELDS, x->body ? x->body : "");
  } else if (strcmp(x->method, "GET") != 0) {
    C->easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
  }
  char *scheme = NULL, *host = NULL;
  if (dfl_url_split(x->url, &scheme, &host) == 0) {
    if (dfl_host_is_loopback(host)) {
      C->easy_setopt(e, CURLOPT_PROXY, ""); /* never proxy loopback */
    } else if (strcmp(scheme, "http") == 0 && !has_env("http_proxy") &&
               has_env("HTTP_PROXY")) {
      /* libcurl still applies no_proxy / NO_PROXY to this one */
      C->easy_setopt(e, CURLOPT_PROXY, getenv("HTTP_PROXY"));
    }
  }
  free(scheme);
  free(host);
  C->multi_add_handle(t->multi, e);
  t->active++;
  return true;
}

static void push_waiting(ctransport *t, cxfer *x, int64_t at)
{
  x->start_at = at;
  x->next = t->waiting;
  t->waiting = x;
}

static void complete(cxfer *x, long status, dfl_http_fail fail, const char *error)
{
  dfl_http_response r;
  memset(&r, 0, sizeof r);
  r.status = status;
  r.fail = fail;
  r.error = xstrdup(error);
  r.url = xstrdup(x->url);
  r.attempts = 1 + x->retries_done;
  if (fail == DFL_HTTP_OK) {
    r.headers = x->rh;
    r.n_headers = x->n_rh;
    x->rh = NULL;
    x->n_rh = 0;
    r.body_len = x->rbody.len;
    r.body = dfl_buf_take(&x->rbody);
    if (!r.body)
      r.body = xstrdup("");
  }
  x->cb(x->ud, &r);
  dfl_http_response_free(&r);
  xfer_free(x);
}

static void fail(cxfer *x, dfl_http_fail kind, const char *msg)
{
  complete(x, 0, kind, msg);
}

static void fail_timeout(cxfer *x)
{
  char b[96];
  snprintf(b, sizeof b, "timed out after %.1f s", (double)(now_ms() - x->submitted) / 1000.0);
  fail(x, DFL_HTTP_FAIL_TIMEOUT, b);
}

/* Seconds of a Retry-After header (delta-seconds or an HTTP-date), or -1. */
static long retry_after_ms(const cxfer *x)
{
  for (size_t i = 0; i < x->n_rh; i++) {
    if (strncasecmp(x->rh[i], "retry-after:", 12) != 0)
      continue;
    const char *v = x->rh[i] + 12;
    while (*v == ' ')
      v++;
    char *end;
    long s = strtol(v, &end, 10);
    if (end != v && *end == '\0' && s >= 0)
      return s > 86400 ? 86400 * 1000L : s * 1000;
    time_t when = C->getdate(v, NULL);
    if (when != (time_t)-1) {
      long d = (long)(when - time(NULL));
      return d < 0 ? 0 : (d > 86400 ? 86400 : d) * 1000;
    }
  }
  return -1;
}

static uint64_t next_rand(ctransport *t)
{
  t->rng ^= t->rng << 13;
  t->rng ^= t->rng >> 7;
  t->rng ^= t->rng << 17;
  return t->rng;
}

static bool retryable(long status)
{
  return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

static void drop_authorization(cxfer *x)
{
  size_t j = 0;
  for (size_t i = 0; i < x->n_headers; i++) {
    if (strncasecmp(x->headers[i], "authorization:", 14) == 0) {
      explicit_bzero(x->headers[i], strlen(x->headers[i]));
      free(x->headers[i]);
    } else {
      x->headers[j++] = x->headers[i];
    }
  }
  x->n_headers = j;
}

static void finish(cxfer *x, CURLcode rc)
{
  ctransport *t = x->t;
  if (rc != CURLE_OK) {
    if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
      char lim[96];
      snprintf(lim, sizeof lim, "the answer is larger than the limit of %zu bytes", t->max_body);
      fail(x, DFL_HTTP_FAIL_TOO_LARGE, lim);
      return;
    }
    const char *msg = x->errbuf[0] ? x->errbuf : C->easy_strerror(rc);
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      fail_timeout(x);
      return;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      fail(x, DFL_HTTP_FAIL_CONNECT, msg);
      return;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: {
      char b[CURL_ERROR_SIZE + 16];
      snprintf(b, sizeof b, "TLS: %s", msg);
      fail(x, DFL_HTTP_FAIL_TLS, b);
      return;
    }
    default:
      fail(x, DFL_HTTP_FAIL_OTHER, msg);
      return;
    }
  }
  long status = 0;
  C->easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
  if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
    char *loc = NULL;
    C->easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &loc);
    if (loc && *loc) {
      const char *why = NULL;
      if (x->redirects >= MAX_REDIRECTS) {
        fail(x, DFL_HTTP_FAIL_REDIRECT, "more than 5 redirects");
        return;
      }
      if (!dfl_redirect_allowed(x->url, loc, (const char *const *)t->insecure,
                                t->n_insecure, &why)) {
        dfl_buf b;
        dfl_buf_init(&b);
        dfl_buf_printf(&b, "%s (to %s)", why, loc);
        fail(x, DFL_HTTP_FAIL_REDIRECT, dfl_buf_cstr(&b));
        dfl_buf_free(&b);
        return;
      }
      if (!dfl_same_origin(x->url, loc))
        drop_authorization(x);
      if (status == 303 || ((status == 301 || status == 302) && strcmp(x->method, "POST") == 0)) {
        free(x->method);
        x->method = xstrdup("GET");
        free(x->body);
        x->body = NULL;
        x->body_len = 0;
      }
      char *next = xstrdup(loc); /* loc belongs to the easy handle */
      free(x->url);
      x->url = next;
      x->redirects++;
      push_waiting(t, x, now_ms());
      return;
    }
  }
  if (retryable(status) && t->retries > 0 && x->retries_done < t->retries) {
    long wait = retry_after_ms(x);
    if (wait < 0) {
      /* 250 ms, 500 ms, 1 s ... with +-25 % jitter */
      long base = 250L << (x->retries_done < 5 ? x->retries_done : 5);
      wait = base * 3 / 4 + (long)(next_rand(t) % (uint64_t)(base / 2 + 1));
    }
    int64_t at = now_ms() + wait;
    /* retry only if an answer can still come within the budget */
    if (at + 50 < x->deadline) {
      x->retries_done++;
      push_waiting(t, x, at);
      return;
    }
  }
  complete(x, status, DFL_HTTP_OK, NULL);
}

static void ct_submit(dfl_transport *base, const dfl_http_request *req, dfl_http_callback cb,
                      void *ud)
{
  ctransport *t = (ctransport *)base;
  cxfer *x = dfl_xcalloc(1, sizeof *x);
  x->t = t;
  x->method = xstrdup(req->method ? req->method : "GET");
  x->url = xstrdup(req->url);
  for (const char *const *h = req->headers; h && *h; h++) {
    x->headers = dfl_xrealloc(x->headers, (x->n_headers + 1) * sizeof *x->headers);
    x->headers[x->n_headers++] = xstrdup(*h);
  }
  if (req->body) {
    x->body = dfl_xmalloc(req->body_len + 1);
    memcpy(x->body, req->body, req->body_len);
    x->body[req->body_len] = '\0';
    x->body_len = req->body_len;
  }
  dfl_buf_init(&x->rbody);
  x->budget_ms = req->timeout_ms > 0 ? req->timeout_ms : t->timeout_ms;
  x->submitted = now_ms();
  x->deadline = x->submitted + x->budget_ms;
  x->cb = cb;
  x->ud = ud;
  push_waiting(t, x, now_ms());
}

static void start_due(ctransport *t, int64_t now, int64_t *next_at)
{
  *next_at = INT64_MAX;
  /* take the due ones out first: starting may fail and call back, and a
   * callback may submit */
  cxfer *due = NULL, **pp = &t->waiting;
  while (*pp) {
    cxfer *x = *pp;
    if (x->start_at <= now) {
      *pp = x->next;
      x->next = due;
      due = x;
    } else {
      if (x->start_at < *next_at)
        *next_at = x->start_at;
      pp = &x->next;
    }
  }
  while (due) {
    cxfer *x = due;
    due = x->next;
    x->next = NULL;
    if (!xfer_start(x))
      fail_timeout(x);
  }
}

static void ct_run(dfl_transport *base)
{
  ctransport *t = (ctransport *)base;
  for (;;) {
    int64_t next_at;
    start_due(t, now_ms(), &next_at);
    if (!t->active && !t->waiting)
      break;
    int running = 0;
    C->multi_perform(t->multi, &running);
    CURLMsg *m;
    int left;
    while ((m = C->multi_info_read(t->multi, &left))) {
      if (m->msg != CURLMSG_DONE)
        continue;
      CURL *e = m->easy_handle;
      CURLcode rc = m->data.result;
      cxfer *x = NULL;
      C->easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
      C->multi_remove_handle(t->multi, e);
      t->active--;
      finish(x, rc);
    }
    if (!t->active && !t->waiting)
      break;
    start_due(t, now_ms(), &next_at);
    long wait = 1000;
    if (t->waiting) {
      int64_t d = next_at - now_ms();
      wait = d < 0 ? 0 : (d < wait ? (long)d : wait);
    }
    if (t->active) {
      C->multi_poll(t->multi, NULL, 0, (int)wait, NULL);
    } else if (wait > 0) {
      struct timespec ts = {wait / 1000, (wait % 1000) * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
}

static void ct_destroy(dfl_transport *base)
{
  ctransport *t = (ctransport *)base;
  if (!t)
    return;
  /* nothing is pending after run(); be safe anyway */
  while (t->waiting) {
    cxfer *x = t->waiting;
    t->waiting = x->next;
    xfer_free(x);
  }
  C->multi_cleanup(t->multi);
  free(t->ca_cert);
  free_list(t->insecure, t->n_insecure);
  free(t);
}

static const dfl_transport_ops curl_ops = {ct_submit, ct_run, ct_destroy};

const char *dfl_transport_curl_error(void)
{
  const char *why = NULL;
  return dfl_curl_api_get(&why) ? NULL : why;
}

dfl_transport *dfl_transport_curl_new(const dfl_transport_curl_opts *o)
{
  const char *why = NULL;
  if (!(C = dfl_curl_api_get(&why)))
    return NULL; /* dfl_transport_curl_error() says why */
  ctransport *t = dfl_xcalloc(1, sizeof *t);
  t->base.ops = &curl_ops;
  t->multi = C->multi_init();
  if (!t->multi) {
    free(t);
    return NULL;
  }
  C->multi_setopt(t->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
  C->multi_setopt(t->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, 32L);
  t->connect_timeout_ms = o && o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 5000;
  t->timeout_ms = o && o->timeout_ms > 0 ? o->timeout_ms : 30000;
  t->max_body = o && o->max_body > 0 ? o->max_body : (size_t)4 << 20;
  t->retries = !o || o->retries == 0 ? 3 : (o->retries < 0 ? 0 : o->retries);
  t->ca_cert = o ? xstrdup(o->ca_cert) : NULL;
  if (o && o->n_insecure_hosts) {
    t->insecure = dfl_xcalloc(o->n_insecure_hosts, sizeof *t->insecure);
    for (size_t i = 0; i < o->n_insecure_hosts; i++)
      t->insecure[i] = xstrdup(o->insecure_hosts[i]);
    t->n_insecure = o->n_insecure_hosts;
  }
  t->rng = (uint64_t)now_ms() * 2654435761u ^ (uint64_t)getpid() ^ 0x9e3779b97f4a7c15ull;
  if (!t->rng)
    t->rng = 1;
  return &t->base;
}
