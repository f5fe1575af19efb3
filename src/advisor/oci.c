/* The pure half of the registry protocol: no I/O here, so the unit tests
 * run it on recorded answers. SHA-256 (FIPS 180-4) for digests, RFC 7235
 * challenges, token answers, error bodies, the four manifest formats the
 * client accepts (Docker schema 2 manifest and manifest list, OCI manifest
 * and index), platform choice and the image config. */
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "advisor/registry_internal.h"
#include "dflint/arena.h"
#include "dflint/buf.h"

/* ---- SHA-256 --------------------------------------------------------------- */

static const uint32_t K256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
  0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_block(dfl_sha256 *c, const unsigned char *p)
{
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3], e = c->h[4],
           f = c->h[5], g = c->h[6], h = c->h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
                  K256[i] + w[i];
    uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = cc;
    cc = b;
    b = a;
    a = t1 + t2;
  }
  c->h[0] += a;
  c->h[1] += b;
  c->h[2] += cc;
  c->h[3] += d;
  c->h[4] += e;
  c->h[5] += f;
  c->h[6] += g;
  c->h[7] += h;
}

void dfl_sha256_init(dfl_sha256 *c)
{
  static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(c->h, iv, sizeof iv);
  c->len = 0;
  c->nbuf = 0;
}

void dfl_sha256_update(dfl_sha256 *c, const void *data, size_t len)
{
  const unsigned char *p = data;
  c->len += len;
  if (c->nbuf) {
    size_t take = 64 - c->nbuf < len ? 64 - c->nbuf : len;
    memcpy(c->buf + c->nbuf, p, take);
    c->nbuf += take;
    p += take;
    len -= take;
    if (c->nbuf < 64)
      return;
    sha256_block(c, c->buf);
    c->nbuf = 0;
  }
  for (; len >= 64; p += 64, len -= 64)
    sha256_block(c, p);
  memcpy(c->buf, p, len);
  c->nbuf = len;
}

void dfl_sha256_final(dfl_sha256 *c, unsigned char out[32])
{
  uint64_t bits = c->len * 8;
  unsigned char pad = 0x80;
  dfl_sha256_update(c, &pad, 1);
  unsigned char zero = 0;
  while (c->nbuf != 56)
    dfl_sha256_update(c, &zero, 1);
  unsigned char lenb[8];
  for (int i = 0; i < 8; i++)
    lenb[i] = (unsigned char)(bits >> (56 - 8 * i));
  dfl_sha256_update(c, lenb, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (unsigned char)(c->h[i] >> 24);
    out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
    out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
    out[4 * i + 3] = (unsigned char)c->h[i];
  }
}

void dfl_sha256_digest(const void *data, size_t len, char out[72])
{
  dfl_sha256 c;
  unsigned char md[32];
  dfl_sha256_init(&c);
  dfl_sha256_update(&c, data, len);
  dfl_sha256_final(&c, md);
  memcpy(out, "sha256:", 7);
  for (int i = 0; i < 32; i++)
    snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

bool dfl_digest_valid(const char *d)
{
  if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d) != 71)
    return false;
  for (const char *p = d + 7; *p; p++)
    if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
      return false;
  return true;
}

/* ---- small helpers ---------------------------------------------------------- */

static char *xstrdup(const char *s) { return s ? dfl_xstrndup(s, strlen(s)) : NULL; }

