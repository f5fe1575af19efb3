/* Transport-independent helpers: the synchronous wrapper, header look-up,
 * response memory, and the URL policy (what may be reached over plain
 * HTTP, which redirects may be followed). */
#include "advisor/transport.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dflint/arena.h"

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

static void sync_done(void *ud, dfl_http_response *resp)
{
  dfl_http_response *out = ud;
  *out = *resp;
  memset(resp, 0, sizeof *resp); /* stolen */
}

void dfl_http_request_sync(dfl_transport *t, const dfl_http_request *req,
                           dfl_http_response *out)
{
  memset(out, 0, sizeof *out);
  t->ops->submit(t, req, sync_done, out);
  t->ops->run(t);
}

const char *dfl_http_header(const dfl_http_response *r, const char *name)
{
  size_t n = strlen(name);
  for (size_t i = 0; i < r->n_headers; i++) {
    const char *h = r->headers[i];
    if (strncasecmp(h, name, n) == 0 && h[n] == ':') {
      h += n + 1;
      while (*h == ' ' || *h == '\t')
        h++;
      return h;
    }
  }
  return NULL;
}

void dfl_http_response_free(dfl_http_response *r)
{
  for (size_t i = 0; i < r->n_headers; i++)
    free(r->headers[i]);
  free(r->headers);
  free(r->body);
  free(r->url);
  free(r->error);
  memset(r, 0, sizeof *r);
}

void dfl_http_response_copy(dfl_http_response *dst, const dfl_http_response *src)
{
  *dst = *src;
  dst->headers = NULL;
  if (src->n_headers) {
    dst->headers = dfl_xcalloc(src->n_headers, sizeof *dst->headers);
    for (size_t i = 0; i < src->n_headers; i++)
      dst->headers[i] = xstrdup(src->headers[i]);
  }
  dst->body = NULL;
  if (src->body) {
    dst->body = dfl_xmalloc(src->body_len + 1);
    memcpy(dst->body, src->body, src->body_len);
    dst->body[src->body_len] = '\0';
  }
  dst->url = xstrdup(src->url);
  dst->error = xstrdup(src->error);
}

int dfl_url_split(const char *url, char **scheme, char **hostport)
{
  *scheme = *hostport = NULL;
  const char *sep = url ? strstr(url, "://") : NULL;
  if (!sep || sep == url)
    return -1;
  for (const char *p = url; p < sep; p++)
    if (!isalpha((unsigned char)*p))
      return -1;
  const char *h = sep + 3;
  /* userinfo is not allowed in registry URLs, but skip it for the host */
  size_t n = strcspn(h, "/?#");
  const char *at = memchr(h, '@', n);
  if (at) {
    n -= (size_t)(at + 1 - h);
    h = at + 1;
  }
  if (!n)
    return -1;
  *scheme = dfl_xstrndup(url, (size_t)(sep - url));
  for (char *p = *scheme; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  *hostport = dfl_xstrndup(h, n);
  for (char *p = *hostport; *p; p++)
    *p = (char)tolower((unsigned char)*p);
  return 0;
}

/* "host" of "host:port" / "[v6]:port", into buf. */
static void host_only(const char *hostport, char *buf, size_t cap)
{
  size_t n;
  if (hostport[0] == '[') {
    const char *e = strchr(hostport, ']');
    n = e ? (size_t)(e - hostport + 1) : strlen(hostport);
  } else {
    const char *c = strrchr(hostport, ':');
    n = c ? (size_t)(c - hostport) : strlen(hostport);
  }
  if (n >= cap)
    n = cap - 1;
  memcpy(buf, hostport, n);
  buf[n] = '\0';
}

bool dfl_host_is_loopback(const char *hostport)
{
  char h[256];
  host_only(hostport, h, sizeof h);
  if (strcasecmp(h, "localhost") == 0 || strcmp(h, "[::1]") == 0)
    return true;
  /* 127.0.0.0/8, dotted quad only */
  if (strncmp(h, "127.", 4) != 0)
    return false;
  int dots = 0;
  for (const char *p = h; *p; p++) {
    if (*p == '.')
      dots++;
    else if (!isdigit((unsigned char)*p))
      return false;
  }
  return dots == 3;
}

bool dfl_host_plain_http_allowed(const char *hostport, const char *const *insecure, size_t n)
{
  if (dfl_host_is_loopback(hostport))
    return true;
  char h[256];
  host_only(hostport, h, sizeof h);
  for (size_t i = 0; i < n; i++) {
    const char *e = insecure[i];
    /* "http://host:port/" given by mistake: compare the host part */
    const char *sep = strstr(e, "://");
    if (sep)
      e = sep + 3;
    size_t len = strcspn(e, "/");
    if ((strlen(hostport) == len && strncasecmp(hostport, e, len) == 0) ||
        (strlen(h) == len && strncasecmp(h, e, len) == 0))
      return true;
  }
  return false;
}

bool dfl_redirect_allowed(const char *from, const char *to, const char *const *insecure,
                          size_t n, const char **why)
{
  char *fs = NULL, *fh = NULL, *ts = NULL, *th = NULL;
  bool ok = false;
  if (dfl_url_split(from, &fs, &fh) != 0 || dfl_url_split(to, &ts, &th) != 0) {
    *why = "the redirect target is not an absolute URL";
  } else if (strcmp(ts, "https") == 0) {
    ok = true;
  } else if (strcmp(ts, "http") != 0) {
    *why = "the redirect target is neither https nor http";
  } else if (strcmp(fs, "https") == 0) {
    *why = "refusing a redirect from https to plain http";
  } else if (!dfl_host_plain_http_allowed(th, insecure, n)) {
    *why = "refusing a redirect to plain http on a host that is not an insecure registry";
  } else {
    ok = true;
  }
  free(fs);
  free(fh);
  free(ts);
  free(th);
  return ok;
}

static const char *default_port(const char *scheme)
{
  return strcmp(scheme, "https") == 0 ? "443" : "80";
}

bool dfl_same_origin(const char *a, const char *b)
{
  char *as = NULL, *ah = NULL, *bs = NULL, *bh = NULL;
  bool same = false;
  if (dfl_url_split(a, &as, &ah) == 0 && dfl_url_split(b, &bs, &bh) == 0 &&
      strcmp(as, bs) == 0) {
    /* "host" and "host:443" are the same origin for https */
    char ha[300], hb[300];
    const char *ca = ah[0] == '[' ? strstr(ah, "]:") : strrchr(ah, ':');
    const char *cb = bh[0] == '[' ? strstr(bh, "]:") : strrchr(bh, ':');
    snprintf(ha, sizeof ha, "%s%s", ah, ca ? "" : ":");
    snprintf(hb, sizeof hb, "%s%s", bh, cb ? "" : ":");
    if (!ca)
      strncat(ha, default_port(as), sizeof ha - strlen(ha) - 1);
    if (!cb)
      strncat(hb, default_port(bs), sizeof hb - strlen(hb) - 1);
    same = strcmp(ha, hb) == 0;
  }
  free(as);
  free(ah);
  free(bs);
  free(bh);
  return same;
}
