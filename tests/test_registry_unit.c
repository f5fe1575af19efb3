/* The registry client without a network: the pure protocol parts on
 * answers recorded from the test registry (testdata/registry/, see its
 * README), URL policy, mirrors, credentials (config.json and a
 * docker-credential helper written here), the cache (including 16 writer
 * processes killed with SIGKILL at random), and whole fetches through a fake
 * transport: token and Basic auth, de-duplication, mirror fallback, digest
 * checks, the stale-cache fallback. The real registry, skopeo and the fault
 * server are tests/registry_integration.sh's business. */
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "advisor/registry_internal.h"
#include "advisor/transport.h"
#include "dflint/registry.h"
#include "testutil.h"

#define REC DFLINT_SOURCE_DIR "/testdata/registry/"

static char *rec(const char *name, size_t *len)
{
  char path[512];
  snprintf(path, sizeof path, "%s%s", REC, name);
  char *s = tu_read_file(path, len);
  ck_assert_msg(s != NULL, "cannot read %s", path);
  return s;
}

static char *digest_of(const char *s, size_t n)
{
  char *d = malloc(72);
  dfl_sha256_digest(s, n, d);
  return d;
}

/* ---- sha256 ------------------------------------------------------------------ */

START_TEST(sha256_vectors)
{
  char d[72];
  dfl_sha256_digest("", 0, d);
  ck_assert_str_eq(d, "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  dfl_sha256_digest("abc", 3, d);
  ck_assert_str_eq(d, "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  dfl_sha256_digest(m, strlen(m), d);
  ck_assert_str_eq(d, "sha256:248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  /* a million 'a', fed in odd pieces */
  dfl_sha256 c;
  dfl_sha256_init(&c);
  char buf[997];
  memset(buf, 'a', sizeof buf);
  size_t left = 1000000;
  while (left) {
    size_t k = left < sizeof buf ? left : sizeof buf;
    dfl_sha256_update(&c, buf, k);
    left -= k;
  }
  unsigned char md[32];
  dfl_sha256_final(&c, md);
  ck_assert_uint_eq(md[0], 0xcd);
  ck_assert_uint_eq(md[31], 0xd0);
  /* the recorded files are named by content in the registry */
  size_t n;
  char *s = rec("oci-index-attestations.json", &n);
  dfl_sha256_digest(s, n, d);
  ck_assert_str_eq(d, "sha256:2de113b8aab219f9de70fa98434d5fcfa958d3ed5a3c9a9d9ab583ed6949dd1b");
  free(s);
  ck_assert(dfl_digest_valid(d));
  ck_assert(!dfl_digest_valid("sha256:2DE113b8aab219f9de70fa98434d5fcfa958d3ed5a3c9a9d9ab583ed6949dd1b"));
  ck_assert(!dfl_digest_valid("sha512:2de1"));
  ck_assert(!dfl_digest_valid("sha256:../../etc/passwd"));
  ck_assert(!dfl_digest_valid(NULL));
}
END_TEST

/* ---- WWW-Authenticate ------------------------------------------------------------ */

START_TEST(challenge_bearer_quoted_commas)
{
  dfl_auth_challenge *c = NULL;
  size_t n = 0;
  ck_assert_uint_eq(dfl_auth_parse_challenges(
                        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        "scope=\"repository:samalba/my-app:pull,push\"",
                        &c, &n),
                    1);
  ck_assert_str_eq(c[0].scheme, "bearer");
  ck_assert_uint_eq(c[0].n_params, 3);
  ck_assert_str_eq(dfl_auth_challenge_param(&c[0], "realm"), "https://auth.docker.io/token");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[0], "SERVICE"), "registry.docker.io");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[0], "scope"), "repository:samalba/my-app:pull,push");
  dfl_auth_challenges_free(c, n);
}
END_TEST

START_TEST(challenge_forms)
{
  dfl_auth_challenge *c = NULL;
  size_t n = 0;
  /* case, blanks around "=" and ",", an escaped quote, a token value */
  dfl_auth_parse_challenges("bEaReR  realm = \"http://127.0.0.1:5/t\" ,  service=svc , "
                            "error=\"invalid_token\", error_description=\"a \\\"quoted\\\" word\"",
                            &c, &n);
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(c[0].scheme, "bearer");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[0], "realm"), "http://127.0.0.1:5/t");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[0], "service"), "svc");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[0], "error_description"), "a \"quoted\" word");
  /* several challenges in one value: Bearer then Basic */
  dfl_auth_parse_challenges("Bearer realm=\"https://a/t\",scope=\"repository:x:pull,push\", Basic realm=\"b\"",
                            &c, &n);
  ck_assert_uint_eq(n, 3);
  ck_assert_str_eq(c[1].scheme, "bearer");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[1], "scope"), "repository:x:pull,push");
  ck_assert_str_eq(c[2].scheme, "basic");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[2], "realm"), "b");
  /* token68, then another scheme */
  dfl_auth_parse_challenges("Negotiate dGVzdA==, Basic realm=\"r, with comma\"", &c, &n);
  ck_assert_uint_eq(n, 5);
  ck_assert_str_eq(c[3].scheme, "negotiate");
  ck_assert_uint_eq(c[3].n_params, 0);
  ck_assert_str_eq(c[4].scheme, "basic");
  ck_assert_str_eq(dfl_auth_challenge_param(&c[4], "realm"), "r, with comma");
  /* garbage yields what precedes it and never reads past the end */
  size_t before = n;
  dfl_auth_parse_challenges("Negotiate,,, =garbage", &c, &n);
  ck_assert_uint_eq(n, before + 1);
  dfl_auth_parse_challenges("", &c, &n);
  dfl_auth_parse_challenges("=", &c, &n);
  dfl_auth_parse_challenges("Bearer realm=\"unterminated", &c, &n);
  ck_assert_str_eq(dfl_auth_challenge_param(&c[n - 1], "realm"), "unterminated");
  ck_assert_ptr_null(dfl_auth_challenge_param(&c[n - 1], "service"));
  dfl_auth_challenges_free(c, n);
}
END_TEST

START_TEST(token_answers)
{
  char *t = NULL, *err = NULL;
  long e = 0;
  const char *a = "{\"token\":\"T1\",\"expires_in\":300,\"issued_at\":\"2026-01-01T00:00:00Z\"}";
  ck_assert_int_eq(dfl_auth_parse_token(a, strlen(a), &t, &e, &err), 0);
  ck_assert_str_eq(t, "T1");
  ck_assert_int_eq(e, 300);
  free(t);
  const char *b = "{\"access_token\":\"T2\"}";
  ck_assert_int_eq(dfl_auth_parse_token(b, strlen(b), &t, &e, &err), 0);
  ck_assert_str_eq(t, "T2");
  ck_assert_int_eq(e, 60); /* the default */
  free(t);
  const char *c = "{\"token\":\"\",\"access_token\":\"T3\",\"expires_in\":5}";
  ck_assert_int_eq(dfl_auth_parse_token(c, strlen(c), &t, &e, &err), 0);
  ck_assert_str_eq(t, "T3");
  ck_assert_int_eq(e, 60); /* never less than 60 s */
  free(t);
  const char *d = "{\"details\":\"incorrect username or password\"}";
  ck_assert_int_eq(dfl_auth_parse_token(d, strlen(d), &t, &e, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "no token"));
  ck_assert_int_eq(dfl_auth_parse_token("<html>", 6, &t, &e, &err), -1);
  ck_assert_ptr_null(t);
  free(err);
}
END_TEST

