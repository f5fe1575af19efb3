/* Image reference parsing, a hand-written equivalent of the regular
 * expressions in distribution/reference (regexp.go). Every production of the
 * grammar is delimited by a character the others cannot contain ('@' before
 * the digest, the last ':' after the last '/' before the tag, the first '/'
 * after the domain), so each piece can be found by one scan and checked on
 * its own. That gives the same accept/reject and the same submatches as Go's
 * leftmost-first regexp, in linear time. */
#include "dflint/refs.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dflint/arena.h"
#include "dflint/buf.h"
#include "dflint/utf8.h"

/* distribution/reference v0.6.0 counts only the path; v0.5.0 counted
 * domain + "/" + path, which rejected some valid long names. */
#define NAME_TOTAL_LENGTH_MAX 255
#define TAG_MAX 128

static const char ERR_FORMAT[] = "invalid reference format";
static const char ERR_TAG_FORMAT[] = "invalid tag format";
static const char ERR_DIGEST_FORMAT[] = "invalid digest format";
static const char ERR_UPPERCASE[] = "repository name must be lowercase";
static const char ERR_NAME_EMPTY[] =
    "repository name must have at least one component";
static const char ERR_NAME_TOO_LONG[] =
    "repository name must not be more than 255 characters";
/* go-digest v1.0.0, the version Docker and BuildKit vendor. */
static const char ERR_CHECKSUM_FORMAT[] = "invalid checksum digest format";
static const char ERR_CHECKSUM_LENGTH[] = "invalid checksum digest length";
static const char ERR_DIGEST_UNSUPPORTED[] = "unsupported digest algorithm";

/* A piece of the input; absent pieces have s == NULL. */
typedef struct span {
  const char *s;
  size_t n;
} span;

typedef struct match {
  span domain, path, tag, digest;
} match;

static bool is_lower_alnum(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool is_alnum(unsigned char c)
{
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

static bool is_alpha(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_word(unsigned char c)
{
  return is_alnum(c) || c == '_';
}

static bool is_xdigit(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static const char *find_byte(const char *s, size_t n, char c)
{
  return n ? memchr(s, c, n) : NULL;
}

static const char *find_last_byte(const char *s, size_t n, char c)
{
  for (size_t i = n; i > 0; i--)
    if (s[i - 1] == c)
      return s + i - 1;
  return NULL;
}

/* path-component: [a-z0-9]+ ((?:[._]|__|[-]+)[a-z0-9]+)* */
static bool path_component_ok(const char *s, size_t n)
{
  size_t i = 0;
  for (;;) {
    size_t start = i;
    while (i < n && is_lower_alnum((unsigned char)s[i]))
      i++;
    if (i == start)
      return false;
    if (i == n)
      return true;
    /* The separator is consumed greedily: what follows must be
     * alphanumeric, which no separator character is, so greed never
     * loses a match. */
    if (s[i] == '.') {
      i++;
    } else if (s[i] == '_') {
      i++;
      if (i < n && s[i] == '_')
        i++;
    } else if (s[i] == '-') {
      while (i < n && s[i] == '-')
        i++;
    } else {
      return false;
    }
  }
}

/* remote-name: path-component ("/" path-component)* */
static bool path_ok(const char *s, size_t n)
{
  if (n == 0)
    return false;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '/') {
      if (!path_component_ok(s + start, i - start))
        return false;
      start = i + 1;
    }
  }
  return true;
}

/* domain-name: component ("." component)*, component
 * [a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9] */
static bool domain_name_ok(const char *s, size_t n)
{
  if (n == 0)
    return false;
  size_t start = 0;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || s[i] == '.') {
      size_t len = i - start;
      if (len == 0 || s[start] == '-' || s[i - 1] == '-')
        return false;
      for (size_t k = start; k < i; k++)
        if (!is_alnum((unsigned char)s[k]) && s[k] != '-')
          return false;
      start = i + 1;
    }
  }
  return true;
}

