/* The HTTP transport the registry client talks through: submit requests,
 * then run until every one has been answered. Callbacks may submit more
 * requests (the next step of a fetch), so all images of a run progress
 * concurrently. transport_curl.c implements it on libcurl's multi interface
 * (the only file that includes curl); the unit tests answer from memory.
 *
 * A transport owns the policy of a single exchange: timeouts, the body size
 * cap, redirects (at most 5, no downgrade from https, Authorization never
 * sent to another origin), proxies, and retrying 429 and 5xx answers within
 * the request's time budget. Whatever happens, the callback is called exactly
 * once per submitted request. */
#ifndef DFLINT_ADVISOR_TRANSPORT_H
#define DFLINT_ADVISOR_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

typedef struct dfl_http_request {
  const char *method; /* "GET", "HEAD", "POST" */
  const char *url;
  const char *const *headers; /* "Name: value", NULL-terminated; may be NULL */
  const char *body;           /* POST body; may be NULL */
  size_t body_len;
  long timeout_ms; /* the whole exchange, retries included; 0: default */
} dfl_http_request;

/* Why no HTTP answer came (status 0), or why it was not usable. */
typedef enum dfl_http_fail {
  DFL_HTTP_OK = 0,
  DFL_HTTP_FAIL_CONNECT,  /* resolve or connect failed, refused */
  DFL_HTTP_FAIL_TLS,      /* handshake or certificate verification */
  DFL_HTTP_FAIL_TIMEOUT,
  DFL_HTTP_FAIL_TOO_LARGE,
  DFL_HTTP_FAIL_REDIRECT, /* refused or too many redirects */
  DFL_HTTP_FAIL_OTHER     /* cut-off transfer, protocol error ... */
} dfl_http_fail;

typedef struct dfl_http_response {
  long status;           /* 0 when no HTTP answer (see fail, error) */
  char **headers;        /* of the final answer, "Name: value" as received */
  size_t n_headers;
  char *body;            /* NUL-terminated; body_len excludes the NUL */
  size_t body_len;
  char *url;             /* the URL that answered, after redirects */
  dfl_http_fail fail;
  char *error;           /* set when fail != DFL_HTTP_OK */
  int attempts;          /* 1 + retries made */
} dfl_http_response;

/* The response is only valid during the call; steal fields by setting them
 * to NULL. */
typedef void (*dfl_http_callback)(void *ud, dfl_http_response *resp);

typedef struct dfl_transport dfl_transport;
typedef struct dfl_transport_ops {
  /* Copies what it needs from req. */
  void (*submit)(dfl_transport *t, const dfl_http_request *req,
                 dfl_http_callback cb, void *ud);
  /* Runs until no request is pending. */
  void (*run)(dfl_transport *t);
  void (*destroy)(dfl_transport *t);
} dfl_transport_ops;

struct dfl_transport {
  const dfl_transport_ops *ops;
};

typedef struct dfl_transport_curl_opts {
  long connect_timeout_ms; /* 0: 5000 */
  long timeout_ms;         /* default per request; 0: 30000 */
  size_t max_body;         /* 0: 4 MiB */
  int retries;             /* 0: 3; negative: none */
  const char *ca_cert;     /* extra CA file, or NULL */
  const char *const *insecure_hosts; /* plain http allowed, besides loopback */
  size_t n_insecure_hosts;
} dfl_transport_curl_opts;

/* NULL when libcurl cannot be loaded or initialized:
 * dfl_transport_curl_error() then says why. */
dfl_transport *dfl_transport_curl_new(const dfl_transport_curl_opts *o);
/* Why libcurl is not available (a static string), or NULL when it is. */
const char *dfl_transport_curl_error(void);

/* submit + run: for one request outside a fetch. Fills *out (free with
 * dfl_http_response_free). */
void dfl_http_request_sync(dfl_transport *t, const dfl_http_request *req,
                           dfl_http_response *out);

/* The value of the first header named name (case-insensitive; over HTTP/2
 * names arrive in lower case), or NULL. Leading blanks are skipped and the
 * value ends at the end of the line. */
const char *dfl_http_header(const dfl_http_response *r, const char *name);

void dfl_http_response_free(dfl_http_response *r);
/* Deep copy of the response (for a transport that answers many waiters). */
void dfl_http_response_copy(dfl_http_response *dst, const dfl_http_response *src);

/* URL helpers shared by the transport and the client. */
/* Splits "scheme://host[:port]/..." into a malloc'd lower-case scheme and
 * "host[:port]" (IPv6 in brackets kept). Returns 0, or -1 if not a URL. */
int dfl_url_split(const char *url, char **scheme, char **hostport);
/* True for localhost, 127.0.0.0/8 and [::1], with or without a port. */
bool dfl_host_is_loopback(const char *hostport);
/* True when hostport may be reached over plain http: a loopback host, or
 * one of insecure[] (compared as "host" or "host:port"). */
bool dfl_host_plain_http_allowed(const char *hostport,
                                 const char *const *insecure, size_t n);
/* Whether a redirect from `from` to `to` (absolute URLs) may be followed:
 * https targets always; plain http only from plain http and to a host that
 * allows it. Sets *why (static string) when not. */
bool dfl_redirect_allowed(const char *from, const char *to,
                          const char *const *insecure, size_t n,
                          const char **why);
/* True when a and b have the same scheme, host and port. */
bool dfl_same_origin(const char *a, const char *b);

#endif
