/* The registry answer cache: one JSON file per (normalized reference,
 * platform), named by the sha256 of that key, under $XDG_CACHE_HOME/dflint
 * (default ~/.cache/dflint). Entries for a tag live cache_ttl seconds;
 * entries for a digest reference never expire (the content cannot change).
 *
 * Several dflint processes may share the directory (parallel CI jobs, an
 * editor and a terminal), and one may be killed at any point. So an entry is
 * written to a temporary file in the same directory, fsync'ed, and renamed
 * over the old one: rename is atomic, a reader sees the old file or the new
 * one. Anything unusable (a partial file from another tool, a corrupt one, a
 * file for another key after a hash collision, another format version) is
 * ignored as a miss and replaced by the next write. Temporary files a killed
 * writer left behind are removed after an hour.
 *
 * Nothing secret goes here: only what the registry says about the image. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "advisor/registry_internal.h"
#include "dflint/arena.h"
#include "dflint/buf.h"

#define CACHE_FORMAT 1
#define MAX_ENTRY_BYTES (4u << 20)

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

char *dfl_cache_dir(const dfl_registry_opts *o)
{
  dfl_buf b;
  dfl_buf_init(&b);
  const char *x = getenv("XDG_CACHE_HOME");
  const char *home = getenv("HOME");
  if (o && o->cache_dir && *o->cache_dir)
    dfl_buf_puts(&b, o->cache_dir);
  else if (x && *x == '/') /* the XDG spec: relative paths are invalid */
    dfl_buf_printf(&b, "%s/dflint", x);
  else if (home && *home)
    dfl_buf_printf(&b, "%s/.cache/dflint", home);
  else
    return NULL;
  return dfl_buf_take(&b);
}

char *dfl_cache_path(const char *dir, const char *key)
{
  char d[72];
  dfl_sha256_digest(key, strlen(key), d);
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s/%s.json", dir, d + 7);
  return dfl_buf_take(&b);
}

/* ---- dfl_image_info <-> JSON ----------------------------------------------- */

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *list_or_null(char **l, size_t n)
{
  if (!l)
    return json_null();
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_string(l[i]));
  return a;
}

static void rfc3339(int64_t t, char out[32])
{
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int64_t parse_rfc3339(const char *s)
{
  struct tm tm;
  memset(&tm, 0, sizeof tm);
  int n = 0;
  if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || s[n] != '\0')
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return (int64_t)timegm(&tm);
}

json_t *dfl_image_info_to_json(const dfl_image_info *in)
{
  json_t *o = json_object();
  json_object_set_new(o, "ref", str_or_null(in->ref));
  json_object_set_new(o, "platform", str_or_null(in->platform));
  json_object_set_new(o, "digest", str_or_null(in->digest));
  json_object_set_new(o, "media_type", str_or_null(in->media_type));
  json_object_set_new(o, "manifest_digest", str_or_null(in->manifest_digest));
  json_object_set_new(o, "manifest_media_type", str_or_null(in->manifest_media_type));
  json_object_set_new(o, "config_digest", str_or_null(in->config_digest));
  bool ok = in->digest != NULL;
  json_object_set_new(o, "compressed_bytes",
                      ok ? json_integer((json_int_t)in->compressed_bytes) : json_null());
  json_object_set_new(o, "layers_bytes", ok ? json_integer((json_int_t)in->layers_bytes) : json_null());
  json_object_set_new(o, "config_bytes", ok ? json_integer((json_int_t)in->config_bytes) : json_null());
  json_object_set_new(o, "layers", ok ? json_integer((json_int_t)in->layers) : json_null());
  json_object_set_new(o, "created", str_or_null(in->created));
  json_object_set_new(o, "os", str_or_null(in->os));
  json_object_set_new(o, "architecture", str_or_null(in->architecture));
  json_object_set_new(o, "variant", str_or_null(in->variant));
  json_object_set_new(o, "user", str_or_null(in->user));
  json_object_set_new(o, "workdir", str_or_null(in->workdir));
  json_object_set_new(o, "env", ok ? list_or_null(in->env ? in->env : (char *[]){NULL}, in->n_env)
                                   : json_null());
  json_object_set_new(o, "entrypoint", list_or_null(in->entrypoint, in->n_entrypoint));
  json_object_set_new(o, "cmd", list_or_null(in->cmd, in->n_cmd));
  if (ok) {
    json_t *l = json_object();
    for (size_t i = 0; i < in->n_labels; i++)
      json_object_set_new(l, in->labels[i].key, json_string(in->labels[i].value));
    json_object_set_new(o, "labels", l);
  } else {
    json_object_set_new(o, "labels", json_null());
  }
  json_object_set_new(o, "source", str_or_null(in->source));
  json_object_set_new(o, "registry", str_or_null(in->registry));
  if (in->fetched_at > 0) {
    char t[32];
    rfc3339(in->fetched_at, t);
    json_object_set_new(o, "fetched_at", json_string(t));
  } else {
    json_object_set_new(o, "fetched_at", json_null());
  }
  json_object_set_new(o, "stale", json_boolean(in->stale));
  json_object_set_new(o, "warning", str_or_null(in->warning));
  json_object_set_new(o, "error", str_or_null(in->error));
  return o;
}

