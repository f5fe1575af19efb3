/* Credentials for registries, read the way the Docker CLI reads them, and
 * only read: dflint never stores, prints or logs them, wipes them from
 * memory when done, and sends them only to the host they are stored for
 * (registry.c enforces the last part).
 *
 * Look-up order for a host (Docker's): credHelpers[host], else credsStore
 * (the auths entries are then placeholders), else auths[host] with
 * "auth" = base64(user:password) or "username"/"password", "identitytoken"
 * (an OAuth2 refresh token) or "registrytoken" (a bearer used as is). A
 * helper is `docker-credential-<name> get`: the server URL on stdin, JSON
 * {"ServerURL","Username","Secret"} on stdout; Username "<token>" means
 * Secret is an identity token; "credentials not found" means none. Helpers
 * run with a time limit and their output is never shown. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "advisor/registry_internal.h"
#include "dflint/arena.h"
#include "dflint/buf.h"

extern char **environ;

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

static void set_err(char **err, const char *msg)
{
  if (!err)
    return;
  free(*err);
  *err = xstrdup(msg);
}

void dfl_secret_free(char *s)
{
  if (!s)
    return;
  explicit_bzero(s, strlen(s));
  free(s);
}

void dfl_credential_free(dfl_credential *c)
{
  dfl_secret_free(c->username);
  dfl_secret_free(c->secret);
  dfl_secret_free(c->registry_token);
  memset(c, 0, sizeof *c);
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *dfl_auth_basic(const char *user, const char *secret)
{
  size_t ul = strlen(user), sl = strlen(secret), n = ul + 1 + sl;
  unsigned char *raw = dfl_xmalloc(n + 1);
  memcpy(raw, user, ul);
  raw[ul] = ':';
  memcpy(raw + ul + 1, secret, sl);
  char *out = dfl_xmalloc(6 + 4 * ((n + 2) / 3) + 1);
  char *o = out + 6;
  memcpy(out, "Basic ", 6);
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)raw[i] << 16 | (i + 1 < n ? (unsigned)raw[i + 1] << 8 : 0) |
                 (i + 2 < n ? raw[i + 2] : 0);
    *o++ = B64[v >> 18 & 63];
    *o++ = B64[v >> 12 & 63];
    *o++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
    *o++ = i + 2 < n ? B64[v & 63] : '=';
  }
  *o = '\0';
  explicit_bzero(raw, n);
  free(raw);
  return out;
}

/* base64 (standard alphabet, padding optional, blanks ignored); NULL on bad
 * input. *out_len excludes the NUL added. */
static char *b64_decode(const char *s, size_t *out_len)
{
  size_t n = strlen(s);
  char *out = dfl_xmalloc(n / 4 * 3 + 4);
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '=' || c == '\n' || c == '\r' || c == ' ')
      continue;
    const char *p = strchr(B64, c);
    if (!p || !c) {
      explicit_bzero(out, o);
      free(out);
      return NULL;
    }
    acc = acc << 6 | (unsigned)(p - B64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (char)(acc >> bits & 0xff);
    }
  }
  out[o] = '\0';
  *out_len = o;
  explicit_bzero(&acc, sizeof acc);
  return out;
}

char *dfl_auth_default_config_path(void)
{
  dfl_buf b;
  dfl_buf_init(&b);
  const char *d = getenv("DOCKER_CONFIG");
  const char *home = getenv("HOME");
  if (d && *d)
    dfl_buf_printf(&b, "%s/config.json", d);
  else if (home && *home)
    dfl_buf_printf(&b, "%s/.docker/config.json", home);
  else
    return NULL;
  return dfl_buf_take(&b);
}

/* A config.json key or a host, reduced to "host[:port]" lower case:
 * "https://index.docker.io/v1/" -> "index.docker.io". */
static char *normalize_key(const char *k)
{
  const char *s = strstr(k, "://");
  if (s)
    k = s + 3;
  size_t n = strcspn(k, "/");
  char *r = dfl_xstrndup(k, n);
  for (char *p = r; *p; p++)
    if (*p >= 'A' && *p <= 'Z')
      *p = (char)(*p + 32);
  return r;
}

static bool is_docker_hub(const char *host)
{
  return strcmp(host, "docker.io") == 0 || strcmp(host, "index.docker.io") == 0 ||
         strcmp(host, "registry-1.docker.io") == 0;
}

static bool key_matches(const char *key, const char *host)
{
  char *k = normalize_key(key);
  char *h = normalize_key(host);
  bool m = strcmp(k, h) == 0 || (is_docker_hub(k) && is_docker_hub(h));
  free(k);
  free(h);
  return m;
}