START_TEST(error_bodies)
{
  const char *v2 = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\","
                   "\"detail\":{\"Tag\":\"9.99\"}}]}";
  char *s = dfl_registry_error_text(v2, strlen(v2));
  ck_assert_str_eq(s, "MANIFEST_UNKNOWN: manifest unknown");
  free(s);
  const char *hub = "{\"details\": \"incorrect username or password\"}";
  s = dfl_registry_error_text(hub, strlen(hub));
  ck_assert_str_eq(s, "incorrect username or password");
  free(s);
  const char *old = "{\"message\":\"toomanyrequests: slow down\"}";
  s = dfl_registry_error_text(old, strlen(old));
  ck_assert_str_eq(s, "toomanyrequests: slow down");
  free(s);
  s = dfl_registry_error_text("404 page not found\n", 19);
  ck_assert_str_eq(s, "404 page not found");
  free(s);
  ck_assert_ptr_null(dfl_registry_error_text("<html><body>x</body></html>", 27));
  ck_assert_ptr_null(dfl_registry_error_text("", 0));
  ck_assert_ptr_null(dfl_registry_error_text("{}", 2));
}
END_TEST

/* ---- manifests ------------------------------------------------------------------------ */

START_TEST(manifest_oci_index)
{
  size_t n;
  char *s = rec("oci-index-attestations.json", &n);
  dfl_oci_manifest m;
  char *err = NULL;
  ck_assert_int_eq(dfl_oci_parse_manifest(s, n, DFL_MT_OCI_INDEX, &m, &err), 0);
  ck_assert_int_eq(m.kind, DFL_OCI_INDEX);
  ck_assert_uint_eq(m.n_manifests, 5);
  ck_assert(m.manifests[0].attestation);
  ck_assert(!m.manifests[1].attestation);
  ck_assert(m.manifests[3].attestation);
  ck_assert_str_eq(m.manifests[2].variant, "v8");
  dfl_oci_manifest_free(&m);
  /* the same without Content-Type: the body says it */
  ck_assert_int_eq(dfl_oci_parse_manifest(s, n, NULL, &m, &err), 0);
  ck_assert_str_eq(m.media_type, DFL_MT_OCI_INDEX);
  dfl_oci_manifest_free(&m);
  free(s);
}
END_TEST

START_TEST(manifest_docker_list_and_v2)
{
  size_t n;
  char *s = rec("docker-manifest-list.json", &n);
  dfl_oci_manifest m;
  char *err = NULL;
  ck_assert_int_eq(dfl_oci_parse_manifest(s, n, "application/json; charset=utf-8", &m, &err), 0);
  ck_assert_int_eq(m.kind, DFL_OCI_INDEX);
  ck_assert_str_eq(m.media_type, DFL_MT_DOCKER_LIST);
  ck_assert_uint_eq(m.n_manifests, 3);
  ck_assert_str_eq(m.manifests[2].architecture, "arm");
  ck_assert_str_eq(m.manifests[2].variant, "v7");
  dfl_oci_manifest_free(&m);
  free(s);
  s = rec("docker-manifest-node-amd64.json", &n);
  ck_assert_int_eq(dfl_oci_parse_manifest(s, n, DFL_MT_DOCKER_MANIFEST, &m, &err), 0);
  ck_assert_int_eq(m.kind, DFL_OCI_IMAGE);
  ck_assert_uint_eq(m.n_layers, 4);
  ck_assert_int_eq(m.config.size, 1047);
  int64_t sum = 0;
  for (size_t i = 0; i < m.n_layers; i++)
    sum += m.layers[i].size;
  ck_assert_int_eq(sum + m.config.size, 470418);
  dfl_oci_manifest_free(&m);
  free(s);
}
END_TEST

START_TEST(manifest_oci_without_media_type)
{
  size_t n;
  char *s = rec("oci-manifest-no-mediatype.json", &n);
  ck_assert_ptr_null(strstr(s, "mediaType\":\"application/vnd.oci.image.manifest"));
  dfl_oci_manifest m;
  char *err = NULL;
  ck_assert_int_eq(dfl_oci_parse_manifest(s, n, NULL, &m, &err), 0);
  ck_assert_int_eq(m.kind, DFL_OCI_IMAGE);
  ck_assert_str_eq(m.media_type, DFL_MT_OCI_MANIFEST);
  dfl_oci_manifest_free(&m);
  free(s);
  const char *idx = "{\"schemaVersion\":2,\"manifests\":[]}";
  ck_assert_int_eq(dfl_oci_parse_manifest(idx, strlen(idx), NULL, &m, &err), 0);
  ck_assert_int_eq(m.kind, DFL_OCI_INDEX);
  dfl_oci_manifest_free(&m);
}
END_TEST

START_TEST(manifest_refused)
{
  dfl_oci_manifest m;
  char *err = NULL;
  const char *s1 = "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}";
  ck_assert_int_eq(dfl_oci_parse_manifest(s1, strlen(s1), NULL, &m, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "schema 1"));
  ck_assert_int_eq(dfl_oci_parse_manifest(s1, strlen(s1),
                                          "application/vnd.docker.distribution.manifest.v1+prettyjws",
                                          &m, &err),
                   -1);
  const char *trunc = "{\"schemaVersion\":2,\"config\":{\"digest\":";
  ck_assert_int_eq(dfl_oci_parse_manifest(trunc, strlen(trunc), NULL, &m, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "not valid JSON"));
  ck_assert_int_eq(dfl_oci_parse_manifest("[1,2]", 5, NULL, &m, &err), -1);
  const char *odd = "{\"mediaType\":\"application/vnd.example+json\"}";
  ck_assert_int_eq(dfl_oci_parse_manifest(odd, strlen(odd), NULL, &m, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "unsupported manifest type application/vnd.example+json"));
  const char *nosize = "{\"mediaType\":\"" DFL_MT_OCI_MANIFEST "\",\"config\":{\"digest\":\"sha256:x\"},"
                       "\"layers\":[]}";
  ck_assert_int_eq(dfl_oci_parse_manifest(nosize, strlen(nosize), NULL, &m, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "size"));
  ck_assert_int_eq(dfl_oci_parse_manifest(NULL, 0, NULL, &m, &err), -1);
  free(err);
}
END_TEST

/* ---- platform choice -------------------------------------------------------------------- */

static const char *choose(const char *file, const char *platform)
{
  static char buf[256];
  size_t n;
  char *s = rec(file, &n);
  dfl_oci_manifest m;
  char *err = NULL;
  ck_assert_int_eq(dfl_oci_parse_manifest(s, n, NULL, &m, &err), 0);
  dfl_platform p;
  ck_assert_int_eq(dfl_platform_parse(platform, strlen(platform), &p, &err), 0);
  long i = dfl_oci_choose_platform(&m, &p, &err);
  if (i < 0) {
    snprintf(buf, sizeof buf, "error: %s", err);
    free(err);
  } else {
    const dfl_oci_descriptor *d = &m.manifests[i];
    snprintf(buf, sizeof buf, "%ld %s/%s%s%s", i, d->os, d->architecture, *d->variant ? "/" : "",
             d->variant);
  }
  dfl_platform_free(&p);
  dfl_oci_manifest_free(&m);
  free(s);
  return buf;
}