static char *get_str(const json_t *o, const char *k)
{
  const json_t *v = json_object_get(o, k);
  return json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
}

static int get_list(const json_t *o, const char *k, char ***out, size_t *n)
{
  const json_t *a = json_object_get(o, k);
  *out = NULL;
  *n = 0;
  if (!a || json_is_null(a))
    return 0;
  if (!json_is_array(a))
    return -1;
  *out = dfl_xcalloc(json_array_size(a) + 1, sizeof **out);
  size_t i;
  const json_t *v;
  json_array_foreach(a, i, v)
  {
    if (!json_is_string(v))
      return -1;
    (*out)[(*n)++] = xstrdup(json_string_value(v));
  }
  return 0;
}

static int get_int(const json_t *o, const char *k, int64_t *out)
{
  const json_t *v = json_object_get(o, k);
  if (!json_is_integer(v) || json_integer_value(v) < 0)
    return -1;
  *out = (int64_t)json_integer_value(v);
  return 0;
}

int dfl_image_info_from_json(const json_t *j, dfl_image_info *in)
{
  memset(in, 0, sizeof *in);
  if (!json_is_object(j))
    return -1;
  in->ref = get_str(j, "ref");
  in->platform = get_str(j, "platform");
  in->digest = get_str(j, "digest");
  in->media_type = get_str(j, "media_type");
  in->manifest_digest = get_str(j, "manifest_digest");
  in->manifest_media_type = get_str(j, "manifest_media_type");
  in->config_digest = get_str(j, "config_digest");
  in->created = get_str(j, "created");
  in->os = get_str(j, "os");
  in->architecture = get_str(j, "architecture");
  in->variant = get_str(j, "variant");
  in->user = get_str(j, "user");
  in->workdir = get_str(j, "workdir");
  in->registry = get_str(j, "registry");
  in->warning = get_str(j, "warning");
  int64_t layers = 0;
  int bad = 0;
  bad |= !in->ref || !in->platform || !dfl_digest_valid(in->digest) ||
         !dfl_digest_valid(in->manifest_digest) || !dfl_digest_valid(in->config_digest);
  bad |= get_int(j, "compressed_bytes", &in->compressed_bytes);
  bad |= get_int(j, "layers_bytes", &in->layers_bytes);
  bad |= get_int(j, "config_bytes", &in->config_bytes);
  bad |= get_int(j, "layers", &layers);
  in->layers = (size_t)layers;
  bad |= in->compressed_bytes != in->layers_bytes + in->config_bytes;
  bad |= get_list(j, "env", &in->env, &in->n_env);
  bad |= get_list(j, "entrypoint", &in->entrypoint, &in->n_entrypoint);
  bad |= get_list(j, "cmd", &in->cmd, &in->n_cmd);
  const json_t *l = json_object_get(j, "labels");
  if (json_is_object(l)) {
    in->labels = dfl_xcalloc(json_object_size(l) + 1, sizeof *in->labels);
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)l, k, v)
    {
      if (!json_is_string(v)) {
        bad = 1;
        break;
      }
      in->labels[in->n_labels].key = xstrdup(k);
      in->labels[in->n_labels++].value = xstrdup(json_string_value(v));
    }
  } else if (l && !json_is_null(l)) {
    bad = 1;
  }
  in->fetched_at = parse_rfc3339(json_string_value(json_object_get(j, "fetched_at")));
  if (in->fetched_at < 0)
    bad = 1;
  if (bad) {
    dfl_image_info_free(in);
    return -1;
  }
  return 0;
}

/* ---- reading and writing ------------------------------------------------------- */

