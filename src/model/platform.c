/* containerd's platforms.Parse/Normalize/Format, hand-written. The two
 * regular expressions it uses are simple enough to check with one scan:
 *   component: ^[A-Za-z0-9_.-]+$
 *   OS:        ^([A-Za-z0-9_-]+)(?:\(([A-Za-z0-9_.%-]*)((?:\+[A-Za-z0-9_.%-]+)*)\))?$
 * Errors carry the same text as Go's, ending in errdefs' "invalid argument". */
#include "dflint/platform.h"

#include <stdlib.h>
#include <string.h>

#include "dflint/buf.h"
#include "dflint/parse.h"

static const char SPECIFIER_RE[] = "^[A-Za-z0-9_.-]+$";
static const char OS_RE[] =
    "^([A-Za-z0-9_-]+)(?:\\(([A-Za-z0-9_.%-]*)((?:\\+[A-Za-z0-9_.%-]+)*)\\))?$";

static char *dup_n(const char *s, size_t n)
{
  char *p = malloc(n + 1);
  if (!p)
    abort();
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static char *dup_s(const char *s) { return dup_n(s, strlen(s)); }

static void lower_in_place(char *s)
{
  for (; *s; s++)
    if (*s >= 'A' && *s <= 'Z')
      *s = (char)(*s + 32);
}

static bool is_alnum(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

/* [A-Za-z0-9_.-] */
static bool is_spec_char(unsigned char c)
{
  return is_alnum(c) || c == '_' || c == '.' || c == '-';
}

/* [A-Za-z0-9_-] */
static bool is_os_char(unsigned char c)
{
  return is_alnum(c) || c == '_' || c == '-';
}

/* [A-Za-z0-9_.%-] */
static bool is_opt_char(unsigned char c) { return is_spec_char(c) || c == '%'; }

bool dfl_platform_known_os(const char *os)
{
  static const char *const known[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd",
    "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd",
    "plan9", "solaris", "windows", "zos",
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp(os, known[i]) == 0)
      return true;
  return false;
}

bool dfl_platform_known_arch(const char *arch)
{
  static const char *const known[] = {
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be",
    "ppc64", "ppc64le", "loong64", "mips", "mipsle", "mips64", "mips64le",
    "mips64p32", "mips64p32le", "ppc", "riscv", "riscv64", "s390", "s390x",
    "sparc", "sparc64", "wasm",
  };
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp(arch, known[i]) == 0)
      return true;
  return false;
}

/* normalizeOS: "" is the host OS, otherwise lowercased, macos -> darwin. */
static char *normalize_os(const char *os)
{
  if (!*os)
    return dup_s(DFL_PLATFORM_DEFAULT_OS);
  char *o = dup_s(os);
  lower_in_place(o);
  if (strcmp(o, "macos") == 0) {
    free(o);
    o = dup_s("darwin");
  }
  return o;
}

/* normalizeArch: replaces *arch and *variant (both malloc'd). */
static void normalize_arch(char **arch, char **variant)
{
  lower_in_place(*arch);
  lower_in_place(*variant);
  const char *a = *arch, *v = *variant;
  const char *na = NULL, *nv = NULL; /* replacements, NULL = keep */
  if (strcmp(a, "i386") == 0) {
    na = "386";
    nv = "";
  } else if (strcmp(a, "x86_64") == 0 || strcmp(a, "x86-64") == 0 ||
             strcmp(a, "amd64") == 0) {
    na = "amd64";
    if (strcmp(v, "v1") == 0)
      nv = "";
  } else if (strcmp(a, "aarch64") == 0 || strcmp(a, "arm64") == 0) {
    na = "arm64";
    if (strcmp(v, "8") == 0 || strcmp(v, "v8") == 0)
      nv = "";
  } else if (strcmp(a, "armhf") == 0) {
    na = "arm";
    nv = "v7";
  } else if (strcmp(a, "armel") == 0) {
    na = "arm";
    nv = "v6";
  } else if (strcmp(a, "arm") == 0) {
    if (!*v || strcmp(v, "7") == 0)
      nv = "v7";
    else if (strcmp(v, "5") == 0)
      nv = "v5";
    else if (strcmp(v, "6") == 0)
      nv = "v6";
    else if (strcmp(v, "8") == 0)
      nv = "v8";
  }
  if (na) {
    free(*arch);
    *arch = dup_s(na);
  }
  if (nv) {
    free(*variant);
    *variant = dup_s(nv);
  }
}

static int hexval(unsigned char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* decodeOSOption: url.PathUnescape when the value holds a '%'. On failure
 * *err is Go's `invalid URL escape "%zz"`. */
static char *decode_os_option(const char *s, size_t n, char **err)
{
  dfl_buf b;
  dfl_buf_init(&b);
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '%') {
      dfl_buf_putc(&b, s[i]);
      continue;
    }
    if (i + 2 >= n || hexval((unsigned char)s[i + 1]) < 0 ||
        hexval((unsigned char)s[i + 2]) < 0) {
      size_t m = n - i > 3 ? 3 : n - i;
      dfl_buf e;
      dfl_buf_init(&e);
      dfl_buf_puts(&e, "invalid URL escape ");
      dfl_go_quote(&e, s + i, m);
      *err = dfl_buf_take(&e);
      dfl_buf_free(&b);
      return NULL;
    }
    dfl_buf_putc(&b, (char)(hexval((unsigned char)s[i + 1]) * 16 +
                            hexval((unsigned char)s[i + 2])));
    i += 2;
  }
  if (!b.data)
    return dup_s("");
  return dfl_buf_take(&b);
}