START_TEST(platform_choice)
{
  /* the attestation entry comes first in this index */
  ck_assert_str_eq(choose("oci-index-attestations.json", "linux/amd64"), "1 linux/amd64");
  ck_assert_str_eq(choose("oci-index-attestations.json", "linux/arm64"), "2 linux/arm64/v8");
  ck_assert_str_eq(choose("oci-index-attestations.json", "linux/arm64/v8"), "2 linux/arm64/v8");
  ck_assert_str_eq(choose("oci-index-attestations.json", "linux/arm"), "4 linux/arm/v7");
  ck_assert_str_eq(choose("oci-index-attestations.json", "arm64"), "2 linux/arm64/v8");
  /* arm64 without a variant in the index (distroless) */
  ck_assert_str_eq(choose("oci-index-arm64-novariant.json", "linux/arm64"), "1 linux/arm64");
  ck_assert_str_eq(choose("oci-index-arm64-novariant.json", "linux/arm64/v8"), "1 linux/arm64");
  /* arm: the variant asked for, else the highest lower one */
  ck_assert_str_eq(choose("oci-index-platforms.json", "linux/arm/v6"), "2 linux/arm/v6");
  ck_assert_str_eq(choose("oci-index-platforms.json", "linux/arm/v7"), "3 linux/arm/v7");
  ck_assert_str_eq(choose("oci-index-platforms.json", "linux/arm/v8"), "3 linux/arm/v7");
  ck_assert_str_eq(choose("oci-index-platforms.json", "windows/amd64"), "0 windows/amd64");
  ck_assert_str_eq(choose("oci-index-platforms.json", "linux/s390x"), "5 linux/s390x");
  ck_assert_str_eq(choose("docker-manifest-list.json", "linux/arm/v7"), "2 linux/arm/v7");
  /* nothing fits: the message lists what there is, attestations left out */
  ck_assert_str_eq(choose("oci-index-platforms.json", "linux/arm/v5"),
                   "error: no image for linux/arm/v5 in the index (it has: windows/amd64, "
                   "linux/amd64, linux/arm/v6, linux/arm/v7, linux/arm64/v8, linux/s390x)");
  ck_assert_str_eq(choose("oci-index-attestations.json", "linux/ppc64le"),
                   "error: no image for linux/ppc64le in the index (it has: linux/amd64, "
                   "linux/arm64/v8, linux/arm/v7)");
}
END_TEST

START_TEST(platform_attestation_by_annotation)
{
  /* an attestation entry marked only by its annotation is skipped too */
  const char *s =
      "{\"mediaType\":\"" DFL_MT_OCI_INDEX "\",\"manifests\":["
      "{\"mediaType\":\"" DFL_MT_OCI_MANIFEST "\",\"size\":1,\"digest\":\"sha256:" "aa\","
      "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"},"
      "\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}},"
      "{\"mediaType\":\"" DFL_MT_OCI_INDEX "\",\"size\":1,\"digest\":\"sha256:bb\","
      "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
      "{\"mediaType\":\"" DFL_MT_OCI_MANIFEST "\",\"size\":1,\"digest\":\"sha256:cc\","
      "\"platform\":{\"os\":\"Linux\",\"architecture\":\"AMD64\"}}]}";
  dfl_oci_manifest m;
  char *err = NULL;
  ck_assert_int_eq(dfl_oci_parse_manifest(s, strlen(s), NULL, &m, &err), 0);
  dfl_platform p;
  ck_assert_int_eq(dfl_platform_parse("linux/amd64", 11, &p, &err), 0);
  ck_assert_int_eq(dfl_oci_choose_platform(&m, &p, &err), 2);
  dfl_platform_free(&p);
  dfl_oci_manifest_free(&m);
}
END_TEST

START_TEST(config_fields)
{
  size_t n;
  char *s = rec("docker-config-node-amd64.json", &n);
  dfl_image_info in;
  memset(&in, 0, sizeof in);
  char *err = NULL;
  ck_assert_int_eq(dfl_oci_parse_config(s, n, &in, &err), 0);
  ck_assert_str_eq(in.created, "2024-04-11T12:24:01Z");
  ck_assert_str_eq(in.os, "linux");
  ck_assert_str_eq(in.architecture, "amd64");
  ck_assert_ptr_null(in.variant);
  ck_assert_str_eq(in.user, "");
  ck_assert_uint_eq(in.n_env, 3);
  ck_assert_str_eq(in.env[1], "NODE_VERSION=20.12.2");
  ck_assert_uint_eq(in.n_entrypoint, 1);
  ck_assert_str_eq(in.entrypoint[0], "docker-entrypoint.sh");
  ck_assert_str_eq(in.cmd[0], "node");
  ck_assert_uint_eq(in.n_labels, 3);
  dfl_image_info_free(&in);
  free(s);
  s = rec("oci-config-distroless-amd64.json", &n);
  ck_assert_int_eq(dfl_oci_parse_config(s, n, &in, &err), 0);
  ck_assert_str_eq(in.user, "65532");
  ck_assert_str_eq(in.workdir, "/home/nonroot");
  ck_assert_ptr_null(in.entrypoint);
  ck_assert_ptr_null(in.cmd);
  dfl_image_info_free(&in);
  free(s);
  ck_assert_int_eq(dfl_oci_parse_config("{\"os\":", 6, &in, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "image config is not valid JSON"));
  free(err);
  dfl_image_info_free(&in);
}
END_TEST

/* ---- URLs, mirrors ---------------------------------------------------------------------- */

START_TEST(url_policy)
{
  const char *insecure[] = {"reg.corp:5000", "plain.corp"};
  ck_assert(dfl_host_is_loopback("127.0.0.1:5000"));
  ck_assert(dfl_host_is_loopback("127.1.2.3"));
  ck_assert(dfl_host_is_loopback("localhost:1"));
  ck_assert(dfl_host_is_loopback("[::1]:5000"));
  ck_assert(!dfl_host_is_loopback("127.0.0.1.nip.io"));
  ck_assert(!dfl_host_is_loopback("10.0.0.1:5000"));
  ck_assert(dfl_host_plain_http_allowed("reg.corp:5000", insecure, 2));
  ck_assert(!dfl_host_plain_http_allowed("reg.corp:5001", insecure, 2));
  ck_assert(dfl_host_plain_http_allowed("plain.corp:8080", insecure, 2));
  ck_assert(!dfl_host_plain_http_allowed("ghcr.io", insecure, 2));
  const char *why = NULL;
  ck_assert(dfl_redirect_allowed("https://ghcr.io/v2/x", "https://pkg-containers.githubusercontent.com/b",
                                 insecure, 2, &why));
  ck_assert(!dfl_redirect_allowed("https://127.0.0.1:5/v2/x", "http://127.0.0.1:6/x", insecure, 2, &why));
  ck_assert_str_eq(why, "refusing a redirect from https to plain http");
  ck_assert(dfl_redirect_allowed("http://127.0.0.1:5/v2/x", "http://localhost:6/x", insecure, 2, &why));
  ck_assert(!dfl_redirect_allowed("http://127.0.0.1:5/v2/x", "http://cdn.example/x", insecure, 2, &why));
  ck_assert(!dfl_redirect_allowed("https://a/x", "ftp://a/x", insecure, 2, &why));
  ck_assert(dfl_same_origin("https://a.io/v2/x", "https://A.IO:443/blobs"));
  ck_assert(!dfl_same_origin("https://a.io/v2/x", "http://a.io/v2/x"));
  ck_assert(!dfl_same_origin("http://127.0.0.1:5/x", "http://127.0.0.1:6/x"));
  ck_assert(!dfl_same_origin("http://127.0.0.1:5/x", "http://localhost:5/x"));
  char *s = NULL, *h = NULL;
  ck_assert_int_eq(dfl_url_split("HTTPS://Reg.IO:5000/v2/", &s, &h), 0);
  ck_assert_str_eq(s, "https");
  ck_assert_str_eq(h, "reg.io:5000");
  free(s);
  free(h);
  ck_assert_int_eq(dfl_url_split("reg.io/v2", &s, &h), -1);
}
END_TEST