/* domain: (domain-name | "[" [a-fA-F0-9:]+ "]") (":" [0-9]+)? */
static bool domain_ok(const char *s, size_t n)
{
  size_t host_end;
  if (n > 0 && s[0] == '[') {
    /* No zone IDs and no embedded IPv4: only hex digits and colons. */
    size_t i = 1;
    while (i < n && (is_xdigit((unsigned char)s[i]) || s[i] == ':'))
      i++;
    if (i == 1 || i == n || s[i] != ']')
      return false;
    host_end = i + 1;
  } else {
    const char *colon = find_byte(s, n, ':');
    host_end = colon ? (size_t)(colon - s) : n;
    if (!domain_name_ok(s, host_end))
      return false;
  }
  if (host_end == n)
    return true;
  if (s[host_end] != ':' || host_end + 1 == n)
    return false;
  for (size_t i = host_end + 1; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/* tag: [\w][\w.-]{0,127} */
static bool tag_ok(const char *s, size_t n)
{
  if (n == 0 || n > TAG_MAX || !is_word((unsigned char)s[0]))
    return false;
  for (size_t i = 1; i < n; i++)
    if (!is_word((unsigned char)s[i]) && s[i] != '.' && s[i] != '-')
      return false;
  return true;
}

/* digest: [A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[[:xdigit:]]{32,} */
static bool digest_ok(const char *s, size_t n)
{
  const char *colon = find_byte(s, n, ':');
  if (!colon)
    return false;
  size_t alg = (size_t)(colon - s);
  size_t i = 0;
  for (;;) {
    if (i >= alg || !is_alpha((unsigned char)s[i]))
      return false;
    i++;
    while (i < alg && is_alnum((unsigned char)s[i]))
      i++;
    if (i == alg)
      break;
    if (s[i] != '-' && s[i] != '_' && s[i] != '+' && s[i] != '.')
      return false;
    i++;
  }
  size_t hex = n - alg - 1;
  if (hex < 32)
    return false;
  for (size_t k = alg + 1; k < n; k++)
    if (!is_xdigit((unsigned char)s[k]))
      return false;
  return true;
}

/* anchoredNameRegexp: ^(?:(domain)/)?(path)$. The optional group is greedy,
 * so a first component that is a valid domain (followed by a valid path) is
 * the domain even when it would also be a valid path component. */
static bool match_name(const char *s, size_t n, match *m)
{
  const char *slash = find_byte(s, n, '/');
  if (slash) {
    size_t d = (size_t)(slash - s);
    if (domain_ok(s, d) && path_ok(slash + 1, n - d - 1)) {
      m->domain = (span){s, d};
      m->path = (span){slash + 1, n - d - 1};
      return true;
    }
  }
  if (!path_ok(s, n))
    return false;
  m->domain = (span){s, 0};
  m->path = (span){s, n};
  return true;
}

/* referenceRegexp: ^(name)(?::(tag))?(?:@(digest))?$. '@' occurs only
 * before the digest; a tag can hold neither '/' nor ':' and a path cannot
 * hold ':', so a ':' after the last '/' can only start the tag. */
static bool match_reference(const char *s, size_t n, match *m)
{
  memset(m, 0, sizeof *m);
  size_t head = n;
  const char *at = find_byte(s, n, '@');
  if (at) {
    head = (size_t)(at - s);
    if (!digest_ok(at + 1, n - head - 1))
      return false;
    m->digest = (span){at + 1, n - head - 1};
  }
  const char *colon = find_last_byte(s, head, ':');
  const char *slash = find_last_byte(s, head, '/');
  size_t name = head;
  if (colon && (!slash || colon > slash)) {
    name = (size_t)(colon - s);
    if (!tag_ok(colon + 1, head - name - 1))
      return false;
    m->tag = (span){colon + 1, head - name - 1};
  }
  return match_name(s, name, m);
}

/* Go's unicode.ToLower. The shared table comes from Python's full case
 * mapping, which lower-cases U+0130 to two runes and so leaves it out; Go's
 * simple mapping makes it 'i', and that decides one of Docker's messages. */
static uint32_t go_to_lower(uint32_t r)
{
  return r == 0x130 ? 'i' : dfl_rune_to_lower(r);
}

/* Go's strings.ToLower(s) != s: true for an upper-case (or title-case) rune
 * and also for an invalid UTF-8 byte, which ToLower turns into U+FFFD. */
static bool lowercase_changes(const char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z')
        return true;
      i++;
      continue;
    }
    size_t w;
    uint32_t r = dfl_utf8_decode(s + i, n - i, &w);
    if (r == DFL_RUNE_ERROR && w == 1)
      return true;
    if (go_to_lower(r) != r)
      return true;
    i += w;
  }
  return false;
}

