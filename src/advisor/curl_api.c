#include "advisor/curl_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dfl_curl_api api;
static const dfl_curl_api *loaded;
static char why_buf[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* dlsym returns void *; ISO C has no conversion to a function pointer, so
 * the address is copied into the slot (POSIX guarantees the
 * representation is the same). */
static int bind_symbol(void *lib, const char *name, void *slot, size_t size)
{
  void *sym = dlsym(lib, name);
  if (!sym) {
    snprintf(why_buf, sizeof why_buf, "libcurl lacks %s", name);
    return -1;
  }
  memcpy(slot, &sym, size);
  return 0;
}

#define BIND(field, name) bind_symbol(lib, name, &api.field, sizeof api.field)

static void load(void)
{
  const char *want = getenv("DFLINT_LIBCURL");
  const char *const names[] = {want && *want ? want : "libcurl.so.4",
                               want && *want ? NULL : "libcurl-gnutls.so.4"};
  void *lib = NULL;
  for (size_t i = 0; i < 2 && !lib && names[i]; i++) {
    lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib && i == 0) {
      const char *e = dlerror();
      snprintf(why_buf, sizeof why_buf,
               "the registry client needs libcurl: %s (install libcurl4)",
               e ? e : names[i]);
    }
  }
  if (!lib)
    return;
  if (BIND(global_init, "curl_global_init") ||
      BIND(easy_init, "curl_easy_init") ||
      BIND(easy_cleanup, "curl_easy_cleanup") ||
      BIND(easy_reset, "curl_easy_reset") ||
      BIND(easy_setopt, "curl_easy_setopt") ||
      BIND(easy_getinfo, "curl_easy_getinfo") ||
      BIND(easy_strerror, "curl_easy_strerror") ||
      BIND(slist_append, "curl_slist_append") ||
      BIND(slist_free_all, "curl_slist_free_all") ||
      BIND(getdate, "curl_getdate") ||
      BIND(multi_init, "curl_multi_init") ||
      BIND(multi_setopt, "curl_multi_setopt") ||
      BIND(multi_add_handle, "curl_multi_add_handle") ||
      BIND(multi_remove_handle, "curl_multi_remove_handle") ||
      BIND(multi_perform, "curl_multi_perform") ||
      BIND(multi_poll, "curl_multi_poll") ||
      BIND(multi_info_read, "curl_multi_info_read") ||
      BIND(multi_cleanup, "curl_multi_cleanup"))
    return; /* the library stays loaded: harmless, and rare */
  if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    snprintf(why_buf, sizeof why_buf, "libcurl could not be initialised");
    return;
  }
  loaded = &api;
}

const dfl_curl_api *dfl_curl_api_get(const char **why)
{
  pthread_once(&once, load);
  if (!loaded && why)
    *why = why_buf;
  return loaded;
}