START_TEST(mirrors)
{
  const char *insecure[] = {"mirror.corp"};
  dfl_mirror m[4];
  char *err = NULL;
  ck_assert_int_eq(dfl_mirror_parse("docker.io=http://127.0.0.1:5000/", NULL, 0, &m[0], &err), 0);
  ck_assert_str_eq(m[0].domain, "docker.io");
  ck_assert_str_eq(m[0].url, "http://127.0.0.1:5000");
  ck_assert_int_eq(dfl_mirror_parse("https://mirror.gcr.io", NULL, 0, &m[1], &err), 0);
  ck_assert_str_eq(m[1].domain, "docker.io");
  ck_assert_int_eq(dfl_mirror_parse("index.docker.io=https://art.corp/api/docker/hub/v2/", NULL, 0,
                                    &m[2], &err), 0);
  ck_assert_str_eq(m[2].domain, "docker.io");
  ck_assert_str_eq(m[2].url, "https://art.corp/api/docker/hub");
  ck_assert_int_eq(dfl_mirror_parse("GHCR.io=http://mirror.corp:80", insecure, 1, &m[3], &err), 0);
  ck_assert_str_eq(m[3].domain, "ghcr.io");
  dfl_mirror bad;
  ck_assert_int_eq(dfl_mirror_parse("docker.io=http://mirror.example", NULL, 0, &bad, &err), -1);
  ck_assert_ptr_nonnull(strstr(err, "plain http is only allowed"));
  ck_assert_int_eq(dfl_mirror_parse("=https://x", NULL, 0, &bad, &err), -1);
  ck_assert_int_eq(dfl_mirror_parse("docker.io=ftp://x", NULL, 0, &bad, &err), -1);
  ck_assert_int_eq(dfl_mirror_parse("docker.io=https://x/?q=1", NULL, 0, &bad, &err), -1);
  ck_assert_int_eq(dfl_mirror_parse("docker.io=https://user:pw@x", NULL, 0, &bad, &err), -1);
  ck_assert_int_eq(dfl_mirror_parse("not a url", NULL, 0, &bad, &err), -1);
  free(err);

  dfl_endpoint *e = NULL;
  size_t n = dfl_mirror_endpoints(m, 4, "docker.io", NULL, 0, &e);
  ck_assert_uint_eq(n, 4);
  ck_assert_str_eq(e[0].base, "http://127.0.0.1:5000");
  ck_assert(e[0].mirror);
  ck_assert_str_eq(e[0].cred_host, "127.0.0.1:5000"); /* the mirror's own credentials */
  ck_assert_str_eq(e[1].base, "https://mirror.gcr.io");
  ck_assert_str_eq(e[2].base, "https://art.corp/api/docker/hub");
  ck_assert_str_eq(e[3].base, "https://registry-1.docker.io");
  ck_assert(!e[3].mirror);
  ck_assert_str_eq(e[3].cred_host, "docker.io");
  dfl_endpoints_free(e, n);
  n = dfl_mirror_endpoints(m, 4, "quay.io", NULL, 0, &e);
  ck_assert_uint_eq(n, 1);
  ck_assert_str_eq(e[0].base, "https://quay.io");
  dfl_endpoints_free(e, n);
  for (int i = 0; i < 4; i++)
    dfl_mirror_free(&m[i]);
}
END_TEST

/* ---- credentials ------------------------------------------------------------------------- */

static char tmpdir[256];

static void make_tmpdir(void)
{
  snprintf(tmpdir, sizeof tmpdir, "%s/dflint-reg-unit-XXXXXX",
           getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *dir)
{
  DIR *d = opendir(dir);
  if (!d)
    return;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
      rm_rf(p);
    else
      unlink(p);
  }
  closedir(d);
  rmdir(dir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs(text, f);
  fclose(f);
  chmod(path, mode);
}

START_TEST(credentials_from_config)
{
  dfl_credential c;
  char *err = NULL;
  /* dflint:s3cret, and Docker Hub's legacy key */
  const char *cfg = "{\"auths\":{"
                    "\"https://index.docker.io/v1/\":{\"auth\":\"aHViOmh1YnBhc3M=\"},"
                    "\"127.0.0.1:5000\":{\"auth\":\"ZGZsaW50OnMzY3JldA==\"},"
                    "\"http://reg.corp:8443/v2/\":{\"username\":\"u\",\"password\":\"p:w\"},"
                    "\"id.corp\":{\"identitytoken\":\"refresh-me\"},"
                    "\"tok.corp\":{\"registrytoken\":\"bearer-me\"},"
                    "\"empty.corp\":{}}}";
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "docker.io", 5, &c, &err), 1);
  ck_assert_str_eq(c.username, "hub");
  ck_assert_str_eq(c.secret, "hubpass");
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "registry-1.docker.io", 5, &c, &err), 1);
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "127.0.0.1:5000", 5, &c, &err), 1);
  ck_assert_str_eq(c.username, "dflint");
  ck_assert_str_eq(c.secret, "s3cret");
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "127.0.0.1:5001", 5, &c, &err), 0);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "reg.corp:8443", 5, &c, &err), 1);
  ck_assert_str_eq(c.secret, "p:w");
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "id.corp", 5, &c, &err), 1);
  ck_assert(c.identity);
  ck_assert_str_eq(c.secret, "refresh-me");
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "tok.corp", 5, &c, &err), 1);
  ck_assert_str_eq(c.registry_token, "bearer-me");
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "empty.corp", 5, &c, &err), 0);
  ck_assert_int_eq(dfl_auth_lookup_json("nope", 4, "x", 5, &c, &err), -1);
  free(err);
  char *b = dfl_auth_basic("dflint", "s3cret");
  ck_assert_str_eq(b, "Basic ZGZsaW50OnMzY3JldA==");
  free(b);
  b = dfl_auth_basic("a", "bc");
  ck_assert_str_eq(b, "Basic YTpiYw==");
  free(b);
}
END_TEST

START_TEST(credential_helpers)
{
  make_tmpdir();
  char bin[512], path[1024], log[512];
  snprintf(bin, sizeof bin, "%s/bin", tmpdir);
  mkdir(bin, 0700);
  snprintf(log, sizeof log, "%s/helper.log", tmpdir);
  /* records what it was given on stdin; knows one server */
  char script[2048];
  snprintf(script, sizeof script,
           "#!/bin/sh\n"
           "[ \"$1\" = get ] || exit 3\n"
           "read -r server || true\n"
           "printf '%%s\\n' \"$server\" >> %s\n"
           "case \"$server\" in\n"
           "  https://index.docker.io/v1/) echo '{\"ServerURL\":\"x\",\"Username\":\"hubber\",\"Secret\":\"hubsecret\"}' ;;\n"
           "  tok.corp) echo '{\"Username\":\"<token>\",\"Secret\":\"idtok\"}' ;;\n"
           "  slow.corp) exec sleep 30 ;;\n"
           "  *) echo 'credentials not found in native keychain'; exit 1 ;;\n"
           "esac\n",
           log);
  snprintf(path, sizeof path, "%s/docker-credential-dflinttest", bin);
  write_file(path, script, 0755);
  const char *old = getenv("PATH");
  char newpath[4096];
  snprintf(newpath, sizeof newpath, "%s:%s", bin, old ? old : "/usr/bin:/bin");
  setenv("PATH", newpath, 1);

  dfl_credential c;
  char *err = NULL;
  const char *cfg = "{\"credsStore\":\"dflinttest\",\"auths\":{\"docker.io\":{}},"
                    "\"credHelpers\":{\"special.corp\":\"missinghelper\",\"slow.corp\":\"dflinttest\"}}";
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "docker.io", 5, &c, &err), 1);
  ck_assert_str_eq(c.username, "hubber");
  ck_assert_str_eq(c.secret, "hubsecret");
  ck_assert(!c.identity);
  dfl_credential_free(&c);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "tok.corp", 5, &c, &err), 1);
  ck_assert(c.identity);
  ck_assert_str_eq(c.secret, "idtok");
  dfl_credential_free(&c);
  /* not found: none, and no error */
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "other.corp", 5, &c, &err), 0);
  /* a helper that does not exist: none, with a message */
  free(err);
  err = NULL;
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "special.corp", 5, &c, &err), 0);
  ck_assert_ptr_nonnull(err);
  ck_assert_ptr_nonnull(strstr(err, "docker-credential-missinghelper"));
  /* a helper that hangs is stopped */
  time_t t0 = time(NULL);
  ck_assert_int_eq(dfl_auth_lookup_json(cfg, strlen(cfg), "slow.corp", 1, &c, &err), 0);
  ck_assert_int_le(time(NULL) - t0, 5);
  ck_assert_ptr_nonnull(strstr(err, "timed out"));
  free(err);
  /* a name that is not a plain name never runs anything */
  err = NULL;
  ck_assert_int_eq(dfl_auth_run_helper("../../bin/sh", "x", 1, &c, &err), -1);
  free(err);
  char *seen = tu_read_file(log, NULL);
  ck_assert_str_eq(seen, "https://index.docker.io/v1/\ntok.corp\nother.corp\nslow.corp\n");
  free(seen);
  setenv("PATH", old ? old : "/usr/bin:/bin", 1);
  rm_rf(tmpdir);
}
END_TEST