/* strings.ToLower(s), but only when the result is ASCII: the grammar is
 * pure ASCII, so a non-ASCII result can never match and need not be built.
 * (KELVIN SIGN and capital I with dot above do lower to ASCII.) */
static char *ascii_lower(const char *s, size_t n, size_t *out_len)
{
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_append(&b, "", 0);
  size_t i = 0;
  while (i < n) {
    size_t w = 1;
    uint32_t r = (unsigned char)s[i];
    if (r >= 0x80) {
      r = dfl_utf8_decode(s + i, n - i, &w);
      if (r == DFL_RUNE_ERROR && w == 1) {
        dfl_buf_free(&b);
        return NULL;
      }
    }
    r = go_to_lower(r);
    if (r >= 0x80) {
      dfl_buf_free(&b);
      return NULL;
    }
    dfl_buf_putc(&b, (char)r);
    i += w;
  }
  *out_len = b.len;
  return dfl_buf_take(&b);
}

static void set_err(char **err, const char *msg)
{
  if (err)
    *err = dfl_xstrndup(msg, strlen(msg));
}

static char *span_dup(span sp)
{
  return sp.s ? dfl_xstrndup(sp.s, sp.n) : NULL;
}

/* go-digest v1.0.0 Digest.Validate, for a string that already matched the
 * reference grammar's digest (so it has a non-empty algorithm, a colon and
 * at least 32 hex digits). */
static const char *validate_digest(const char *s, size_t n)
{
  const char *colon = find_byte(s, n, ':');
  size_t alg = (size_t)(colon - s);
  size_t hex = n - alg - 1;
  size_t want = 0;
  if (alg == 6 && memcmp(s, "sha256", 6) == 0)
    want = 64;
  else if (alg == 6 && memcmp(s, "sha384", 6) == 0)
    want = 96;
  else if (alg == 6 && memcmp(s, "sha512", 6) == 0)
    want = 128;
  if (want == 0) {
    /* Unknown algorithm: go-digest first checks its own, lower-case-only
     * DigestRegexp; the hex part always passes it here, so only an
     * upper-case letter in the algorithm makes the format invalid. */
    for (size_t i = 0; i < alg; i++)
      if (s[i] >= 'A' && s[i] <= 'Z')
        return ERR_CHECKSUM_FORMAT;
    return ERR_DIGEST_UNSUPPORTED;
  }
  if (hex != want)
    return ERR_CHECKSUM_LENGTH;
  for (size_t i = alg + 1; i < n; i++)
    if (s[i] >= 'A' && s[i] <= 'F')
      return ERR_CHECKSUM_FORMAT;
  return NULL;
}

int dfl_image_ref_parse_raw(const char *s, size_t len, dfl_image_ref *out,
                            char **err)
{
  memset(out, 0, sizeof *out);
  if (err)
    *err = NULL;
  if (len == 0) {
    set_err(err, ERR_NAME_EMPTY);
    return -1;
  }
  match m;
  if (!match_reference(s, len, &m)) {
    /* Docker retries in lower case only to pick the better message. */
    size_t ln;
    char *lower = ascii_lower(s, len, &ln);
    bool upper = false;
    if (lower) {
      match lm;
      upper = (ln != len || memcmp(lower, s, len) != 0) &&
              match_reference(lower, ln, &lm);
      free(lower);
    }
    set_err(err, upper ? ERR_UPPERCASE : ERR_FORMAT);
    return -1;
  }
  if (m.path.n > NAME_TOTAL_LENGTH_MAX) {
    set_err(err, ERR_NAME_TOO_LONG);
    return -1;
  }
  if (m.digest.s) {
    const char *msg = validate_digest(m.digest.s, m.digest.n);
    if (msg) {
      set_err(err, msg);
      return -1;
    }
  }
  out->domain = span_dup(m.domain);
  out->path = span_dup(m.path);
  out->tag = span_dup(m.tag);
  out->digest = span_dup(m.digest);
  return 0;
}