static char *read_small(const char *path, size_t *len)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return NULL;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (off_t)MAX_ENTRY_BYTES) {
    close(fd);
    return NULL;
  }
  dfl_buf b;
  dfl_buf_init(&b);
  char buf[8192];
  ssize_t r;
  while ((r = read(fd, buf, sizeof buf)) > 0 && b.len <= MAX_ENTRY_BYTES)
    dfl_buf_append(&b, buf, (size_t)r);
  close(fd);
  if (r < 0 || b.len > MAX_ENTRY_BYTES) {
    dfl_buf_free(&b);
    return NULL;
  }
  *len = b.len;
  char *s = dfl_buf_take(&b);
  return s ? s : xstrdup("");
}

int dfl_cache_get(const char *dir, const char *key, long ttl, bool immutable, int64_t now,
                  dfl_image_info *info)
{
  memset(info, 0, sizeof *info);
  char *path = dfl_cache_path(dir, key);
  size_t len = 0;
  char *text = read_small(path, &len);
  free(path);
  if (!text)
    return 0;
  json_t *j = json_loadb(text, len, 0, NULL);
  free(text);
  const json_t *fmt = json_object_get(j, "dflint_cache");
  const json_t *k = json_object_get(j, "key");
  const json_t *at = json_object_get(j, "stored_at");
  int rc = 0;
  if (json_is_integer(fmt) && json_integer_value(fmt) == CACHE_FORMAT && json_is_string(k) &&
      strcmp(json_string_value(k), key) == 0 && json_is_integer(at) &&
      dfl_image_info_from_json(json_object_get(j, "info"), info) == 0) {
    int64_t stored = (int64_t)json_integer_value(at);
    bool fresh = immutable || (stored <= now + 300 && now - stored <= ttl);
    info->source = "cache";
    rc = fresh ? 1 : 2;
  }
  json_decref(j);
  return rc;
}

static int mkdir_p(const char *dir)
{
  char *d = xstrdup(dir);
  for (char *p = d + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = '\0';
    if (mkdir(d, 0700) != 0 && errno != EEXIST) {
      free(d);
      return -1;
    }
    *p = '/';
  }
  int rc = mkdir(d, 0700) != 0 && errno != EEXIST ? -1 : 0;
  free(d);
  return rc;
}

/* Temporary files of writers that were killed: gone after an hour. */
static void sweep(const char *dir, time_t now)
{
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (strncmp(e->d_name, ".tmp-", 5) != 0)
      continue;
    dfl_buf p;
    dfl_buf_init(&p);
    dfl_buf_printf(&p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(dfl_buf_cstr(&p), &st) == 0 && S_ISREG(st.st_mode) && now - st.st_mtime > 3600)
      unlink(dfl_buf_cstr(&p));
    dfl_buf_free(&p);
  }
  closedir(d);
}

static int write_all(int fd, const char *s, size_t n)
{
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return -1;
    s += w;
    n -= (size_t)w;
  }
  return 0;
}

int dfl_cache_put(const char *dir, const char *key, const dfl_image_info *info)
{
  if (!dir || !info || info->error || !info->digest)
    return -1;
  if (mkdir_p(dir) != 0)
    return -1;
  sweep(dir, time(NULL));
  json_t *j = json_object();
  json_object_set_new(j, "dflint_cache", json_integer(CACHE_FORMAT));
  json_object_set_new(j, "key", json_string(key));
  json_object_set_new(j, "stored_at", json_integer((json_int_t)time(NULL)));
  json_t *in = dfl_image_info_to_json(info);
  /* what the registry said, not how this run got it */
  json_object_set_new(in, "source", json_string("registry"));
  json_object_set_new(in, "stale", json_false());
  json_object_set_new(in, "error", json_null());
  json_object_set_new(j, "info", in);
  char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(j);
  if (!text)
    return -1;
  char *path = dfl_cache_path(dir, key);
  dfl_buf tmp;
  dfl_buf_init(&tmp);
  dfl_buf_printf(&tmp, "%s/.tmp-XXXXXX", dir);
  char *tpath = dfl_buf_take(&tmp);
  int rc = -1;
  int fd = mkstemp(tpath);
  if (fd >= 0) {
    if (write_all(fd, text, strlen(text)) == 0 && write_all(fd, "\n", 1) == 0 &&
        fsync(fd) == 0 && close(fd) == 0) {
      fd = -1;
      if (rename(tpath, path) == 0) {
        rc = 0;
        /* make the rename itself durable */
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
          fsync(dfd);
          close(dfd);
        }
      }
    }
    if (fd >= 0)
      close(fd);
    if (rc != 0)
      unlink(tpath);
  }
  free(tpath);
  free(path);
  free(text);
  return rc;
}