/* ---- cache --------------------------------------------------------------------------------- */

static void sample_info(dfl_image_info *in, const char *ref, int filler)
{
  memset(in, 0, sizeof *in);
  in->ref = strdup(ref);
  in->platform = strdup("linux/amd64");
  in->digest = digest_of(ref, strlen(ref));
  in->manifest_digest = digest_of("m", 1);
  in->config_digest = digest_of("c", 1);
  in->media_type = strdup(DFL_MT_OCI_INDEX);
  in->layers_bytes = 1000;
  in->config_bytes = 24;
  in->compressed_bytes = 1024;
  in->layers = 2;
  in->created = strdup("2026-01-02T03:04:05Z");
  in->user = strdup("65532");
  in->n_env = (size_t)filler + 1;
  in->env = calloc(in->n_env + 1, sizeof *in->env);
  for (size_t i = 0; i < in->n_env; i++) {
    char e[96];
    snprintf(e, sizeof e, "VAR_%zu=%0*d", i, 40, (int)i);
    in->env[i] = strdup(e);
  }
  in->source = "registry";
  in->fetched_at = 1767312000;
}

START_TEST(cache_roundtrip_ttl_corrupt)
{
  make_tmpdir();
  char dir[512];
  snprintf(dir, sizeof dir, "%s/a/b/dflint", tmpdir); /* created on demand */
  char *key = dfl_registry_key("docker.io/library/alpine:3.20", "linux/amd64");
  dfl_image_info in, out;
  sample_info(&in, "docker.io/library/alpine:3.20", 3);
  ck_assert_int_eq(dfl_cache_put(dir, key, &in), 0);
  int64_t now = (int64_t)time(NULL);
  ck_assert_int_eq(dfl_cache_get(dir, key, 3600, false, now, &out), 1);
  ck_assert_str_eq(out.source, "cache");
  ck_assert_str_eq(out.digest, in.digest);
  ck_assert_int_eq(out.compressed_bytes, 1024);
  ck_assert_uint_eq(out.n_env, 4);
  ck_assert_str_eq(out.user, "65532");
  ck_assert_int_eq(out.fetched_at, 1767312000);
  dfl_image_info_free(&out);
  /* expired, unless the reference is a digest */
  ck_assert_int_eq(dfl_cache_get(dir, key, 10, false, now + 11, &out), 2);
  dfl_image_info_free(&out);
  ck_assert_int_eq(dfl_cache_get(dir, key, 10, true, now + 100000, &out), 1);
  dfl_image_info_free(&out);
  /* another key never reads this entry */
  ck_assert_int_eq(dfl_cache_get(dir, "other\nlinux/amd64", 3600, false, now, &out), 0);
  /* file name: sha256 of the key */
  char *path = dfl_cache_path(dir, key);
  char d[72];
  dfl_sha256_digest(key, strlen(key), d);
  ck_assert_ptr_nonnull(strstr(path, d + 7));
  struct stat st;
  ck_assert_int_eq(stat(path, &st), 0);
  /* a partial entry (as another tool might leave): ignored, then replaced */
  char *text = tu_read_file(path, NULL);
  text[strlen(text) / 2] = '\0';
  write_file(path, text, 0600);
  free(text);
  ck_assert_int_eq(dfl_cache_get(dir, key, 3600, false, now, &out), 0);
  write_file(path, "\x01garbage", 0600);
  ck_assert_int_eq(dfl_cache_get(dir, key, 3600, false, now, &out), 0);
  /* valid JSON, wrong content: a negative size, a bad digest */
  write_file(path, "{\"dflint_cache\":1,\"key\":\"x\",\"stored_at\":1,\"info\":{}}", 0600);
  ck_assert_int_eq(dfl_cache_get(dir, key, 3600, false, now, &out), 0);
  ck_assert_int_eq(dfl_cache_put(dir, key, &in), 0);
  ck_assert_int_eq(dfl_cache_get(dir, key, 3600, false, now, &out), 1);
  dfl_image_info_free(&out);
  /* a failed answer is never cached */
  in.error = strdup("boom");
  ck_assert_int_eq(dfl_cache_put(dir, key, &in), -1);
  /* no temporary file is left behind by successful writes */
  DIR *dd = opendir(dir);
  struct dirent *e;
  int files = 0;
  while ((e = readdir(dd)))
    if (e->d_name[0] != '.')
      files++;
    else
      ck_assert_msg(strncmp(e->d_name, ".tmp-", 5) != 0, "left %s", e->d_name);
  closedir(dd);
  ck_assert_int_eq(files, 1);
  free(path);
  free(key);
  dfl_image_info_free(&in);
  rm_rf(tmpdir);
}
END_TEST

/* 16 writer processes rewrite 4 entries as fast as they can; the parent
 * SIGKILLs them at random moments, several rounds. Afterwards every entry
 * that exists is complete and valid (temporary files of killed writers are
 * ignored), and the cache still works. */