bool dfl_is_image_id(const char *s, size_t len)
{
  if (len != 64)
    return false;
  for (size_t i = 0; i < len; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
      return false;
  return true;
}

/* splitDockerDomain: decides the domain from the first '/'-separated
 * element of the raw input, before any validation, and appends
 * "domain/remainder" to b. Returns the offset of the remainder in b. */
static size_t split_docker_domain(const char *s, size_t n, dfl_buf *b)
{
  const char *slash = find_byte(s, n, '/');
  if (!slash) {
    /* A lone element is always a Docker Hub official image, even "localhost"
     * or "example.com" (Docker's own FIXME), so "host:port" is name:tag. */
    dfl_buf_puts(b, DFL_DOCKER_HUB_DOMAIN "/library/");
    dfl_buf_append(b, s, n);
    return strlen(DFL_DOCKER_HUB_DOMAIN "/");
  }
  size_t d = (size_t)(slash - s);
  const char *rest = slash + 1;
  size_t rn = n - d - 1;
  span domain = {s, d};
  if (d == 15 && memcmp(s, "index.docker.io", 15) == 0) {
    /* The legacy "Docker Index" name. */
    domain = (span){DFL_DOCKER_HUB_DOMAIN, 9};
  } else if (!(d == 9 && memcmp(s, "localhost", 9) == 0) &&
             !memchr(s, '.', d) && !memchr(s, ':', d) &&
             !lowercase_changes(s, d)) {
    /* Neither localhost, nor a host name, IP address or host:port, nor
     * upper case (never valid in a path, so Docker assumes a domain): the
     * whole input is a Docker Hub path. */
    domain = (span){DFL_DOCKER_HUB_DOMAIN, 9};
    rest = s;
    rn = n;
  }
  bool hub = domain.n == 9 && memcmp(domain.s, DFL_DOCKER_HUB_DOMAIN, 9) == 0;
  dfl_buf_append(b, domain.s, domain.n);
  dfl_buf_putc(b, '/');
  size_t off = b->len;
  /* Only Docker Hub, and only one-element names, get the library/ prefix. */
  if (hub && !find_byte(rest, rn, '/'))
    dfl_buf_puts(b, "library/");
  dfl_buf_append(b, rest, rn);
  return off;
}

int dfl_image_ref_parse(const char *s, size_t len, dfl_image_ref *out, char **err)
{
  memset(out, 0, sizeof *out);
  if (err)
    *err = NULL;
  if (dfl_is_image_id(s, len)) {
    if (err) {
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_printf(&b, "invalid repository name (%.*s), cannot specify "
                     "64-byte hexadecimal strings", (int)len, s);
      *err = dfl_buf_take(&b);
    }
    return -1;
  }
  dfl_buf full;
  dfl_buf_init(&full);
  size_t off = split_docker_domain(s, len, &full);
  /* The lower-case check covers the remainder up to its first ':', which
   * may include library/ and, oddly, an "@alg" when no ':' precedes it. */
  const char *remote = full.data + off;
  const char *colon = find_byte(remote, full.len - off, ':');
  size_t rn = colon ? (size_t)(colon - remote) : full.len - off;
  int rc;
  if (lowercase_changes(remote, rn)) {
    if (err) {
      dfl_buf b;
      dfl_buf_init(&b);
      dfl_buf_puts(&b, "invalid reference format: repository name (");
      dfl_buf_append(&b, remote, rn);
      dfl_buf_puts(&b, ") must be lowercase");
      *err = dfl_buf_take(&b);
    }
    rc = -1;
  } else {
    rc = dfl_image_ref_parse_raw(full.data, full.len, out, err);
  }
  dfl_buf_free(&full);
  return rc;
}

void dfl_image_ref_tag_name_only(dfl_image_ref *r)
{
  if (!r->tag && !r->digest)
    r->tag = dfl_xstrndup("latest", 6);
}

int dfl_image_ref_parse_docker(const char *s, size_t len, dfl_image_ref *out,
                               char **err)
{
  if (dfl_image_ref_parse(s, len, out, err) != 0)
    return -1;
  if (out->tag && out->digest) {
    free(out->tag);
    out->tag = NULL;
  }
  dfl_image_ref_tag_name_only(out);
  return 0;
}

int dfl_image_ref_set_tag(dfl_image_ref *r, const char *tag, size_t len,
                          char **err)
{
  if (err)
    *err = NULL;
  if (!tag_ok(tag, len)) {
    set_err(err, ERR_TAG_FORMAT);
    return -1;
  }
  free(r->tag);
  r->tag = dfl_xstrndup(tag, len);
  return 0;
}

int dfl_image_ref_set_digest(dfl_image_ref *r, const char *digest, size_t len,
                             char **err)
{
  if (err)
    *err = NULL;
  /* WithDigest checks only the reference grammar, not go-digest's rules. */
  if (!digest_ok(digest, len)) {
    set_err(err, ERR_DIGEST_FORMAT);
    return -1;
  }
  free(r->digest);
  r->digest = dfl_xstrndup(digest, len);
  return 0;
}

static void put_name(dfl_buf *b, const char *domain, const char *path)
{
  if (domain && *domain) {
    dfl_buf_puts(b, domain);
    dfl_buf_putc(b, '/');
  }
  dfl_buf_puts(b, path ? path : "");
}

static void put_suffix(dfl_buf *b, const dfl_image_ref *r)
{
  if (r->tag) {
    dfl_buf_putc(b, ':');
    dfl_buf_puts(b, r->tag);
  }
  if (r->digest) {
    dfl_buf_putc(b, '@');
    dfl_buf_puts(b, r->digest);
  }
}

/* familiarizeName: on Docker Hub drop the domain, and "library/" when what
 * follows has no further '/' ("library/a/b" stays as is). */
static void put_familiar_name(dfl_buf *b, const dfl_image_ref *r)
{
  if (!dfl_image_ref_is_docker_hub(r)) {
    put_name(b, r->domain, r->path);
    return;
  }
  const char *path = r->path ? r->path : "";
  if (strncmp(path, "library/", 8) == 0 && !strchr(path + 8, '/'))
    path += 8;
  dfl_buf_puts(b, path);
}

char *dfl_image_ref_name(const dfl_image_ref *r)
{
  dfl_buf b;
  dfl_buf_init(&b);
  put_name(&b, r->domain, r->path);
  return dfl_buf_take(&b);
}

char *dfl_image_ref_string(const dfl_image_ref *r)
{
  dfl_buf b;
  dfl_buf_init(&b);
  put_name(&b, r->domain, r->path);
  put_suffix(&b, r);
  return dfl_buf_take(&b);
}

char *dfl_image_ref_familiar_name(const dfl_image_ref *r)
{
  dfl_buf b;
  dfl_buf_init(&b);
  put_familiar_name(&b, r);
  return dfl_buf_take(&b);
}

char *dfl_image_ref_familiar(const dfl_image_ref *r)
{
  dfl_buf b;
  dfl_buf_init(&b);
  put_familiar_name(&b, r);
  put_suffix(&b, r);
  return dfl_buf_take(&b);
}

const char *dfl_image_ref_tag_or_latest(const dfl_image_ref *r)
{
  return r->tag ? r->tag : "latest";
}

const char *dfl_image_ref_manifest_ref(const dfl_image_ref *r)
{
  return r->digest ? r->digest : dfl_image_ref_tag_or_latest(r);
}

bool dfl_image_ref_is_docker_hub(const dfl_image_ref *r)
{
  return r->domain && strcmp(r->domain, DFL_DOCKER_HUB_DOMAIN) == 0;
}

const char *dfl_image_ref_registry_host(const dfl_image_ref *r)
{
  if (!r->domain || !*r->domain)
    return NULL;
  return dfl_image_ref_is_docker_hub(r) ? DFL_DOCKER_HUB_REGISTRY : r->domain;
}

void dfl_image_ref_free(dfl_image_ref *r)
{
  if (!r)
    return;
  free(r->domain);
  free(r->path);
  free(r->tag);
  free(r->digest);
  memset(r, 0, sizeof *r);
}