/* What Docker passes to a helper: Docker Hub's legacy URL, else the host. */
static char *server_url(const char *host)
{
  char *h = normalize_key(host);
  if (is_docker_hub(h)) {
    free(h);
    return xstrdup("https://index.docker.io/v1/");
  }
  return h;
}

static bool helper_name_ok(const char *s)
{
  if (!s || !*s || strlen(s) > 64)
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '-' || *s == '_' || *s == '.'))
      return false;
  return true;
}

static int64_t mono_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int dfl_auth_run_helper(const char *helper, const char *server, long timeout_s,
                        dfl_credential *out, char **err)
{
  memset(out, 0, sizeof *out);
  if (!helper_name_ok(helper)) {
    set_err(err, "credential helper name is not a plain name");
    return -1;
  }
  char prog[96];
  snprintf(prog, sizeof prog, "docker-credential-%s", helper);
  int in[2], outp[2];
  if (pipe(in) != 0)
    return set_err(err, "pipe failed"), -1;
  if (pipe(outp) != 0) {
    close(in[0]);
    close(in[1]);
    return set_err(err, "pipe failed"), -1;
  }
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addclose(&fa, in[1]);
  posix_spawn_file_actions_addclose(&fa, outp[0]);
  /* its own process group, so that a helper that hangs is stopped with
   * whatever it started */
  posix_spawnattr_t at;
  posix_spawnattr_init(&at);
  posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&at, 0);
  char *argv[] = {prog, "get", NULL};
  pid_t pid;
  int rc = posix_spawnp(&pid, prog, &fa, &at, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&at);
  close(in[0]);
  close(outp[1]);
  if (rc != 0) {
    close(in[1]);
    close(outp[0]);
    dfl_buf b;
    dfl_buf_init(&b);
    dfl_buf_printf(&b, "credential helper %s could not be run: %s", prog, strerror(rc));
    set_err(err, dfl_buf_cstr(&b));
    dfl_buf_free(&b);
    return -1;
  }
  /* The server URL is short: it fits in the pipe. A helper that exits
   * without reading it gives EPIPE, which is ignored (SIGPIPE is too). */
  void (*old)(int) = signal(SIGPIPE, SIG_IGN);
  ssize_t w = write(in[1], server, strlen(server));
  (void)w;
  signal(SIGPIPE, old);
  close(in[1]);

  dfl_buf o;
  dfl_buf_init(&o);
  int64_t deadline = mono_ms() + (timeout_s > 0 ? timeout_s : 10) * 1000;
  bool timed_out = false;
  for (;;) {
    int64_t left = deadline - mono_ms();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    struct pollfd pfd = {outp[0], POLLIN, 0};
    int pr = poll(&pfd, 1, (int)left);
    if (pr < 0 && errno == EINTR)
      continue;
    if (pr <= 0) {
      timed_out = pr == 0;
      break;
    }
    char buf[4096];
    ssize_t r = read(outp[0], buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    if (o.len < 65536)
      dfl_buf_append(&o, buf, (size_t)r);
    explicit_bzero(buf, sizeof buf);
  }
  close(outp[0]);
  if (timed_out)
    kill(-pid, SIGKILL); /* the group of our own child, by its id */
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  int result = -1;
  if (timed_out) {
    set_err(err, "credential helper timed out");
  } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    /* "credentials not found in native keychain": simply none */
    if (o.len && strstr(dfl_buf_cstr(&o), "not found"))
      result = 0;
    else
      set_err(err, "credential helper failed");
    if (result == 0)
      set_err(err, NULL);
  } else {
    json_t *j = json_loadb(o.data ? o.data : "", o.len, 0, NULL);
    const json_t *u = json_object_get(j, "Username"), *s = json_object_get(j, "Secret");
    if (json_is_string(s) && *json_string_value(s)) {
      const char *user = json_is_string(u) ? json_string_value(u) : "";
      out->identity = strcmp(user, "<token>") == 0;
      out->username = xstrdup(user);
      out->secret = xstrdup(json_string_value(s));
      result = 1;
    } else {
      set_err(err, "credential helper answered without a secret");
    }
    /* wipe the parsed copy too */
    if (json_is_string(s))
      explicit_bzero((char *)json_string_value(s), json_string_length(s));
    json_decref(j);
  }
  if (o.data)
    explicit_bzero(o.data, o.cap);
  dfl_buf_free(&o);
  return result;
}