START_TEST(cache_concurrent_kill9)
{
  make_tmpdir();
  char dir[512];
  snprintf(dir, sizeof dir, "%s/cache", tmpdir);
  const char *refs[4] = {"docker.io/library/a:1", "docker.io/library/b:1", "docker.io/library/c:1",
                         "docker.io/library/d:1"};
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  int killed = 0;
  for (int round = 0; round < 4; round++) {
    pid_t pids[16];
    for (int w = 0; w < 16; w++) {
      pid_t p = fork();
      ck_assert_int_ge(p, 0);
      if (p == 0) {
        /* bounded, should the parent die before it kills us */
        time_t stop = time(NULL) + 20;
        for (unsigned it = 0; time(NULL) < stop; it++) {
          int k = (int)((it + (unsigned)w) % 4);
          dfl_image_info in;
          /* entries of different sizes, some large enough to take several writes */
          sample_info(&in, refs[k], (int)((it * 37 + (unsigned)w * 11) % 3000));
          char *key = dfl_registry_key(refs[k], "linux/amd64");
          dfl_cache_put(dir, key, &in);
          free(key);
          dfl_image_info_free(&in);
        }
        _exit(0);
      }
      pids[w] = p;
    }
    for (int w = 0; w < 16; w++) {
      struct timespec ts = {0, (long)(rand() % 15 + 1) * 1000000L};
      nanosleep(&ts, NULL);
      kill(pids[w], SIGKILL);
    }
    for (int w = 0; w < 16; w++) {
      int status;
      waitpid(pids[w], &status, 0);
      if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        killed++;
    }
  }
  ck_assert_int_eq(killed, 64);
  int64_t now = (int64_t)time(NULL);
  int entries = 0, temps = 0;
  DIR *dd = opendir(dir);
  ck_assert_ptr_nonnull(dd);
  struct dirent *e;
  while ((e = readdir(dd))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    if (strncmp(e->d_name, ".tmp-", 5) == 0) {
      temps++;
      continue;
    }
    /* every entry is one of the 4 keys, complete and valid */
    bool matched = false;
    for (int k = 0; k < 4; k++) {
      char *key = dfl_registry_key(refs[k], "linux/amd64");
      char *p = dfl_cache_path(dir, key);
      if (strcmp(strrchr(p, '/') + 1, e->d_name) == 0) {
        dfl_image_info out;
        ck_assert_msg(dfl_cache_get(dir, key, 3600, false, now, &out) == 1,
                      "entry %s is not valid", e->d_name);
        ck_assert_str_eq(out.ref, refs[k]);
        dfl_image_info_free(&out);
        matched = true;
      }
      free(p);
      free(key);
    }
    ck_assert_msg(matched, "unexpected file %s", e->d_name);
    entries++;
  }
  closedir(dd);
  ck_assert_int_ge(entries, 1);
  fprintf(stderr, "cache_concurrent_kill9: %d entries valid, %d temporary files of killed writers\n",
          entries, temps);
  /* the cache still works after all that */
  dfl_image_info in, out;
  sample_info(&in, refs[0], 1);
  char *key = dfl_registry_key(refs[0], "linux/amd64");
  ck_assert_int_eq(dfl_cache_put(dir, key, &in), 0);
  ck_assert_int_eq(dfl_cache_get(dir, key, 3600, false, now, &out), 1);
  ck_assert_uint_eq(out.n_env, 2);
  dfl_image_info_free(&out);
  dfl_image_info_free(&in);
  free(key);
  rm_rf(tmpdir);
}
END_TEST

/* ---- whole fetches through a fake transport ---------------------------------------------- */

typedef struct route {
  const char *url;
  const char *need_auth; /* "Authorization: ..." the request must carry, else 401 */
  const char *challenge; /* WWW-Authenticate of that 401 */
  long status;
  const char *ctype;
  const char *file; /* body from testdata/registry */
  const char *body;
  const char *header; /* one more response header */
  int hits;
} route;

typedef struct pending {
  char *method;
  char *url;
  char **headers;
  size_t n_headers;
  dfl_http_callback cb;
  void *ud;
} pending;

typedef struct fake {
  dfl_transport base;
  route *routes;
  pending q[256];
  size_t head, tail;
  int requests;
  int heads;
  char *last_auth_to_token;
} fake;

static void fake_submit(dfl_transport *t, const dfl_http_request *req, dfl_http_callback cb, void *ud)
{
  fake *f = (fake *)t;
  ck_assert_uint_lt(f->tail, 256);
  pending *p = &f->q[f->tail++];
  p->method = strdup(req->method);
  p->url = strdup(req->url);
  p->headers = NULL;
  p->n_headers = 0;
  for (const char *const *h = req->headers; h && *h; h++) {
    p->headers = realloc(p->headers, (p->n_headers + 1) * sizeof *p->headers);
    p->headers[p->n_headers++] = strdup(*h);
  }
  p->cb = cb;
  p->ud = ud;
}

static bool has_header(const pending *p, const char *h)
{
  for (size_t i = 0; i < p->n_headers; i++)
    if (strcmp(p->headers[i], h) == 0)
      return true;
  return false;
}

static void add_header(dfl_http_response *r, const char *h)
{
  r->headers = realloc(r->headers, (r->n_headers + 1) * sizeof *r->headers);
  r->headers[r->n_headers++] = strdup(h);
}

static void fake_run(dfl_transport *t)
{
  fake *f = (fake *)t;
  while (f->head < f->tail) {
    pending *p = &f->q[f->head++];
    f->requests++;
    if (strcmp(p->method, "HEAD") == 0)
      f->heads++;
    dfl_http_response r;
    memset(&r, 0, sizeof r);
    r.url = strdup(p->url);
    r.attempts = 1;
    route *rt = NULL;
    for (route *x = f->routes; x->url; x++)
      if (strcmp(x->url, p->url) == 0)
        rt = x;
    if (!rt) {
      r.fail = DFL_HTTP_FAIL_CONNECT;
      r.error = strdup("Could not resolve host (fake)");
    } else {
      rt->hits++;
      if (strstr(p->url, "/token?")) {
        free(f->last_auth_to_token);
        f->last_auth_to_token = NULL;
        for (size_t i = 0; i < p->n_headers; i++)
          if (!strncmp(p->headers[i], "Authorization: ", 15))
            f->last_auth_to_token = strdup(p->headers[i]);
      }
      if (rt->need_auth && !has_header(p, rt->need_auth)) {
        r.status = 401;
        char h[512];
        snprintf(h, sizeof h, "www-authenticate: %s", rt->challenge);
        add_header(&r, h);
        r.body = strdup("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        r.body_len = strlen(r.body);
      } else {
        r.status = rt->status;
        if (rt->ctype) {
          char h[256];
          snprintf(h, sizeof h, "content-type: %s", rt->ctype);
          add_header(&r, h);
        }
        if (rt->header)
          add_header(&r, rt->header);
        if (rt->file)
          r.body = rec(rt->file, &r.body_len);
        else {
          r.body = strdup(rt->body ? rt->body : "");
          r.body_len = strlen(r.body);
        }
      }
    }
    if (strcmp(p->method, "HEAD") == 0) {
      free(r.body);
      r.body = strdup("");
      r.body_len = 0;
    }
    p->cb(p->ud, &r);
    dfl_http_response_free(&r);
    free(p->method);
    free(p->url);
    for (size_t i = 0; i < p->n_headers; i++)
      free(p->headers[i]);
    free(p->headers);
  }
}

static void fake_destroy(dfl_transport *t) { (void)t; }
static const dfl_transport_ops fake_ops = {fake_submit, fake_run, fake_destroy};

#define NODE_LIST "sha256:148e30ead00d67a80274a4a171392984fb10894030cd63222781651916c992de"
#define NODE_AMD64 "sha256:dd1eaa375b8853e19fffe1b9fddc3c763faeddb117f33baab5c4ec1c9c1104f3"
#define NODE_CFG "sha256:0f5e7f4928b721a6b661b59e129508741ee7a6c85be88a14752535a88636e4a9"

static route node_routes(const char *base, const char *need, const char *chal, int which)
{
  static char urls[3][256];
  route r;
  memset(&r, 0, sizeof r);
  r.need_auth = need;
  r.challenge = chal;
  r.status = 200;
  switch (which) {
  case 0:
    snprintf(urls[0], sizeof urls[0], "%s/v2/library/node/manifests/20-alpine", base);
    r.url = urls[0];
    r.ctype = DFL_MT_DOCKER_LIST;
    r.file = "docker-manifest-list.json";
    r.header = "docker-content-digest: " NODE_LIST;
    break;
  case 1:
    snprintf(urls[1], sizeof urls[1], "%s/v2/library/node/manifests/" NODE_AMD64, base);
    r.url = urls[1];
    r.ctype = DFL_MT_DOCKER_MANIFEST;
    r.file = "docker-manifest-node-amd64.json";
    break;
  default:
    snprintf(urls[2], sizeof urls[2], "%s/v2/library/node/blobs/" NODE_CFG, base);
    r.url = urls[2];
    r.ctype = "application/octet-stream";
    r.file = "docker-config-node-amd64.json";
  }
  return r;
}

static dfl_registry_opts fake_opts(fake *f)
{
  dfl_registry_opts o;
  memset(&o, 0, sizeof o);
  o.no_cache = true;
  o.docker_config = "/nonexistent/config.json";
  o.transport = &f->base;
  return o;
}

START_TEST(fetch_anonymous_dedup)
{
  route routes[4];
  for (int i = 0; i < 3; i++)
    routes[i] = node_routes("https://registry-1.docker.io", NULL, NULL, i);
  memset(&routes[3], 0, sizeof routes[3]);
  fake f = {{&fake_ops}, routes, {{0}}, 0, 0, 0, 0, NULL};
  dfl_registry_opts o = fake_opts(&f);
  /* three spellings of one image, a bad one, and scratch */
  const char *refs[] = {"node:20-alpine", "docker.io/library/node:20-alpine",
                        "index.docker.io/library/node:20-alpine", "library/Node:1", "scratch"};
  dfl_image_info out[5];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 5, NULL, out), 2);
  for (int i = 0; i < 3; i++) {
    ck_assert_msg(out[i].error == NULL, "%s", out[i].error);
    ck_assert_str_eq(out[i].ref, "docker.io/library/node:20-alpine");
    ck_assert_str_eq(out[i].digest, NODE_LIST);
    ck_assert_str_eq(out[i].manifest_digest, NODE_AMD64);
    ck_assert_str_eq(out[i].config_digest, NODE_CFG);
    ck_assert_int_eq(out[i].compressed_bytes, 470418);
    ck_assert_int_eq(out[i].config_bytes, 1047);
    ck_assert_uint_eq(out[i].layers, 4);
    ck_assert_str_eq(out[i].platform, "linux/amd64");
    ck_assert_str_eq(out[i].source, "registry");
    ck_assert_str_eq(out[i].registry, "https://registry-1.docker.io");
    ck_assert_str_eq(out[i].cmd[0], "node");
  }
  ck_assert_ptr_nonnull(strstr(out[3].error, "must be lowercase"));
  ck_assert_ptr_nonnull(strstr(out[4].error, "scratch"));
  /* each distinct reference once */
  ck_assert_int_eq(routes[0].hits, 1);
  ck_assert_int_eq(routes[1].hits, 1);
  ck_assert_int_eq(routes[2].hits, 1);
  ck_assert_int_eq(f.requests, 3);
  for (int i = 0; i < 5; i++)
    dfl_image_info_free(&out[i]);
}
END_TEST