static char *invalid_arg(dfl_buf *b)
{
  dfl_buf_puts(b, ": invalid argument");
  return dfl_buf_take(b);
}

/* Matches the OS component against OS_RE; the submatches as spans. */
static bool match_os(const char *s, size_t n, size_t *os_len,
                     const char **ver, size_t *ver_len, const char **feat,
                     size_t *feat_len)
{
  size_t i = 0;
  while (i < n && is_os_char((unsigned char)s[i]))
    i++;
  if (i == 0)
    return false;
  *os_len = i;
  *ver = *feat = NULL;
  *ver_len = *feat_len = 0;
  if (i == n)
    return true;
  if (s[i] != '(' || s[n - 1] != ')')
    return false;
  size_t j = i + 1, end = n - 1;
  *ver = s + j;
  while (j < end && is_opt_char((unsigned char)s[j]))
    j++;
  *ver_len = (size_t)(s + j - *ver);
  *feat = s + j;
  /* (\+[A-Za-z0-9_.%-]+)* up to the closing parenthesis */
  while (j < end) {
    if (s[j] != '+')
      return false;
    j++;
    size_t k = j;
    while (j < end && is_opt_char((unsigned char)s[j]))
      j++;
    if (j == k)
      return false;
  }
  *feat_len = (size_t)(s + end - *feat);
  return true;
}

static bool match_specifier(const char *s, size_t n)
{
  if (n == 0)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!is_spec_char((unsigned char)s[i]))
      return false;
  return true;
}

static void platform_zero(dfl_platform *p) { memset(p, 0, sizeof *p); }