static void set_err(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(char **err, const char *fmt, ...)
{
  if (!err)
    return;
  dfl_buf b;
  dfl_buf_init(&b);
  va_list ap;
  va_start(ap, fmt);
  dfl_buf_vprintf(&b, fmt, ap);
  va_end(ap);
  free(*err);
  *err = dfl_buf_take(&b);
}

static const char *jstr(const json_t *o, const char *key)
{
  const json_t *v = json_object_get(o, key);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- WWW-Authenticate (RFC 7235 section 4.1, RFC 6750 section 3) ------------- */

static bool is_tchar(unsigned char c)
{
  return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

static const char *skip_ows(const char *p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

/* Skips blanks and commas (empty list elements are allowed). */
static const char *skip_sep(const char *p)
{
  while (*p == ' ' || *p == '\t' || *p == ',')
    p++;
  return p;
}

static char *lower_dup(const char *s, size_t n)
{
  char *r = dfl_xstrndup(s, n);
  for (char *q = r; *q; q++)
    *q = (char)tolower((unsigned char)*q);
  return r;
}

/* At p: token "=" value -> an auth-param follows (not a new scheme and not a
 * token68, whose "=" padding is followed by "=", a comma or the end). */
static bool param_ahead(const char *p)
{
  const char *q = p;
  while (is_tchar((unsigned char)*q))
    q++;
  if (q == p)
    return false;
  q = skip_ows(q);
  if (*q != '=')
    return false;
  q = skip_ows(q + 1);
  return *q == '"' || is_tchar((unsigned char)*q) || *q == '/' || *q == ':';
}

static bool is_token68_char(unsigned char c)
{
  return isalnum(c) || (c && strchr("-._~+/=", c));
}

size_t dfl_auth_parse_challenges(const char *value, dfl_auth_challenge **list, size_t *n)
{
  size_t added = 0;
  const char *p = value ? value : "";
  for (;;) {
    p = skip_sep(p);
    const char *s = p;
    while (is_tchar((unsigned char)*p))
      p++;
    /* the end, or something that is not a scheme: stop */
    if (p == s || (*p && *p != ' ' && *p != '\t' && *p != ','))
      break;
    dfl_auth_challenge c = {lower_dup(s, (size_t)(p - s)), NULL, 0};
    p = skip_ows(p);
    if (*p && *p != ',' && !param_ahead(p)) {
      /* "Basic dXNlcg==": a token68, which the client has no use for */
      const char *q = p;
      while (is_token68_char((unsigned char)*q))
        q++;
      const char *r = skip_ows(q);
      if (q > p && (*r == ',' || !*r))
        p = r;
    }
    for (;;) {
      const char *at = skip_sep(p);
      if (!param_ahead(at))
        break; /* the end, or the next challenge's scheme */
      p = at;
      const char *ns = p;
      while (is_tchar((unsigned char)*p))
        p++;
      char *name = lower_dup(ns, (size_t)(p - ns));
      p = skip_ows(skip_ows(p) + 1); /* past "=" */
      dfl_buf v;
      dfl_buf_init(&v);
      if (*p == '"') {
        for (p++; *p && *p != '"'; p++) {
          if (*p == '\\' && p[1])
            p++;
          dfl_buf_putc(&v, *p);
        }
        if (*p == '"')
          p++;
      } else {
        /* a token; be lenient with unquoted URLs */
        while (*p && *p != ',' && *p != ' ' && *p != '\t')
          dfl_buf_putc(&v, *p++);
      }
      char *val = dfl_buf_take(&v);
      c.params = dfl_xrealloc(c.params, (c.n_params + 1) * sizeof *c.params);
      c.params[c.n_params].name = name;
      c.params[c.n_params].value = val ? val : xstrdup("");
      c.n_params++;
      p = skip_ows(p);
      while (*p && *p != ',') /* junk after a value */
        p++;
    }
    *list = dfl_xrealloc(*list, (*n + 1) * sizeof **list);
    (*list)[(*n)++] = c;
    added++;
  }
  return added;
}

const char *dfl_auth_challenge_param(const dfl_auth_challenge *c, const char *name)
{
  for (size_t i = 0; i < c->n_params; i++)
    if (strcasecmp(c->params[i].name, name) == 0)
      return c->params[i].value;
  return NULL;
}

void dfl_auth_challenges_free(dfl_auth_challenge *list, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    free(list[i].scheme);
    for (size_t j = 0; j < list[i].n_params; j++) {
      free(list[i].params[j].name);
      free(list[i].params[j].value);
    }
    free(list[i].params);
  }
  free(list);
}

/* ---- token answers and error bodies ----------------------------------------- */

int dfl_auth_parse_token(const char *body, size_t len, char **token, long *expires_in,
                         char **err)
{
  *token = NULL;
  *expires_in = 60;
  json_error_t je;
  json_t *j = json_loadb(body ? body : "", len, 0, &je);
  if (!json_is_object(j)) {
    set_err(err, "the token endpoint's answer is not a JSON object");
    json_decref(j);
    return -1;
  }
  const char *t = jstr(j, "token");
  if (!t || !*t)
    t = jstr(j, "access_token");
  if (!t || !*t) {
    set_err(err, "the token endpoint's answer has no token");
    json_decref(j);
    return -1;
  }
  const json_t *e = json_object_get(j, "expires_in");
  /* The token spec: when omitted 60 s, and never less than 60 s. */
  if (json_is_integer(e) && json_integer_value(e) > 60)
    *expires_in = json_integer_value(e) > 86400 * 365 ? 86400 * 365
                                                       : (long)json_integer_value(e);
  *token = xstrdup(t);
  json_decref(j);
  return 0;
}

static void put_clean(dfl_buf *b, const char *s, size_t max)
{
  size_t n = 0;
  for (; *s && n < max; s++, n++)
    dfl_buf_putc(b, (*s == '\n' || *s == '\r' || *s == '\t') ? ' '
                    : ((unsigned char)*s < 0x20 ? '?' : *s));
}

char *dfl_registry_error_text(const char *body, size_t len)
{
  if (!body || !len)
    return NULL;
  dfl_buf b;
  dfl_buf_init(&b);
  json_t *j = json_loadb(body, len, 0, NULL);
  if (json_is_object(j)) {
    const json_t *errs = json_object_get(j, "errors");
    size_t i;
    const json_t *e;
    if (json_is_array(errs)) {
      json_array_foreach(errs, i, e)
      {
        const char *code = jstr(e, "code"), *msg = jstr(e, "message");
        if (!code && !msg)
          continue;
        if (b.len)
          dfl_buf_puts(&b, "; ");
        if (code)
          put_clean(&b, code, 64);
        if (code && msg)
          dfl_buf_puts(&b, ": ");
        if (msg)
          put_clean(&b, msg, 300);
      }
    }
    const char *d = jstr(j, "details");
    if (!d)
      d = jstr(j, "message");
    if (!d)
      d = jstr(j, "error");
    if (!b.len && d)
      put_clean(&b, d, 300);
    json_decref(j);
    return b.len ? dfl_buf_take(&b) : NULL;
  }
  json_decref(j);
  /* Text: the first non-empty line, if it looks like text and not HTML. */
  const char *p = body, *end = body + len;
  while (p < end && isspace((unsigned char)*p))
    p++;
  if (p >= end || *p == '<' || *p == '{' || *p == '[')
    return NULL;
  for (const char *q = p; q < end && *q != '\n'; q++) {
    if (!*q || ((unsigned char)*q < 0x20 && *q != '\r' && *q != '\t'))
      break;
    if (b.len < 200)
      dfl_buf_putc(&b, *q == '\r' || *q == '\t' ? ' ' : *q);
  }
  while (b.len && b.data[b.len - 1] == ' ')
    b.data[--b.len] = '\0';
  return b.len ? dfl_buf_take(&b) : NULL;
}

/* ---- manifests -------------------------------------------------------------- */

/* "application/json; charset=utf-8" -> "application/json" (malloc'd) */
static char *mime_base(const char *ct)
{
  if (!ct)
    return NULL;
  while (*ct == ' ')
    ct++;
  size_t n = strcspn(ct, "; \t");
  return n ? lower_dup(ct, n) : NULL;
}

static bool is_index_type(const char *mt)
{
  return mt && (strcmp(mt, DFL_MT_OCI_INDEX) == 0 || strcmp(mt, DFL_MT_DOCKER_LIST) == 0);
}

static bool is_image_type(const char *mt)
{
  return mt &&
         (strcmp(mt, DFL_MT_OCI_MANIFEST) == 0 || strcmp(mt, DFL_MT_DOCKER_MANIFEST) == 0);
}

static void descriptor_free(dfl_oci_descriptor *d)
{
  free(d->media_type);
  free(d->digest);
  free(d->os);
  free(d->architecture);
  free(d->variant);
  memset(d, 0, sizeof *d);
}

static int parse_descriptor(const json_t *o, dfl_oci_descriptor *d, const char *what,
                            size_t i, char **err)
{
  memset(d, 0, sizeof *d);
  if (!json_is_object(o)) {
    set_err(err, "%s %zu is not an object", what, i);
    return -1;
  }
  const char *digest = jstr(o, "digest");
  const json_t *size = json_object_get(o, "size");
  if (!digest) {
    set_err(err, "%s %zu has no digest", what, i);
    return -1;
  }
  if (!json_is_integer(size) || json_integer_value(size) < 0) {
    set_err(err, "%s %zu has no valid size", what, i);
    return -1;
  }
  d->digest = xstrdup(digest);
  d->size = (int64_t)json_integer_value(size);
  d->media_type = xstrdup(jstr(o, "mediaType") ? jstr(o, "mediaType") : "");
  const json_t *pl = json_object_get(o, "platform");
  const char *os = json_is_object(pl) ? jstr(pl, "os") : NULL;
  const char *arch = json_is_object(pl) ? jstr(pl, "architecture") : NULL;
  const char *var = json_is_object(pl) ? jstr(pl, "variant") : NULL;
  d->os = lower_dup(os ? os : "", strlen(os ? os : ""));
  d->architecture = lower_dup(arch ? arch : "", strlen(arch ? arch : ""));
  d->variant = lower_dup(var ? var : "", strlen(var ? var : ""));
  const json_t *ann = json_object_get(o, "annotations");
  const char *rt = json_is_object(ann) ? jstr(ann, "vnd.docker.reference.type") : NULL;
  d->attestation = (rt && strcmp(rt, "attestation-manifest") == 0) ||
                   (strcmp(d->os, "unknown") == 0 && strcmp(d->architecture, "unknown") == 0);
  return 0;
}

int dfl_oci_parse_manifest(const char *body, size_t len, const char *content_type,
                           dfl_oci_manifest *out, char **err)
{
  memset(out, 0, sizeof *out);
  json_error_t je;
  json_t *j = json_loadb(body ? body : "", len, 0, &je);
  if (!j) {
    set_err(err, "the manifest is not valid JSON (%s at byte %d)", je.text, je.position);
    return -1;
  }
  if (!json_is_object(j)) {
    set_err(err, "the manifest is not a JSON object");
    json_decref(j);
    return -1;
  }
  char *mt = mime_base(content_type);
  /* A generic Content-Type says nothing: look at the body. */
  if (mt && (strcmp(mt, "application/json") == 0 ||
             strcmp(mt, "application/octet-stream") == 0 || strcmp(mt, "text/plain") == 0)) {
    free(mt);
    mt = NULL;
  }
  if (!mt && jstr(j, "mediaType"))
    mt = xstrdup(jstr(j, "mediaType"));
  const json_t *sv = json_object_get(j, "schemaVersion");
  if ((mt && strncmp(mt, "application/vnd.docker.distribution.manifest.v1", 47) == 0) ||
      (json_is_integer(sv) && json_integer_value(sv) == 1)) {
    set_err(err, "schema 1 manifests are not supported (the registry ignored the Accept header)");
    free(mt);
    json_decref(j);
    return -1;
  }
  const json_t *mans = json_object_get(j, "manifests");
  const json_t *cfg = json_object_get(j, "config");
  const json_t *layers = json_object_get(j, "layers");
  if (!mt) {
    /* OCI lets both omit mediaType: the shape tells them apart. */
    if (json_is_array(mans))
      mt = xstrdup(DFL_MT_OCI_INDEX);
    else if (json_is_object(cfg) && json_is_array(layers))
      mt = xstrdup(DFL_MT_OCI_MANIFEST);
  }
  if (!is_index_type(mt) && !is_image_type(mt)) {
    set_err(err, "unsupported manifest type %s", mt ? mt : "(none)");
    free(mt);
    json_decref(j);
    return -1;
  }
  out->media_type = mt;
  int rc = 0;
  if (is_index_type(mt)) {
    out->kind = DFL_OCI_INDEX;
    if (!json_is_array(mans)) {
      set_err(err, "the index has no manifests list");
      rc = -1;
    } else {
      size_t n = json_array_size(mans);
      out->manifests = dfl_xcalloc(n ? n : 1, sizeof *out->manifests);
      for (size_t i = 0; i < n && rc == 0; i++) {
        rc = parse_descriptor(json_array_get(mans, i), &out->manifests[i], "index entry", i, err);
        out->n_manifests = i + (rc == 0);
      }
    }
  } else {
    out->kind = DFL_OCI_IMAGE;
    if (!json_is_object(cfg) || !json_is_array(layers)) {
      set_err(err, "the image manifest has no config or no layers list");
      rc = -1;
    } else if (parse_descriptor(cfg, &out->config, "config", 0, err) != 0) {
      rc = -1;
    } else {
      size_t n = json_array_size(layers);
      out->layers = dfl_xcalloc(n ? n : 1, sizeof *out->layers);
      for (size_t i = 0; i < n && rc == 0; i++) {
        rc = parse_descriptor(json_array_get(layers, i), &out->layers[i], "layer", i, err);
        out->n_layers = i + (rc == 0);
      }
    }
  }
  json_decref(j);
  if (rc != 0)
    dfl_oci_manifest_free(out);
  return rc;
}

void dfl_oci_manifest_free(dfl_oci_manifest *m)
{
  free(m->media_type);
  descriptor_free(&m->config);
  for (size_t i = 0; i < m->n_layers; i++)
    descriptor_free(&m->layers[i]);
  free(m->layers);
  for (size_t i = 0; i < m->n_manifests; i++)
    descriptor_free(&m->manifests[i]);
  free(m->manifests);
  memset(m, 0, sizeof *m);
}

/* ---- platforms -------------------------------------------------------------- */

/* Rank of a variant for the architectures that have an order: arm v5 < v6 <
 * v7 < v8; arm64 v8 < v8.1 < ... < v9; amd64 v1 < v2 < v3 < v4. "" is each
 * one's baseline (arm v7, arm64 v8, amd64 v1). -1 for an unknown form. */
static long variant_rank(const char *arch, const char *v)
{
  if (!*v) {
    if (strcmp(arch, "arm") == 0)
      return 700;
    if (strcmp(arch, "arm64") == 0)
      return 800;
    return 100;
  }
  if (v[0] != 'v' || !isdigit((unsigned char)v[1]))
    return -1;
  char *end;
  long major = strtol(v + 1, &end, 10), minor = 0;
  if (*end == '.') {
    if (!isdigit((unsigned char)end[1]))
      return -1;
    minor = strtol(end + 1, &end, 10);
  }
  if (*end || major > 1000 || minor > 99)
    return -1;
  return major * 100 + minor;
}

static bool ordered_arch(const char *arch)
{
  return strcmp(arch, "arm") == 0 || strcmp(arch, "arm64") == 0 ||
         strcmp(arch, "amd64") == 0;
}

char *dfl_oci_platform_string(const char *os, const char *arch, const char *variant)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_printf(&b, "%s/%s", os && *os ? os : "unknown", arch && *arch ? arch : "unknown");
  if (variant && *variant)
    dfl_buf_printf(&b, "/%s", variant);
  return dfl_buf_take(&b);
}

long dfl_oci_choose_platform(const dfl_oci_manifest *idx, const dfl_platform *want, char **err)
{
  long best = -1, best_rank = -1;
  bool ordered = ordered_arch(want->arch);
  long want_rank = ordered ? variant_rank(want->arch, want->variant ? want->variant : "") : -1;
  for (size_t i = 0; i < idx->n_manifests; i++) {
    const dfl_oci_descriptor *d = &idx->manifests[i];
    if (d->attestation || (*d->media_type && !is_image_type(d->media_type)))
      continue;
    if (strcmp(d->os, want->os) != 0 || strcmp(d->architecture, want->arch) != 0)
      continue;
    if (!ordered) {
      /* Other architectures: the variant must be the one asked for (none
       * asked: any, the first one). */
      if (want->variant && *want->variant && strcmp(d->variant, want->variant) != 0)
        continue;
      return (long)i;
    }
    long r = variant_rank(d->architecture, d->variant);
    if (r < 0 || r > want_rank)
      continue;
    if (r > best_rank) {
      best = (long)i;
      best_rank = r;
    }
  }
  if (best >= 0)
    return best;
  char *have = dfl_oci_index_platforms(idx);
  char *w = dfl_oci_platform_string(want->os, want->arch, want->variant);
  set_err(err, "no image for %s in the index (it has: %s)", w,
          *have ? have : "no images");
  free(w);
  free(have);
  return -1;
}

char *dfl_oci_index_platforms(const dfl_oci_manifest *idx)
{
  dfl_buf b;
  dfl_buf_init(&b);
  for (size_t i = 0; i < idx->n_manifests; i++) {
    const dfl_oci_descriptor *d = &idx->manifests[i];
    if (d->attestation)
      continue;
    char *p = dfl_oci_platform_string(d->os, d->architecture, d->variant);
    dfl_buf_printf(&b, "%s%s", b.len ? ", " : "", p);
    free(p);
  }
  dfl_buf_cstr(&b);
  return dfl_buf_take(&b);
}

/* ---- image config ------------------------------------------------------------- */

static char **string_array(const json_t *a, size_t *n)
{
  *n = 0;
  if (!json_is_array(a))
    return NULL;
  size_t cnt = json_array_size(a);
  char **r = dfl_xcalloc(cnt + 1, sizeof *r);
  for (size_t i = 0; i < cnt; i++) {
    const json_t *v = json_array_get(a, i);
    if (json_is_string(v))
      r[(*n)++] = xstrdup(json_string_value(v));
  }
  return r;
}

int dfl_oci_parse_config(const char *body, size_t len, dfl_image_info *info, char **err)
{
  json_error_t je;
  json_t *j = json_loadb(body ? body : "", len, 0, &je);
  if (!json_is_object(j)) {
    if (j)
      set_err(err, "the image config is not a JSON object");
    else
      set_err(err, "the image config is not valid JSON (%s at byte %d)", je.text, je.position);
    json_decref(j);
    return -1;
  }
  const json_t *c = json_object_get(j, "config");
  if (!json_is_object(c))
    c = json_object_get(j, "container_config"); /* very old images */
  info->created = xstrdup(jstr(j, "created"));
  info->os = xstrdup(jstr(j, "os"));
  info->architecture = xstrdup(jstr(j, "architecture"));
  info->variant = xstrdup(jstr(j, "variant"));
  const char *user = json_is_object(c) ? jstr(c, "User") : NULL;
  info->user = xstrdup(user ? user : "");
  const char *wd = json_is_object(c) ? jstr(c, "WorkingDir") : NULL;
  info->workdir = xstrdup(wd ? wd : "");
  if (json_is_object(c)) {
    info->env = string_array(json_object_get(c, "Env"), &info->n_env);
    info->entrypoint = string_array(json_object_get(c, "Entrypoint"), &info->n_entrypoint);
    info->cmd = string_array(json_object_get(c, "Cmd"), &info->n_cmd);
    const json_t *labels = json_object_get(c, "Labels");
    if (json_is_object(labels)) {
      size_t n = json_object_size(labels), i = 0;
      info->labels = dfl_xcalloc(n ? n : 1, sizeof *info->labels);
      const char *k;
      const json_t *v;
      json_object_foreach((json_t *)labels, k, v)
      {
        if (!json_is_string(v))
          continue;
        info->labels[i].key = xstrdup(k);
        info->labels[i].value = xstrdup(json_string_value(v));
        i++;
      }
      info->n_labels = i;
    }
  }
  json_decref(j);
  return 0;
}