START_TEST(fetch_bearer_token)
{
  const char *chal = "Bearer realm=\"https://auth.test/token\",service=\"reg.test\","
                     "scope=\"repository:library/node:pull\"";
  route routes[5];
  for (int i = 0; i < 3; i++)
    routes[i] = node_routes("https://reg.test", "Authorization: Bearer tok-123", chal, i);
  route tok = {"https://auth.test/token?service=reg.test&scope=repository%3Alibrary%2Fnode%3Apull",
               NULL, NULL, 200, "application/json", NULL,
               "{\"access_token\":\"tok-123\",\"expires_in\":300}", NULL, 0};
  routes[3] = tok;
  memset(&routes[4], 0, sizeof routes[4]);
  fake f = {{&fake_ops}, routes, {{0}}, 0, 0, 0, 0, NULL};
  dfl_registry_opts o = fake_opts(&f);
  const char *refs[] = {"reg.test/library/node:20-alpine"};
  dfl_image_info out[1];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, "linux/amd64", out), 0);
  ck_assert_str_eq(out[0].digest, NODE_LIST);
  /* one token, then every request carries it: 401 once, then 3 answers */
  ck_assert_int_eq(routes[3].hits, 1);
  ck_assert_int_eq(routes[0].hits, 2);
  ck_assert_int_eq(routes[1].hits, 1);
  ck_assert_int_eq(routes[2].hits, 1);
  ck_assert_ptr_null(f.last_auth_to_token); /* anonymous: no credentials */
  dfl_image_info_free(&out[0]);
}
END_TEST

START_TEST(fetch_auth_loop_is_bounded)
{
  const char *chal = "Bearer realm=\"https://auth.test/token\",service=\"reg.test\"";
  route routes[3];
  routes[0] = node_routes("https://reg.test", "Authorization: Bearer never", chal, 0);
  route tok = {"https://auth.test/token?service=reg.test&scope=repository%3Alibrary%2Fnode%3Apull",
               NULL, NULL, 200, NULL, NULL, "{\"token\":\"tok-x\"}", NULL, 0};
  routes[1] = tok;
  memset(&routes[2], 0, sizeof routes[2]);
  fake f = {{&fake_ops}, routes, {{0}}, 0, 0, 0, 0, NULL};
  dfl_registry_opts o = fake_opts(&f);
  const char *refs[] = {"reg.test/library/node:20-alpine"};
  dfl_image_info out[1];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "even after authenticating"));
  ck_assert_int_le(routes[0].hits, 3);
  ck_assert_int_le(routes[1].hits, 2);
  dfl_image_info_free(&out[0]);
}
END_TEST

START_TEST(fetch_basic_with_config_and_mirror_fallback)
{
  make_tmpdir();
  char cfg[512];
  snprintf(cfg, sizeof cfg, "%s/config.json", tmpdir);
  /* credentials for the origin only; the mirror fails and must not get them */
  write_file(cfg, "{\"auths\":{\"reg.test\":{\"auth\":\"ZGZsaW50OnMzY3JldA==\"}}}", 0600);
  route routes[4];
  for (int i = 0; i < 3; i++)
    routes[i] = node_routes("https://reg.test", "Authorization: Basic ZGZsaW50OnMzY3JldA==",
                            "Basic realm=\"fake\"", i);
  memset(&routes[3], 0, sizeof routes[3]);
  fake f = {{&fake_ops}, routes, {{0}}, 0, 0, 0, 0, NULL};
  dfl_registry_opts o = fake_opts(&f);
  o.docker_config = cfg;
  const char *mirror_specs[] = {"reg.test=https://mirror.test"};
  o.mirrors = mirror_specs;
  o.n_mirrors = 1;
  const char *refs[] = {"reg.test/library/node:20-alpine"};
  dfl_image_info out[1];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert_str_eq(out[0].registry, "https://reg.test");
  ck_assert_ptr_nonnull(strstr(out[0].warning, "mirror https://mirror.test"));
  ck_assert_int_eq(routes[0].hits, 2);
  dfl_image_info_free(&out[0]);
  /* no credentials at all: a clear message */
  o.docker_config = "/nonexistent/config.json";
  o.n_mirrors = 0;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "docker login reg.test"));
  dfl_image_info_free(&out[0]);
  rm_rf(tmpdir);
}
END_TEST

START_TEST(fetch_digest_checks)
{
  route routes[4];
  for (int i = 0; i < 3; i++)
    routes[i] = node_routes("https://reg.test", NULL, NULL, i);
  /* the platform manifest's bytes do not hash to what the list names */
  routes[1].file = "docker-manifest.json";
  memset(&routes[3], 0, sizeof routes[3]);
  fake f = {{&fake_ops}, routes, {{0}}, 0, 0, 0, 0, NULL};
  dfl_registry_opts o = fake_opts(&f);
  const char *refs[] = {"reg.test/library/node:20-alpine"};
  dfl_image_info out[1];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "digest mismatch"));
  dfl_image_info_free(&out[0]);
  /* a Docker-Content-Digest that is not the body's */
  routes[1].file = "docker-manifest-node-amd64.json";
  routes[0].header = "docker-content-digest: " NODE_AMD64;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "Docker-Content-Digest"));
  dfl_image_info_free(&out[0]);
  /* by digest: the bytes must be what was asked for */
  routes[0].header = NULL;
  const char *byd[] = {"reg.test/library/node@" NODE_LIST};
  static char u[256];
  snprintf(u, sizeof u, "https://reg.test/v2/library/node/manifests/%s", NODE_LIST);
  routes[0].url = u;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, byd, 1, NULL, out), 0);
  ck_assert_str_eq(out[0].ref, "reg.test/library/node@" NODE_LIST);
  dfl_image_info_free(&out[0]);
  routes[0].file = "oci-index-attestations.json";
  ck_assert_int_eq(dfl_registry_fetch_many(&o, byd, 1, NULL, out), 1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "digest mismatch"));
  dfl_image_info_free(&out[0]);
}
END_TEST

