/* libcurl, loaded when a registry is first asked (dlopen), not when dflint
 * starts. libcurl brings some thirty shared libraries with it (TLS, HTTP/2,
 * Kerberos, LDAP ...): linked in, they cost every run about 7 ms of dynamic
 * loading, which a lint of one file in an editor or a pre-commit hook pays
 * for nothing. Only src/advisor/transport_curl.c calls through this table.
 *
 * The library is looked for as $DFLINT_LIBCURL when set (a path or a
 * soname; tests point it at nothing to see the fallback), else
 * libcurl.so.4, then libcurl-gnutls.so.4 (Debian's two builds). */
#ifndef DFLINT_ADVISOR_CURL_API_H
#define DFLINT_ADVISOR_CURL_API_H

#include <curl/curl.h>
#include <time.h>

typedef struct dfl_curl_api {
  CURLcode (*global_init)(long flags);
  CURL *(*easy_init)(void);
  void (*easy_cleanup)(CURL *curl);
  void (*easy_reset)(CURL *curl);
  CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
  const char *(*easy_strerror)(CURLcode code);
  struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
  void (*slist_free_all)(struct curl_slist *list);
  time_t (*getdate)(const char *date, const time_t *unused);
  CURLM *(*multi_init)(void);
  CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
  CURLMcode (*multi_add_handle)(CURLM *multi, CURL *curl);
  CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *curl);
  CURLMcode (*multi_perform)(CURLM *multi, int *running);
  CURLMcode (*multi_poll)(CURLM *multi, struct curl_waitfd extra_fds[],
                          unsigned int extra_nfds, int timeout_ms, int *ret);
  CURLMsg *(*multi_info_read)(CURLM *multi, int *msgs_in_queue);
  CURLMcode (*multi_cleanup)(CURLM *multi);
} dfl_curl_api;

/* The loaded library with curl_global_init done, once per process
 * (thread-safe), or NULL when it cannot be loaded or initialised: *why
 * then says so in one line ("libcurl.so.4: cannot open shared object
 * file ..."), a static string. */
const dfl_curl_api *dfl_curl_api_get(const char **why);

#endif