/* Credentials from an auths entry. 1 found, 0 none (an empty placeholder). */
static int from_entry(const json_t *e, dfl_credential *out)
{
  const char *auth = json_string_value(json_object_get(e, "auth"));
  const char *user = json_string_value(json_object_get(e, "username"));
  const char *pass = json_string_value(json_object_get(e, "password"));
  const char *idt = json_string_value(json_object_get(e, "identitytoken"));
  const char *rt = json_string_value(json_object_get(e, "registrytoken"));
  if (auth && *auth) {
    size_t n = 0;
    char *raw = b64_decode(auth, &n);
    char *colon = raw ? memchr(raw, ':', n) : NULL;
    if (colon) {
      out->username = dfl_xstrndup(raw, (size_t)(colon - raw));
      out->secret = dfl_xstrndup(colon + 1, n - (size_t)(colon - raw) - 1);
    }
    if (raw) {
      explicit_bzero(raw, n);
      free(raw);
    }
  } else if (user && *user && pass) {
    out->username = xstrdup(user);
    out->secret = xstrdup(pass);
  }
  if (idt && *idt) {
    /* an identity token replaces the password */
    dfl_secret_free(out->secret);
    out->secret = xstrdup(idt);
    out->identity = true;
    if (!out->username)
      out->username = xstrdup("<token>");
  }
  if (rt && *rt)
    out->registry_token = xstrdup(rt);
  return out->secret || out->registry_token ? 1 : 0;
}

int dfl_auth_lookup_json(const char *text, size_t len, const char *host, long helper_timeout_s,
                         dfl_credential *out, char **err)
{
  memset(out, 0, sizeof *out);
  json_error_t je;
  json_t *j = json_loadb(text, len, 0, &je);
  if (!json_is_object(j)) {
    json_decref(j);
    set_err(err, "the Docker config file is not a JSON object");
    return -1;
  }
  int rc = 0;
  const char *helper = NULL;
  const json_t *helpers = json_object_get(j, "credHelpers");
  if (json_is_object(helpers)) {
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)helpers, k, v)
    if (json_is_string(v) && key_matches(k, host)) {
      helper = json_string_value(v);
      break;
    }
  }
  if (!helper)
    helper = json_string_value(json_object_get(j, "credsStore"));
  if (helper && *helper) {
    char *url = server_url(host);
    char *herr = NULL;
    rc = dfl_auth_run_helper(helper, url, helper_timeout_s, out, &herr);
    free(url);
    if (rc != 0 && herr)
      set_err(err, herr);
    free(herr);
    if (rc == 1) {
      json_decref(j);
      return 1;
    }
    /* the helper knows nothing: auths may still hold something */
  }
  const json_t *auths = json_object_get(j, "auths");
  if (json_is_object(auths)) {
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)auths, k, v)
    {
      if (!json_is_object(v) || !key_matches(k, host))
        continue;
      dfl_credential c;
      memset(&c, 0, sizeof c);
      if (from_entry(v, &c) == 1) {
        *out = c;
        rc = 1;
        break;
      }
      dfl_credential_free(&c);
    }
  }
  /* wipe the secrets the JSON parser holds */
  if (json_is_object(auths)) {
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)auths, k, v)
    {
      const char *fields[] = {"auth", "password", "identitytoken", "registrytoken"};
      for (size_t i = 0; i < 4; i++) {
        json_t *f = json_object_get(v, fields[i]);
        if (json_is_string(f))
          explicit_bzero((char *)json_string_value(f), json_string_length(f));
      }
    }
  }
  json_decref(j);
  return rc == 1 ? 1 : 0;
}

int dfl_auth_lookup(const char *config_path, const char *host, long helper_timeout_s,
                    dfl_credential *out, char **err)
{
  memset(out, 0, sizeof *out);
  char *path = config_path ? xstrdup(config_path) : dfl_auth_default_config_path();
  if (!path)
    return 0;
  FILE *f = fopen(path, "rb");
  if (!f) {
    int e = errno;
    free(path);
    if (e == ENOENT || !config_path)
      return 0; /* no Docker config: anonymous */
    set_err(err, "cannot read the Docker config file");
    return -1;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  char buf[4096];
  size_t r;
  while ((r = fread(buf, 1, sizeof buf, f)) > 0 && b.len < (1u << 20))
    dfl_buf_append(&b, buf, r);
  explicit_bzero(buf, sizeof buf);
  fclose(f);
  free(path);
  int rc = dfl_auth_lookup_json(b.data ? b.data : "", b.len, host, helper_timeout_s, out, err);
  if (b.data)
    explicit_bzero(b.data, b.cap);
  dfl_buf_free(&b);
  return rc;
}