START_TEST(fetch_stale_cache_fallback)
{
  make_tmpdir();
  route routes[4];
  for (int i = 0; i < 3; i++)
    routes[i] = node_routes("https://reg.test", NULL, NULL, i);
  memset(&routes[3], 0, sizeof routes[3]);
  fake f = {{&fake_ops}, routes, {{0}}, 0, 0, 0, 0, NULL};
  dfl_registry_opts o = fake_opts(&f);
  o.no_cache = false;
  o.cache_dir = tmpdir;
  o.cache_ttl = 3600;
  const char *refs[] = {"reg.test/library/node:20-alpine"};
  dfl_image_info out[1];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert_str_eq(out[0].source, "registry");
  dfl_image_info_free(&out[0]);
  /* fresh: from the cache, no request */
  int before = f.requests;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert_str_eq(out[0].source, "cache");
  ck_assert_str_eq(out[0].digest, NODE_LIST);
  ck_assert_int_eq(f.requests, before);
  dfl_image_info_free(&out[0]);
  /* age the entry: one HEAD finds the same digest, and that is all */
  char *key = dfl_registry_key("reg.test/library/node:20-alpine", "linux/amd64");
  char *path = dfl_cache_path(tmpdir, key);
  json_t *j = json_load_file(path, 0, NULL);
  json_object_set_new(j, "stored_at", json_integer(1000));
  json_dump_file(j, path, 0);
  before = f.requests;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert_int_eq(f.requests, before + 1);
  ck_assert_int_eq(f.heads, 1);
  ck_assert_str_eq(out[0].source, "registry");
  ck_assert(!out[0].stale);
  ck_assert_int_eq(out[0].compressed_bytes, 470418);
  ck_assert_uint_eq(out[0].n_env, 3);
  dfl_image_info_free(&out[0]);
  /* ... and the entry is fresh again */
  before = f.requests;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert_str_eq(out[0].source, "cache");
  ck_assert_int_eq(f.requests, before);
  dfl_image_info_free(&out[0]);
  /* the tag moved: HEAD, then the whole fetch */
  json_dump_file(j, path, 0);
  routes[0].header = "docker-content-digest: " NODE_AMD64;
  before = f.requests;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert_int_eq(f.heads, 2);
  ck_assert_int_eq(f.requests, before + 2); /* HEAD, GET (whose digest check fails) */
  /* ... and as that fetch fails, the expired entry is the answer, marked stale */
  ck_assert(out[0].stale);
  ck_assert_ptr_nonnull(strstr(out[0].warning, "Docker-Content-Digest"));
  dfl_image_info_free(&out[0]);
  routes[0].header = "docker-content-digest: " NODE_LIST;
  /* the registry is gone: the expired answer, marked stale */
  json_dump_file(j, path, 0);
  json_decref(j);
  routes[0].url = "https://gone.test/";
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 0);
  ck_assert(out[0].stale);
  ck_assert_str_eq(out[0].source, "cache");
  ck_assert_ptr_nonnull(strstr(out[0].warning, "expired cached answer"));
  ck_assert_str_eq(out[0].digest, NODE_LIST);
  dfl_image_info_free(&out[0]);
  /* --no-cache: the failure itself */
  o.no_cache = true;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), 1);
  ck_assert_ptr_nonnull(out[0].error);
  dfl_image_info_free(&out[0]);
  free(key);
  free(path);
  rm_rf(tmpdir);
}
END_TEST

START_TEST(fetch_bad_options)
{
  dfl_registry_opts o;
  memset(&o, 0, sizeof o);
  const char *m[] = {"docker.io=http://mirror.example"};
  o.mirrors = m;
  o.n_mirrors = 1;
  char *err = NULL;
  ck_assert_int_eq(dfl_registry_opts_check(&o, &err), -1);
  free(err);
  const char *refs[] = {"alpine"};
  dfl_image_info out[1];
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, NULL, out), -1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "plain http"));
  dfl_image_info_free(&out[0]);
  o.n_mirrors = 0;
  ck_assert_int_eq(dfl_registry_fetch_many(&o, refs, 1, "linux/", out), -1);
  ck_assert_ptr_nonnull(strstr(out[0].error, "--platform"));
  dfl_image_info_free(&out[0]);
}
END_TEST

START_TEST(info_json)
{
  dfl_image_info in, back;
  sample_info(&in, "ghcr.io/x/y:1", 2);
  json_t *j = dfl_image_info_to_json(&in);
  ck_assert_str_eq(json_string_value(json_object_get(j, "fetched_at")), "2026-01-02T00:00:00Z");
  ck_assert(json_is_null(json_object_get(j, "entrypoint")));
  ck_assert_int_eq(dfl_image_info_from_json(j, &back), 0);
  ck_assert_int_eq(back.fetched_at, in.fetched_at);
  ck_assert_str_eq(back.env[2], in.env[2]);
  dfl_image_info_free(&back);
  json_object_set_new(j, "compressed_bytes", json_integer(5));
  ck_assert_int_eq(dfl_image_info_from_json(j, &back), -1);
  json_decref(j);
  dfl_image_info_free(&in);
}
END_TEST

static Suite *suite(void)
{
  Suite *s = suite_create("registry_unit");
  TCase *tc = tcase_create("pure");
  tcase_add_test(tc, sha256_vectors);
  tcase_add_test(tc, challenge_bearer_quoted_commas);
  tcase_add_test(tc, challenge_forms);
  tcase_add_test(tc, token_answers);
  tcase_add_test(tc, error_bodies);
  tcase_add_test(tc, manifest_oci_index);
  tcase_add_test(tc, manifest_docker_list_and_v2);
  tcase_add_test(tc, manifest_oci_without_media_type);
  tcase_add_test(tc, manifest_refused);
  tcase_add_test(tc, platform_choice);
  tcase_add_test(tc, platform_attestation_by_annotation);
  tcase_add_test(tc, config_fields);
  tcase_add_test(tc, url_policy);
  tcase_add_test(tc, mirrors);
  tcase_add_test(tc, info_json);
  suite_add_tcase(s, tc);
  TCase *tx = tcase_create("io");
  tcase_set_timeout(tx, 120);
  tcase_add_test(tx, credentials_from_config);
  tcase_add_test(tx, credential_helpers);
  tcase_add_test(tx, cache_roundtrip_ttl_corrupt);
  tcase_add_test(tx, cache_concurrent_kill9);
  tcase_add_test(tx, fetch_anonymous_dedup);
  tcase_add_test(tx, fetch_bearer_token);
  tcase_add_test(tx, fetch_auth_loop_is_bounded);
  tcase_add_test(tx, fetch_basic_with_config_and_mirror_fallback);
  tcase_add_test(tx, fetch_digest_checks);
  tcase_add_test(tx, fetch_stale_cache_fallback);
  tcase_add_test(tx, fetch_bad_options);
  suite_add_tcase(s, tx);
  return s;
}

int main(void) { return tu_run_suite(suite()); }