int dfl_platform_parse(const char *s, size_t len, dfl_platform *out, char **err)
{
  platform_zero(out);
  if (err)
    *err = NULL;
  dfl_buf eb;
  dfl_buf_init(&eb);
  char *msg = NULL;

  if (memchr(s, '*', len)) {
    dfl_go_quote(&eb, s, len);
    dfl_buf_puts(&eb, ": wildcards not yet supported");
    msg = invalid_arg(&eb);
    goto fail;
  }

  /* strings.SplitN(specifier, "/", 4) */
  const char *part[4];
  size_t plen[4];
  size_t nparts = 0;
  {
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
      if (nparts == 3) {
        part[nparts] = s + start;
        plen[nparts++] = len - start;
        break;
      }
      if (i == len || s[i] == '/') {
        part[nparts] = s + start;
        plen[nparts++] = i - start;
        start = i + 1;
      }
    }
  }

  for (size_t i = 0; i < nparts; i++) {
    if (i == 0) {
      size_t os_len, ver_len, feat_len;
      const char *ver, *feat;
      if (!match_os(part[0], plen[0], &os_len, &ver, &ver_len, &feat,
                    &feat_len)) {
        dfl_go_quote(&eb, part[0], plen[0]);
        dfl_buf_puts(&eb, " is an invalid OS component of ");
        dfl_go_quote(&eb, s, len);
        dfl_buf_puts(&eb, ": OSAndVersion specifier component must match ");
        dfl_go_quote(&eb, OS_RE, strlen(OS_RE));
        msg = invalid_arg(&eb);
        goto fail;
      }
      char *os = dup_n(part[0], os_len);
      out->os = normalize_os(os);
      free(os);
      char *derr = NULL;
      out->os_version = decode_os_option(ver ? ver : "", ver_len, &derr);
      if (!out->os_version) {
        dfl_go_quote(&eb, s, len);
        dfl_buf_puts(&eb, " has an invalid OS version ");
        dfl_go_quote(&eb, ver, ver_len);
        dfl_buf_puts(&eb, ": ");
        dfl_buf_puts(&eb, derr);
        free(derr);
        msg = dfl_buf_take(&eb);
        goto fail;
      }
      if (feat_len) {
        /* strings.Split(features[1:], "+") */
        const char *f = feat + 1;
        size_t fl = feat_len - 1;
        size_t start = 0;
        for (size_t k = 0; k <= fl; k++) {
          if (k < fl && f[k] != '+')
            continue;
          char *dec = decode_os_option(f + start, k - start, &derr);
          if (!dec) {
            dfl_go_quote(&eb, s, len);
            dfl_buf_puts(&eb, " has an invalid OS feature ");
            dfl_go_quote(&eb, f + start, k - start);
            dfl_buf_puts(&eb, ": ");
            dfl_buf_puts(&eb, derr);
            free(derr);
            msg = dfl_buf_take(&eb);
            goto fail;
          }
          out->os_features = realloc(out->os_features,
                                     (out->nos_features + 1) *
                                         sizeof *out->os_features);
          if (!out->os_features)
            abort();
          out->os_features[out->nos_features++] = dec;
          start = k + 1;
        }
      }
    } else if (!match_specifier(part[i], plen[i])) {
      dfl_go_quote(&eb, part[i], plen[i]);
      dfl_buf_puts(&eb, " is an invalid component of ");
      dfl_go_quote(&eb, s, len);
      dfl_buf_puts(&eb, ": platform specifier component must match ");
      dfl_go_quote(&eb, SPECIFIER_RE, strlen(SPECIFIER_RE));
      msg = invalid_arg(&eb);
      goto fail;
    }
  }

  switch (nparts) {
  case 1:
    if (dfl_platform_known_os(out->os)) {
      /* The host's architecture; amd64 has no variant to add. */
      out->arch = dup_s(DFL_PLATFORM_DEFAULT_ARCH);
      out->variant = dup_s("");
      return 0;
    }
    out->arch = dup_n(part[0], plen[0]);
    out->variant = dup_s("");
    normalize_arch(&out->arch, &out->variant);
    if (strcmp(out->arch, "arm") == 0 && strcmp(out->variant, "v7") == 0) {
      free(out->variant);
      out->variant = dup_s("");
    }
    if (dfl_platform_known_arch(out->arch)) {
      free(out->os);
      out->os = dup_s(DFL_PLATFORM_DEFAULT_OS);
      return 0;
    }
    dfl_go_quote(&eb, s, len);
    dfl_buf_puts(&eb, ": unknown operating system or architecture");
    msg = invalid_arg(&eb);
    goto fail;
  case 2:
    out->arch = dup_n(part[1], plen[1]);
    out->variant = dup_s("");
    normalize_arch(&out->arch, &out->variant);
    if (strcmp(out->arch, "arm") == 0 && strcmp(out->variant, "v7") == 0) {
      free(out->variant);
      out->variant = dup_s("");
    }
    return 0;
  case 3:
    out->arch = dup_n(part[1], plen[1]);
    out->variant = dup_n(part[2], plen[2]);
    normalize_arch(&out->arch, &out->variant);
    if (strcmp(out->arch, "arm64") == 0 && !*out->variant) {
      free(out->variant);
      out->variant = dup_s("v8");
    }
    return 0;
  default:
    dfl_go_quote(&eb, s, len);
    dfl_buf_puts(&eb, ": cannot parse platform specifier");
    msg = invalid_arg(&eb);
    goto fail;
  }

fail:
  dfl_buf_free(&eb);
  dfl_platform_free(out);
  if (err)
    *err = msg;
  else
    free(msg);
  return -1;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

void dfl_platform_normalize(dfl_platform *p)
{
  char *os = normalize_os(p->os ? p->os : "");
  free(p->os);
  p->os = os;
  if (!p->arch)
    p->arch = dup_s("");
  if (!p->variant)
    p->variant = dup_s("");
  normalize_arch(&p->arch, &p->variant);
  if (p->nos_features > 1) {
    qsort(p->os_features, p->nos_features, sizeof *p->os_features, cmp_str);
    size_t k = 1;
    for (size_t i = 1; i < p->nos_features; i++) {
      if (strcmp(p->os_features[i], p->os_features[k - 1]) == 0)
        free(p->os_features[i]);
      else
        p->os_features[k++] = p->os_features[i];
    }
    p->nos_features = k;
  }
}

/* path.Join(os, arch, variant): empty elements are dropped. The elements
 * never hold "/" or "..", so Clean has nothing else to do. */
static void join_rest(dfl_buf *b, const dfl_platform *p)
{
  if (p->arch && *p->arch) {
    dfl_buf_putc(b, '/');
    dfl_buf_puts(b, p->arch);
  }
  if (p->variant && *p->variant) {
    dfl_buf_putc(b, '/');
    dfl_buf_puts(b, p->variant);
  }
}

char *dfl_platform_format(const dfl_platform *p)
{
  if (!p->os || !*p->os)
    return dup_s("unknown");
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_puts(&b, p->os);
  join_rest(&b, p);
  return dfl_buf_take(&b);
}

/* encodeOSOption: % + ( ) / are percent-encoded. */
static void encode_os_option(dfl_buf *b, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '%': dfl_buf_puts(b, "%25"); break;
    case '+': dfl_buf_puts(b, "%2B"); break;
    case '(': dfl_buf_puts(b, "%28"); break;
    case ')': dfl_buf_puts(b, "%29"); break;
    case '/': dfl_buf_puts(b, "%2F"); break;
    default: dfl_buf_putc(b, *s); break;
    }
  }
}

char *dfl_platform_format_all(const dfl_platform *p)
{
  if (!p->os || !*p->os)
    return dup_s("unknown");
  dfl_buf opts;
  dfl_buf_init(&opts);
  encode_os_option(&opts, p->os_version ? p->os_version : "");
  char **feats = NULL;
  if (p->nos_features) {
    feats = malloc(p->nos_features * sizeof *feats);
    if (!feats)
      abort();
    memcpy(feats, p->os_features, p->nos_features * sizeof *feats);
    qsort(feats, p->nos_features, sizeof *feats, cmp_str);
  }
  for (size_t i = 0; i < p->nos_features; i++) {
    dfl_buf_putc(&opts, '+');
    encode_os_option(&opts, feats[i]);
  }
  free(feats);
  dfl_buf b;
  dfl_buf_init(&b);
  dfl_buf_puts(&b, p->os);
  if (opts.len) {
    dfl_buf_putc(&b, '(');
    dfl_buf_append(&b, opts.data, opts.len);
    dfl_buf_putc(&b, ')');
  }
  dfl_buf_free(&opts);
  join_rest(&b, p);
  return dfl_buf_take(&b);
}

void dfl_platform_free(dfl_platform *p)
{
  free(p->os);
  free(p->arch);
  free(p->variant);
  free(p->os_version);
  for (size_t i = 0; i < p->nos_features; i++)
    free(p->os_features[i]);
  free(p->os_features);
  platform_zero(p);
}
