/* Image reference parsing against cases taken from distribution/reference's
 * normalize_test.go and reference_test.go, plus the edge cases Docker's
 * regular expressions and Unicode-aware lower-casing produce. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dflint/refs.h"
#include "testutil.h"

#define L(s) s, sizeof(s) - 1

#define H64 "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define D64 "sha256:" H64
#define DBCC "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"
#define BUSY "sha256:7cc4b5aefd1d0cadf8d97d4350462ba51c694ebca145b08d7d41b41acc8db5aa"
#define HEXID "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"
#define ERR_FMT "invalid reference format"
#define ERR_UPPER "repository name must be lowercase"
#define ERR_LONG "repository name must not be more than 255 characters"
#define ERR_CK_FMT "invalid checksum digest format"
#define ERR_CK_LEN "invalid checksum digest length"
#define ERR_UNSUP "unsupported digest algorithm"
#define LOWER(p) "invalid reference format: repository name (" p ") must be lowercase"

/* ---- ParseNormalizedNamed: accepted inputs ------------------------------ */

typedef struct norm_case {
  const char *in;
  size_t len;
  const char *domain, *path, *tag, *digest;
  const char *string;   /* String() */
  const char *familiar; /* FamiliarString() */
} norm_case;

static const norm_case norm_cases[] = {
  /* normalize_test.go TestValidateReferenceName */
  {L("docker/docker"), "docker.io", "docker/docker", NULL, NULL,
   "docker.io/docker/docker", "docker/docker"},
  {L("library/debian"), "docker.io", "library/debian", NULL, NULL,
   "docker.io/library/debian", "debian"},
  {L("debian"), "docker.io", "library/debian", NULL, NULL,
   "docker.io/library/debian", "debian"},
  {L("docker.io/docker/docker"), "docker.io", "docker/docker", NULL, NULL,
   "docker.io/docker/docker", "docker/docker"},
  {L("docker.io/library/debian"), "docker.io", "library/debian", NULL, NULL,
   "docker.io/library/debian", "debian"},
  {L("docker.io/debian"), "docker.io", "library/debian", NULL, NULL,
   "docker.io/library/debian", "debian"},
  {L("index.docker.io/docker/docker"), "docker.io", "docker/docker", NULL,
   NULL, "docker.io/docker/docker", "docker/docker"},
  {L("index.docker.io/library/debian"), "docker.io", "library/debian", NULL,
   NULL, "docker.io/library/debian", "debian"},
  {L("index.docker.io/debian"), "docker.io", "library/debian", NULL, NULL,
   "docker.io/library/debian", "debian"},
  {L("127.0.0.1:5000/docker/docker"), "127.0.0.1:5000", "docker/docker",
   NULL, NULL, "127.0.0.1:5000/docker/docker", "127.0.0.1:5000/docker/docker"},
  {L("127.0.0.1:5000/library/debian"), "127.0.0.1:5000", "library/debian",
   NULL, NULL, "127.0.0.1:5000/library/debian",
   "127.0.0.1:5000/library/debian"},
  {L("127.0.0.1:5000/debian"), "127.0.0.1:5000", "debian", NULL, NULL,
   "127.0.0.1:5000/debian", "127.0.0.1:5000/debian"},
  {L("192.168.0.1"), "docker.io", "library/192.168.0.1", NULL, NULL,
   "docker.io/library/192.168.0.1", "192.168.0.1"},
  {L("192.168.0.1:80"), "docker.io", "library/192.168.0.1", "80", NULL,
   "docker.io/library/192.168.0.1:80", "192.168.0.1:80"},
  {L("192.168.0.1:8/debian"), "192.168.0.1:8", "debian", NULL, NULL,
   "192.168.0.1:8/debian", "192.168.0.1:8/debian"},
  {L("192.168.0.2:25000/debian"), "192.168.0.2:25000", "debian", NULL, NULL,
   "192.168.0.2:25000/debian", "192.168.0.2:25000/debian"},
  {L("thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"),
   "docker.io",
   "library/thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
   NULL, NULL,
   "docker.io/library/"
   "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
   "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev"},
  {L("[fc00::1]:5000/docker"), "[fc00::1]:5000", "docker", NULL, NULL,
   "[fc00::1]:5000/docker", "[fc00::1]:5000/docker"},
  {L("[fc00::1]:5000/docker/docker"), "[fc00::1]:5000", "docker/docker",
   NULL, NULL, "[fc00::1]:5000/docker/docker", "[fc00::1]:5000/docker/docker"},
  {L("[fc00:1:2:3:4:5:6:7]:5000/library/debian"), "[fc00:1:2:3:4:5:6:7]:5000",
   "library/debian", NULL, NULL, "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
   "[fc00:1:2:3:4:5:6:7]:5000/library/debian"},
  {L("docker.io/" HEXID), "docker.io", "library/" HEXID, NULL, NULL,
   "docker.io/library/" HEXID, HEXID},
  {L("Docker/docker"), "Docker", "docker", NULL, NULL, "Docker/docker",
   "Docker/docker"},
  {L("DOCKER/docker"), "DOCKER", "docker", NULL, NULL, "DOCKER/docker",
   "DOCKER/docker"},
  /* TestValidateRemoteName */
  {L("docker-rules/docker"), "docker.io", "docker-rules/docker", NULL, NULL,
   "docker.io/docker-rules/docker", "docker-rules/docker"},
  {L("docker---rules/docker"), "docker.io", "docker---rules/docker", NULL,
   NULL, "docker.io/docker---rules/docker", "docker---rules/docker"},
  {L("doc/docker"), "docker.io", "doc/docker", NULL, NULL,
   "docker.io/doc/docker", "doc/docker"},
  {L("d/docker"), "docker.io", "d/docker", NULL, NULL, "docker.io/d/docker",
   "d/docker"},
  {L("jess/t"), "docker.io", "jess/t", NULL, NULL, "docker.io/jess/t",
   "jess/t"},
  {L("dock__er/docker"), "docker.io", "dock__er/docker", NULL, NULL,
   "docker.io/dock__er/docker", "dock__er/docker"},
  /* TestParseRepositoryInfo: familiar, full and ambiguous spellings */
  {L("fooo/bar"), "docker.io", "fooo/bar", NULL, NULL, "docker.io/fooo/bar",
   "fooo/bar"},
  {L("docker.io/fooo/bar"), "docker.io", "fooo/bar", NULL, NULL,
   "docker.io/fooo/bar", "fooo/bar"},
  {L("index.docker.io/fooo/bar"), "docker.io", "fooo/bar", NULL, NULL,
   "docker.io/fooo/bar", "fooo/bar"},
  {L("ubuntu"), "docker.io", "library/ubuntu", NULL, NULL,
   "docker.io/library/ubuntu", "ubuntu"},
  {L("nonlibrary/ubuntu"), "docker.io", "nonlibrary/ubuntu", NULL, NULL,
   "docker.io/nonlibrary/ubuntu", "nonlibrary/ubuntu"},
  {L("other/library"), "docker.io", "other/library", NULL, NULL,
   "docker.io/other/library", "other/library"},
  {L("127.0.0.1:8000/private/moonbase"), "127.0.0.1:8000", "private/moonbase",
   NULL, NULL, "127.0.0.1:8000/private/moonbase",
   "127.0.0.1:8000/private/moonbase"},
  {L("127.0.0.1:8000/privatebase"), "127.0.0.1:8000", "privatebase", NULL,
   NULL, "127.0.0.1:8000/privatebase", "127.0.0.1:8000/privatebase"},
  {L("example.com/private/moonbase"), "example.com", "private/moonbase", NULL,
   NULL, "example.com/private/moonbase", "example.com/private/moonbase"},
  {L("example.com/privatebase"), "example.com", "privatebase", NULL, NULL,
   "example.com/privatebase", "example.com/privatebase"},
  {L("example.com:8000/private/moonbase"), "example.com:8000",
   "private/moonbase", NULL, NULL, "example.com:8000/private/moonbase",
   "example.com:8000/private/moonbase"},
  {L("example.com:8000/privatebasee"), "example.com:8000", "privatebasee",
   NULL, NULL, "example.com:8000/privatebasee",
   "example.com:8000/privatebasee"},
  {L("ubuntu-12.04-base"), "docker.io", "library/ubuntu-12.04-base", NULL,
   NULL, "docker.io/library/ubuntu-12.04-base", "ubuntu-12.04-base"},
  {L("index.docker.io/library/ubuntu-12.04-base"), "docker.io",
   "library/ubuntu-12.04-base", NULL, NULL,
   "docker.io/library/ubuntu-12.04-base", "ubuntu-12.04-base"},
  {L("docker.io/foo"), "docker.io", "library/foo", NULL, NULL,
   "docker.io/library/foo", "foo"},
  {L("library/foo/bar"), "docker.io", "library/foo/bar", NULL, NULL,
   "docker.io/library/foo/bar", "library/foo/bar"},
  {L("docker.io/library/foo/bar"), "docker.io", "library/foo/bar", NULL, NULL,
   "docker.io/library/foo/bar", "library/foo/bar"},
  {L("store/foo/bar"), "docker.io", "store/foo/bar", NULL, NULL,
   "docker.io/store/foo/bar", "store/foo/bar"},
  {L("Foo/bar"), "Foo", "bar", NULL, NULL, "Foo/bar", "Foo/bar"},
  {L("FOO/bar"), "FOO", "bar", NULL, NULL, "FOO/bar", "FOO/bar"},
  /* TestParseReferenceWithTagAndDigest */
  {L("busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"),
   "docker.io", "library/busybox", "latest",
   "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
   "docker.io/library/busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa",
   "busybox:latest@sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"},
  /* TestParseAnyReference (named forms) */
  {L("redis:latest"), "docker.io", "library/redis", "latest", NULL,
   "docker.io/library/redis:latest", "redis:latest"},
  {L("redis@" DBCC), "docker.io", "library/redis", NULL, DBCC,
   "docker.io/library/redis@" DBCC, "redis@" DBCC},
  {L("dmcgowan/myapp@" DBCC), "docker.io", "dmcgowan/myapp", NULL, DBCC,
   "docker.io/dmcgowan/myapp@" DBCC, "dmcgowan/myapp@" DBCC},
  {L("docker.io/mcgowan/myapp:latest"), "docker.io", "mcgowan/myapp",
   "latest", NULL, "docker.io/mcgowan/myapp:latest", "mcgowan/myapp:latest"},
  {L("dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9"),
   "docker.io",
   "library/dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
   NULL, NULL,
   "docker.io/library/"
   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9",
   "dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9"},
  {L("dbcc1"), "docker.io", "library/dbcc1", NULL, NULL,
   "docker.io/library/dbcc1", "dbcc1"},
  /* TestNormalizedSplitHostname */
  {L("test.com/foo"), "test.com", "foo", NULL, NULL, "test.com/foo",
   "test.com/foo"},
  {L("test_com/foo"), "docker.io", "test_com/foo", NULL, NULL,
   "docker.io/test_com/foo", "test_com/foo"},
  {L("docker/migrator"), "docker.io", "docker/migrator", NULL, NULL,
   "docker.io/docker/migrator", "docker/migrator"},
  {L("test.com:8080/foo"), "test.com:8080", "foo", NULL, NULL,
   "test.com:8080/foo", "test.com:8080/foo"},
  {L("test-com:8080/foo"), "test-com:8080", "foo", NULL, NULL,
   "test-com:8080/foo", "test-com:8080/foo"},
  {L("xn--n3h.com/foo"), "xn--n3h.com", "foo", NULL, NULL, "xn--n3h.com/foo",
   "xn--n3h.com/foo"},
  {L("xn--n3h.com:18080/foo"), "xn--n3h.com:18080", "foo", NULL, NULL,
   "xn--n3h.com:18080/foo", "xn--n3h.com:18080/foo"},
  /* Our own: hosts, ports, localhost, IPv6 */
  {L("localhost:5000/foo"), "localhost:5000", "foo", NULL, NULL,
   "localhost:5000/foo", "localhost:5000/foo"},
  {L("localhost/foo"), "localhost", "foo", NULL, NULL, "localhost/foo",
   "localhost/foo"},
  {L("LOCALHOST/foo"), "LOCALHOST", "foo", NULL, NULL, "LOCALHOST/foo",
   "LOCALHOST/foo"},
  {L("localhost"), "docker.io", "library/localhost", NULL, NULL,
   "docker.io/library/localhost", "localhost"},
  {L("localhost:5000"), "docker.io", "library/localhost", "5000", NULL,
   "docker.io/library/localhost:5000", "localhost:5000"},
  {L("docker.io"), "docker.io", "library/docker.io", NULL, NULL,
   "docker.io/library/docker.io", "docker.io"},
  {L("Docker.io/foo"), "Docker.io", "foo", NULL, NULL, "Docker.io/foo",
   "Docker.io/foo"},
  {L("MyReg/app:V1"), "MyReg", "app", "V1", NULL, "MyReg/app:V1",
   "MyReg/app:V1"},
  {L("[::1]:5000/foo"), "[::1]:5000", "foo", NULL, NULL, "[::1]:5000/foo",
   "[::1]:5000/foo"},
  {L("[::1]/foo:1"), "[::1]", "foo", "1", NULL, "[::1]/foo:1",
   "[::1]/foo:1"},
  {L("[2001:DB8::1]:443/a/b"), "[2001:DB8::1]:443", "a/b", NULL, NULL,
   "[2001:DB8::1]:443/a/b", "[2001:DB8::1]:443/a/b"},
  {L("gcr.io/distroless/static-debian12:nonroot"), "gcr.io",
   "distroless/static-debian12", "nonroot", NULL,
   "gcr.io/distroless/static-debian12:nonroot",
   "gcr.io/distroless/static-debian12:nonroot"},
  {L("gcr.io/foo"), "gcr.io", "foo", NULL, NULL, "gcr.io/foo", "gcr.io/foo"},
  {L("ghcr.io/owner/repo/sub:v1.2.3-rc.1"), "ghcr.io", "owner/repo/sub",
   "v1.2.3-rc.1", NULL, "ghcr.io/owner/repo/sub:v1.2.3-rc.1",
   "ghcr.io/owner/repo/sub:v1.2.3-rc.1"},
  {L("example.com:5000/foo/bar:1.0"), "example.com:5000", "foo/bar", "1.0",
   NULL, "example.com:5000/foo/bar:1.0", "example.com:5000/foo/bar:1.0"},
  {L("a-b.example.com/c"), "a-b.example.com", "c", NULL, NULL,
   "a-b.example.com/c", "a-b.example.com/c"},
  {L("a/b/c/d:tag@" D64), "docker.io", "a/b/c/d", "tag", D64,
   "docker.io/a/b/c/d:tag@" D64, "a/b/c/d:tag@" D64},
  /* tags: upper case, leading underscore, dots, numbers */
  {L("alpine:3.19"), "docker.io", "library/alpine", "3.19", NULL,
   "docker.io/library/alpine:3.19", "alpine:3.19"},
  {L("alpine:LATEST"), "docker.io", "library/alpine", "LATEST", NULL,
   "docker.io/library/alpine:LATEST", "alpine:LATEST"},
  {L("foo:_t.a-g_1"), "docker.io", "library/foo", "_t.a-g_1", NULL,
   "docker.io/library/foo:_t.a-g_1", "foo:_t.a-g_1"},
  {L("node:20-bookworm-slim"), "docker.io", "library/node",
   "20-bookworm-slim", NULL, "docker.io/library/node:20-bookworm-slim",
   "node:20-bookworm-slim"},
  /* a 64-hex name is rejected only when it is the whole input */
  {L(HEXID ":latest"), "docker.io", "library/" HEXID, "latest", NULL,
   "docker.io/library/" HEXID ":latest", HEXID ":latest"},
  {L(HEXID "0"), "docker.io", "library/" HEXID "0", NULL, NULL,
   "docker.io/library/" HEXID "0", HEXID "0"},
  /* path separators */
  {L("foo__bar"), "docker.io", "library/foo__bar", NULL, NULL,
   "docker.io/library/foo__bar", "foo__bar"},
  {L("foo--bar.baz_qux"), "docker.io", "library/foo--bar.baz_qux", NULL, NULL,
   "docker.io/library/foo--bar.baz_qux", "foo--bar.baz_qux"},
  /* digests: sha384/sha512 lengths, tag and digest together */
  {L("foo@sha384:" H64 "ffffffffffffffffffffffffffffffff"), "docker.io",
   "library/foo", NULL, "sha384:" H64 "ffffffffffffffffffffffffffffffff",
   "docker.io/library/foo@sha384:" H64 "ffffffffffffffffffffffffffffffff",
   "foo@sha384:" H64 "ffffffffffffffffffffffffffffffff"},
  {L("xn--7o8h.com/myimage:xn--7o8h.com@sha512:" H64 H64), "xn--7o8h.com",
   "myimage", "xn--7o8h.com", "sha512:" H64 H64,
   "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" H64 H64,
   "xn--7o8h.com/myimage:xn--7o8h.com@sha512:" H64 H64},
  /* splitDockerDomain takes "foo_bar.com" for a domain; the grammar does
   * not, so Docker ends up with no domain and a three-part path. */
  {L("foo_bar.com/x"), "", "foo_bar.com/x", NULL, NULL, "foo_bar.com/x",
   "foo_bar.com/x"},
  /* parsing stops at len, not at a NUL */
  {"alpine:3.19-and-more", 11, "docker.io", "library/alpine", "3.19", NULL,
   "docker.io/library/alpine:3.19", "alpine:3.19"},
};

static void expect_str(const char *what, const char *in, const char *got,
                       const char *want)
{
  if (!want) {
    ck_assert_msg(got == NULL, "%s of '%s': expected none, got '%s'", what, in,
                  got);
    return;
  }
  ck_assert_msg(got != NULL, "%s of '%s': expected '%s', got none", what, in,
                want);
  ck_assert_msg(strcmp(got, want) == 0, "%s of '%s': expected '%s', got '%s'",
                what, in, want, got);
}

static void expect_owned(const char *what, const char *in, char *got,
                         const char *want)
{
  expect_str(what, in, got, want);
  free(got);
}

START_TEST(normalized_ok)
{
  const norm_case *c = &norm_cases[_i];
  dfl_image_ref r;
  char *err = NULL;
  int rc = dfl_image_ref_parse(c->in, c->len, &r, &err);
  ck_assert_msg(rc == 0, "'%s' failed: %s", c->in, err ? err : "(no message)");
  ck_assert_ptr_null(err);
  expect_str("domain", c->in, r.domain, c->domain);
  expect_str("path", c->in, r.path, c->path);
  expect_str("tag", c->in, r.tag, c->tag);
  expect_str("digest", c->in, r.digest, c->digest);
  char *s = dfl_image_ref_string(&r);
  expect_str("string", c->in, s, c->string);
  expect_owned("familiar", c->in, dfl_image_ref_familiar(&r), c->familiar);

  /* String() is canonical: parsing it again gives the same reference. */
  dfl_image_ref again;
  ck_assert_int_eq(dfl_image_ref_parse(s, strlen(s), &again, NULL), 0);
  expect_owned("reparsed string", s, dfl_image_ref_string(&again), s);
  dfl_image_ref_free(&again);
  /* So does the familiar form, which Docker prints back to users, except
   * that Docker's own familiar form of docker.io/library/<64 hex> is an
   * image ID, which it then refuses. */
  char *fam = dfl_image_ref_familiar(&r);
  if (!dfl_is_image_id(fam, strlen(fam))) {
    ck_assert_int_eq(dfl_image_ref_parse(fam, strlen(fam), &again, NULL), 0);
    expect_owned("reparsed familiar", fam, dfl_image_ref_string(&again), s);
    dfl_image_ref_free(&again);
  }
  free(fam);
  free(s);
  dfl_image_ref_free(&r);
}
END_TEST

/* ---- ParseNormalizedNamed: rejected inputs ------------------------------ */

typedef struct err_case {
  const char *in;
  size_t len;
  const char *err;
} err_case;

static const err_case norm_errors[] = {
  /* TestValidateReferenceName invalid names */
  {L("https://github.com/docker/docker"), ERR_FMT},
  {L("docker/Docker"), LOWER("docker/Docker")},
  {L("-docker"), ERR_FMT},
  {L("-docker/docker"), ERR_FMT},
  {L("-docker.io/docker/docker"), ERR_FMT},
  {L("docker///docker"), ERR_FMT},
  {L("docker.io/docker/Docker"), LOWER("docker/Docker")},
  {L("docker.io/docker///docker"), ERR_FMT},
  {L("[fc00::1]"), ERR_FMT},
  {L("[fc00::1]:5000"), ERR_FMT},
  {L("fc00::1:5000/debian"), ERR_FMT},
  {L("[fe80::1%eth0]:5000/debian"), ERR_FMT},
  {L("[2001:db8:3:4::192.0.2.33]:5000/debian"), ERR_FMT},
  {L(HEXID), "invalid repository name (" HEXID
             "), cannot specify 64-byte hexadecimal strings"},
  /* TestValidateRemoteName invalid names */
  {L("docker-/docker"), ERR_FMT},
  {L("-docker-/docker"), ERR_FMT},
  {L("____/____"), ERR_FMT},
  {L("_docker/_docker"), ERR_FMT},
  {L("dock..er/docker"), ERR_FMT},
  {L("dock_.er/docker"), ERR_FMT},
  {L("dock-.er/docker"), ERR_FMT},
  {L("docker/"), ERR_FMT},
  {L("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_"
     "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_"
     "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255_"
     "this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255/"
     "docker"),
   ERR_LONG},
  /* TestInvalidReferenceComponents */
  {L("-foo"), ERR_FMT},
  /* empty and malformed */
  {L(""), ERR_FMT},
  {L("foo:"), ERR_FMT},
  {L(":tag"), ERR_FMT},
  {L("foo:tag:tag2"), ERR_FMT},
  {L("foo:-tag"), ERR_FMT},
  {L("foo:.tag"), ERR_FMT},
  {L("foo:t/a"), ERR_FMT},
  {L("foo@"), ERR_FMT},
  {L("foo@sha256"), ERR_FMT},
  {L("foo:@" D64), ERR_FMT},
  {L("foo@" D64 "@" D64), ERR_FMT},
  {L("/foo"), ERR_FMT},
  {L("foo/"), ERR_FMT},
  {L("foo//bar"), ERR_FMT},
  {L("foo___bar"), ERR_FMT},
  {L("foo_.bar"), ERR_FMT},
  {L("foo-_bar"), ERR_FMT},
  {L("foo-"), ERR_FMT},
  {L("foo."), ERR_FMT},
  {L("foo bar"), ERR_FMT},
  {L(" foo"), ERR_FMT},
  {L("foo\n"), ERR_FMT},
  {L("foo\t:1"), ERR_FMT},
  {L("$image"), ERR_FMT},
  {L("${image}:1"), ERR_FMT},
  {L("$IMAGE"), LOWER("library/$IMAGE")},
  {L("${IMAGE}:1"), LOWER("library/${IMAGE}")},
  {L("aa/asdf$$^/aa"), ERR_FMT},
  {L("example.com:/foo"), ERR_FMT},
  {L("example.com:abc/foo"), ERR_FMT},
  {L("example.com:5000:6000/foo"), ERR_FMT},
  {L("a..b/c"), ERR_FMT},
  {L("-a.com/b"), ERR_FMT},
  {L("a-.com/b"), ERR_FMT},
  {L("::1/foo"), ERR_FMT},
  {L("[::1]:5000"), ERR_FMT},
  {L("[]:5000/foo"), ERR_FMT},
  {L("[::1]x/foo"), ERR_FMT},
  {L("[::1]:/foo"), ERR_FMT},
  {L("[g::1]/foo"), ERR_FMT},
  {L("[::1/foo"), ERR_FMT},
  {L("[fe80::1%@invalidzone]:5000/repo"), ERR_FMT},
  /* lower-case rule: the remainder up to its first ':' is quoted */
  {L("Alpine"), LOWER("library/Alpine")},
  {L("Alpine:3.19"), LOWER("library/Alpine")},
  {L("docker.io/Alpine"), LOWER("library/Alpine")},
  {L("index.docker.io/Foo/bar"), LOWER("Foo/bar")},
  {L("ghcr.io/Owner/repo:v1"), LOWER("Owner/repo")},
  {L("localhost:5000/Foo"), LOWER("Foo")},
  {L("MyReg:5000/App"), LOWER("App")},
  {L("test:5000/Uppercase/lowercase:tag"), LOWER("Uppercase/lowercase")},
  {L("foo/bar/Baz@" D64), LOWER("foo/bar/Baz@sha256")},
  {L("foo@SHA256:" H64), LOWER("library/foo@SHA256")},
  {L(HEXID "A"), LOWER("library/" HEXID "A")},
  {L("1A3F5E7D9C1B3A5F7E9D1C3B5A7F9E1D3C5B7A9F1E3D5D7C9B1A3F5E7D9C1B3A"),
   LOWER("library/1A3F5E7D9C1B3A5F7E9D1C3B5A7F9E1D3C5B7A9F1E3D5D7C9B1A3F5E7D9C1B3A")},
  /* upper case in a domain that the grammar rejects, so the lower-cased
   * retry decides the message */
  {L("Foo_bar/x"), ERR_UPPER},
  {L("Uppercase:tag"), LOWER("library/Uppercase")},
  /* digests (go-digest v1.0.0 messages) */
  {L("foo@sha256:abc"), ERR_FMT},
  {L("foo@sha256:ffffffffffffffffffffffffffffffff"), ERR_CK_LEN},
  {L("repo@sha256:ffffffffffffffffffffffffffffffffff"), ERR_CK_LEN},
  {L("foo@sha256:" H64 "f"), ERR_CK_LEN},
  {L("foo@sha512:" H64), ERR_CK_LEN},
  {L("foo@sha384:" H64), ERR_CK_LEN},
  {L("foo@sha256:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"),
   ERR_CK_FMT},
  {L("foo:tag@SHA256:" H64), ERR_CK_FMT},
  {L("foo:tag@Sha256+B64:" H64), ERR_CK_FMT},
  {L("validname@invaliddigest:" H64), ERR_UNSUP},
  {L("foo@md5:ffffffffffffffffffffffffffffffff"), ERR_UNSUP},
  {L("foo@sha256+b64:" H64), ERR_UNSUP},
  {L("foo@sha256.x:" H64), ERR_UNSUP},
  {L("foo@sha256:" H64 "g"), ERR_FMT},
  {L("foo@1sha:" H64), ERR_FMT},
  {L("foo@sha--256:" H64), ERR_FMT},
  {L("foo@:" H64), ERR_FMT},
  /* a name that is too long wins over a bad digest (checked first) */
  {L("example.com/"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
     "@sha256:ffffffffffffffffffffffffffffffff"),
   ERR_LONG},
  /* NUL bytes are ordinary invalid characters, not terminators */
  {L("alpine\0"), ERR_FMT},
  {L("foo\0bar:1"), ERR_FMT},
  {L("\0"), ERR_FMT},
  {L("alpine:3\0"), ERR_FMT},
  /* non-ASCII: Go lower-cases with Unicode rules, and an invalid UTF-8
   * byte "changes" under ToLower (it becomes U+FFFD) */
  {L("caf\xc3\xa9"), ERR_FMT},
  {L("CAF\xc3\x89"), LOWER("library/CAF\xc3\x89")},
  {L("caf\xc3\x89"), LOWER("library/caf\xc3\x89")},
  {L("foo/\xce\xa3igma"), LOWER("foo/\xce\xa3igma")},
  {L("foo/\xcf\x83igma"), ERR_FMT},
  {L("foo\xff"), LOWER("library/foo\xff")},
  {L("foo:\xff"), ERR_FMT},
  {L("\xef\xbf\xbd"), ERR_FMT},
  /* KELVIN SIGN and LATIN CAPITAL I WITH DOT ABOVE lower-case to ASCII, so
   * Docker's lower-cased retry matches and blames upper case */
  {L("foo:\xe2\x84\xaa"), ERR_UPPER},
  {L("foo:\xc4\xb0"), ERR_UPPER},
  {L("\xe2\x84\xaa" "oo.com/bar"), ERR_UPPER},
  {L("\xe2\x84\xaa" "oo/bar"), ERR_UPPER},
  {L("foo/\xe2\x84\xaa"), LOWER("foo/\xe2\x84\xaa")},
  /* non-ASCII host that lower-cases to non-ASCII */
  {L("\xc3\x84.com/bar"), ERR_FMT},
  {L("b\xc3\xbc" "cher.de/x"), ERR_FMT},
};

START_TEST(normalized_error)
{
  const err_case *c = &norm_errors[_i];
  dfl_image_ref r;
  char *err = NULL;
  int rc = dfl_image_ref_parse(c->in, c->len, &r, &err);
  ck_assert_msg(rc == -1, "case %d '%s' unexpectedly parsed", _i, c->in);
  ck_assert_ptr_null(r.domain);
  ck_assert_ptr_null(r.path);
  ck_assert_msg(err != NULL, "case %d: no message", _i);
  ck_assert_msg(strcmp(err, c->err) == 0,
                "case %d '%s': expected '%s', got '%s'", _i, c->in, c->err,
                err);
  free(err);
  /* Same answer through ParseDockerRef, and err may be NULL. */
  ck_assert_int_eq(dfl_image_ref_parse_docker(c->in, c->len, &r, &err), -1);
  ck_assert_str_eq(err, c->err);
  free(err);
  ck_assert_int_eq(dfl_image_ref_parse(c->in, c->len, &r, NULL), -1);
}
END_TEST

/* ---- reference.Parse (no normalization): reference_test.go -------------- */

typedef struct raw_case {
  const char *in;
  size_t len;
  const char *err;
  const char *name; /* Name() */
  const char *domain, *tag, *digest;
} raw_case;

static const raw_case raw_cases[] = {
  {L("test_com"), NULL, "test_com", "", NULL, NULL},
  {L("test.com:tag"), NULL, "test.com", "", "tag", NULL},
  {L("test.com:5000"), NULL, "test.com", "", "5000", NULL},
  {L("test.com/repo:tag"), NULL, "test.com/repo", "test.com", "tag", NULL},
  {L("test:5000/repo"), NULL, "test:5000/repo", "test:5000", NULL, NULL},
  {L("test:5000/repo:tag"), NULL, "test:5000/repo", "test:5000", "tag", NULL},
  {L("test:5000/repo@" D64), NULL, "test:5000/repo", "test:5000", NULL, D64},
  {L("test:5000/repo:tag@" D64), NULL, "test:5000/repo", "test:5000", "tag",
   D64},
  {L(""), "repository name must have at least one component", NULL, NULL, NULL,
   NULL},
  {L(":justtag"), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("@" D64), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("repo@sha256:ffffffffffffffffffffffffffffffffff"), ERR_CK_LEN, NULL, NULL,
   NULL, NULL},
  {L("validname@invaliddigest:" H64), ERR_UNSUP, NULL, NULL, NULL, NULL},
  {L("Uppercase:tag"), ERR_UPPER, NULL, NULL, NULL, NULL},
  {L("Uppercase/lowercase:tag"), NULL, "Uppercase/lowercase", "Uppercase",
   "tag", NULL},
  {L("test:5000/Uppercase/lowercase:tag"), ERR_UPPER, NULL, NULL, NULL, NULL},
  {L("lowercase:Uppercase"), NULL, "lowercase", "", "Uppercase", NULL},
  {L("aa/asdf$$^/aa"), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("sub-dom1.foo.com/bar/baz/quux"), NULL, "sub-dom1.foo.com/bar/baz/quux",
   "sub-dom1.foo.com", NULL, NULL},
  {L("sub-dom1.foo.com/bar/baz/quux:some-long-tag"), NULL,
   "sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "some-long-tag", NULL},
  {L("b.gcr.io/test.example.com/my-app:test.example.com"), NULL,
   "b.gcr.io/test.example.com/my-app", "b.gcr.io", "test.example.com", NULL},
  {L("xn--n3h.com/myimage:xn--n3h.com"), NULL, "xn--n3h.com/myimage",
   "xn--n3h.com", "xn--n3h.com", NULL},
  {L("xn--7o8h.com/myimage:xn--7o8h.com@sha512:" H64 H64), NULL,
   "xn--7o8h.com/myimage", "xn--7o8h.com", "xn--7o8h.com", "sha512:" H64 H64},
  {L("foo_bar.com:8080"), NULL, "foo_bar.com", "", "8080", NULL},
  {L("foo/foo_bar.com:8080"), NULL, "foo/foo_bar.com", "foo", "8080", NULL},
  {L("192.168.1.1"), NULL, "192.168.1.1", "", NULL, NULL},
  {L("192.168.1.1:tag"), NULL, "192.168.1.1", "", "tag", NULL},
  {L("192.168.1.1:5000"), NULL, "192.168.1.1", "", "5000", NULL},
  {L("192.168.1.1/repo"), NULL, "192.168.1.1/repo", "192.168.1.1", NULL, NULL},
  {L("192.168.1.1:5000/repo"), NULL, "192.168.1.1:5000/repo",
   "192.168.1.1:5000", NULL, NULL},
  {L("192.168.1.1:5000/repo:5050"), NULL, "192.168.1.1:5000/repo",
   "192.168.1.1:5000", "5050", NULL},
  {L("[2001:db8::1]"), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("[2001:db8::1]:5000"), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("[2001:db8::1]:tag"), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("[2001:db8::1]/repo"), NULL, "[2001:db8::1]/repo", "[2001:db8::1]", NULL,
   NULL},
  {L("[2001:db8:1:2:3:4:5:6]/repo:tag"), NULL, "[2001:db8:1:2:3:4:5:6]/repo",
   "[2001:db8:1:2:3:4:5:6]", "tag", NULL},
  {L("[2001:db8::1]:5000/repo"), NULL, "[2001:db8::1]:5000/repo",
   "[2001:db8::1]:5000", NULL, NULL},
  {L("[2001:db8::1]:5000/repo:tag"), NULL, "[2001:db8::1]:5000/repo",
   "[2001:db8::1]:5000", "tag", NULL},
  {L("[2001:db8::1]:5000/repo@" D64), NULL, "[2001:db8::1]:5000/repo",
   "[2001:db8::1]:5000", NULL, D64},
  {L("[2001:db8::1]:5000/repo:tag@" D64), NULL, "[2001:db8::1]:5000/repo",
   "[2001:db8::1]:5000", "tag", D64},
  {L("[2001:db8::]:5000/repo"), NULL, "[2001:db8::]:5000/repo",
   "[2001:db8::]:5000", NULL, NULL},
  {L("[::1]:5000/repo"), NULL, "[::1]:5000/repo", "[::1]:5000", NULL, NULL},
  {L("[fe80::1%eth0]:5000/repo"), ERR_FMT, NULL, NULL, NULL, NULL},
  {L("[fe80::1%@invalidzone]:5000/repo"), ERR_FMT, NULL, NULL, NULL, NULL},
  /* TestSerialization */
  {L("example.com:8000/named"), NULL, "example.com:8000/named",
   "example.com:8000", NULL, NULL},
  {L("example.com:8000/named:tagged"), NULL, "example.com:8000/named",
   "example.com:8000", "tagged", NULL},
  {L("other.com/named@sha256:"
     "1234567890098765432112345667890098765432112345667890098765432112"),
   NULL, "other.com/named", "other.com", NULL,
   "sha256:1234567890098765432112345667890098765432112345667890098765432112"},
  /* TestDomainAndPath */
  {L("test_com/foo"), NULL, "test_com/foo", "", NULL, NULL},
  {L("test:8080/foo"), NULL, "test:8080/foo", "test:8080", NULL, NULL},
  {L("xn--n3h.com:18080/foo"), NULL, "xn--n3h.com:18080/foo",
   "xn--n3h.com:18080", NULL, NULL},
  /* a name that is also a valid path is still split off as the domain */
  {L("docker.io/library/foo"), NULL, "docker.io/library/foo", "docker.io",
   NULL, NULL},
  {L("a/b"), NULL, "a/b", "a", NULL, NULL},
};

START_TEST(raw_parse)
{
  const raw_case *c = &raw_cases[_i];
  dfl_image_ref r;
  char *err = NULL;
  int rc = dfl_image_ref_parse_raw(c->in, c->len, &r, &err);
  if (c->err) {
    ck_assert_msg(rc == -1, "'%s' unexpectedly parsed", c->in);
    ck_assert_msg(err && strcmp(err, c->err) == 0,
                  "'%s': expected '%s', got '%s'", c->in, c->err, err);
    free(err);
    return;
  }
  ck_assert_msg(rc == 0, "'%s' failed: %s", c->in, err);
  expect_owned("name", c->in, dfl_image_ref_name(&r), c->name);
  expect_str("domain", c->in, r.domain, c->domain);
  expect_str("tag", c->in, r.tag, c->tag);
  expect_str("digest", c->in, r.digest, c->digest);
  /* reference_test.go: String() gives back the input. */
  expect_owned("string", c->in, dfl_image_ref_string(&r), c->in);
  dfl_image_ref_free(&r);
}
END_TEST

/* ---- ParseDockerRef ----------------------------------------------------- */

typedef struct docker_case {
  const char *in;
  const char *string;
} docker_case;

static const docker_case docker_cases[] = {
  {"busybox", "docker.io/library/busybox:latest"},
  {"busybox:1.36", "docker.io/library/busybox:1.36"},
  {"busybox@" BUSY, "docker.io/library/busybox@" BUSY},
  {"busybox:latest@" BUSY, "docker.io/library/busybox@" BUSY},
  {"docker.io/library/busybox:latest@" BUSY, "docker.io/library/busybox@" BUSY},
  {"ghcr.io/a/b", "ghcr.io/a/b:latest"},
  {"localhost:5000/x:1@" D64, "localhost:5000/x@" D64},
  {"index.docker.io/bitnami/redis", "docker.io/bitnami/redis:latest"},
};

START_TEST(docker_ref)
{
  const docker_case *c = &docker_cases[_i];
  dfl_image_ref r;
  char *err = NULL;
  ck_assert_msg(dfl_image_ref_parse_docker(c->in, strlen(c->in), &r, &err) == 0,
                "'%s': %s", c->in, err);
  expect_owned("string", c->in, dfl_image_ref_string(&r), c->string);
  dfl_image_ref_free(&r);
}
END_TEST

/* ---- helpers ------------------------------------------------------------ */

static dfl_image_ref must_parse(const char *s)
{
  dfl_image_ref r;
  char *err = NULL;
  ck_assert_msg(dfl_image_ref_parse(s, strlen(s), &r, &err) == 0, "'%s': %s",
                s, err);
  return r;
}

START_TEST(familiar_name)
{
  static const char *const cases[][2] = {
    {"alpine:3.19", "alpine"},
    {"docker.io/library/redis", "redis"},
    {"docker.io/dmcgowan/myapp:1", "dmcgowan/myapp"},
    {"library/a/b", "library/a/b"},
    {"docker.io/library/library", "library"},
    {"library/library", "library"},
    {"ghcr.io/x/y@" D64, "ghcr.io/x/y"},
    {"gcr.io/library/foo", "gcr.io/library/foo"},
    {"localhost/library/foo", "localhost/library/foo"},
    {"Foo/bar", "Foo/bar"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dfl_image_ref r = must_parse(cases[i][0]);
    expect_owned("familiar name", cases[i][0], dfl_image_ref_familiar_name(&r),
                 cases[i][1]);
    dfl_image_ref_free(&r);
  }
}
END_TEST

START_TEST(registry_host)
{
  static const char *const cases[][2] = {
    {"alpine", "registry-1.docker.io"},
    {"index.docker.io/foo/bar", "registry-1.docker.io"},
    {"docker.io/foo/bar", "registry-1.docker.io"},
    {"registry-1.docker.io/foo/bar", "registry-1.docker.io"},
    {"ghcr.io/a/b", "ghcr.io"},
    {"localhost:5000/a", "localhost:5000"},
    {"[::1]:5000/a", "[::1]:5000"},
    {"127.0.0.1:5000/a", "127.0.0.1:5000"},
    {"MyReg/app", "MyReg"},
    {"foo_bar.com/x", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    dfl_image_ref r = must_parse(cases[i][0]);
    expect_str("registry host", cases[i][0], dfl_image_ref_registry_host(&r),
               cases[i][1]);
    dfl_image_ref_free(&r);
  }
  dfl_image_ref hub = must_parse("alpine");
  dfl_image_ref other = must_parse("registry-1.docker.io/library/alpine");
  ck_assert(dfl_image_ref_is_docker_hub(&hub));
  ck_assert(!dfl_image_ref_is_docker_hub(&other));
  /* registry-1.docker.io is a host like any other for naming purposes */
  expect_owned("familiar", "registry-1.docker.io/library/alpine",
               dfl_image_ref_familiar(&other),
               "registry-1.docker.io/library/alpine");
  dfl_image_ref_free(&hub);
  dfl_image_ref_free(&other);
}
END_TEST

START_TEST(tag_and_manifest_ref)
{
  dfl_image_ref r = must_parse("alpine");
  ck_assert_str_eq(dfl_image_ref_tag_or_latest(&r), "latest");
  ck_assert_str_eq(dfl_image_ref_manifest_ref(&r), "latest");
  ck_assert_ptr_null(r.tag);
  dfl_image_ref_tag_name_only(&r);
  ck_assert_str_eq(r.tag, "latest");
  dfl_image_ref_tag_name_only(&r); /* idempotent */
  expect_owned("string", "alpine", dfl_image_ref_string(&r),
               "docker.io/library/alpine:latest");
  dfl_image_ref_free(&r);

  r = must_parse("alpine:3.19");
  ck_assert_str_eq(dfl_image_ref_tag_or_latest(&r), "3.19");
  ck_assert_str_eq(dfl_image_ref_manifest_ref(&r), "3.19");
  dfl_image_ref_free(&r);

  r = must_parse("alpine:3.19@" D64);
  ck_assert_str_eq(dfl_image_ref_tag_or_latest(&r), "3.19");
  ck_assert_str_eq(dfl_image_ref_manifest_ref(&r), D64);
  dfl_image_ref_free(&r);

  r = must_parse("alpine@" D64);
  ck_assert_str_eq(dfl_image_ref_tag_or_latest(&r), "latest");
  ck_assert_str_eq(dfl_image_ref_manifest_ref(&r), D64);
  dfl_image_ref_tag_name_only(&r); /* a digest is enough: no tag added */
  ck_assert_ptr_null(r.tag);
  dfl_image_ref_free(&r);
}
END_TEST

START_TEST(set_tag_and_digest)
{
  /* reference_test.go TestWithTag / TestWithDigest and
   * normalize_test.go TestInvalidReferenceComponents */
  char *err = NULL;
  dfl_image_ref r;
  ck_assert_int_eq(dfl_image_ref_parse_raw(L("test.com:8000/foo"), &r, NULL), 0);
  ck_assert_int_eq(dfl_image_ref_set_tag(&r, L("TAG5"), &err), 0);
  ck_assert_ptr_null(err);
  expect_owned("string", "with tag", dfl_image_ref_string(&r),
               "test.com:8000/foo:TAG5");
  ck_assert_int_eq(dfl_image_ref_set_digest(
                       &r, L("sha256:1234567890098765432112345667890098765"),
                       &err),
                   0);
  expect_owned("string", "with digest", dfl_image_ref_string(&r),
               "test.com:8000/foo:TAG5@sha256:1234567890098765432112345667890098765");
  ck_assert_int_eq(dfl_image_ref_set_tag(&r, L("-foo"), &err), -1);
  ck_assert_str_eq(err, "invalid tag format");
  free(err);
  ck_assert_str_eq(r.tag, "TAG5"); /* unchanged on failure */
  ck_assert_int_eq(dfl_image_ref_set_digest(&r, L("foo"), &err), -1);
  ck_assert_str_eq(err, "invalid digest format");
  free(err);
  ck_assert_int_eq(dfl_image_ref_set_tag(&r, "", 0, NULL), -1);
  ck_assert_int_eq(dfl_image_ref_set_digest(&r, L("sha256:abc"), NULL), -1);
  ck_assert_int_eq(
      dfl_image_ref_set_tag(&r, L("a23456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"), NULL),
      -1);
  ck_assert_int_eq(
      dfl_image_ref_set_tag(&r, L("a2345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678"), NULL),
      0);
  dfl_image_ref_free(&r);

  r = must_parse("foo");
  ck_assert_int_eq(dfl_image_ref_set_digest(&r, L(DBCC), NULL), 0);
  expect_owned("string", "foo@", dfl_image_ref_string(&r),
               "docker.io/library/foo@" DBCC);
  dfl_image_ref_free(&r);
  dfl_image_ref_free(&r); /* safe twice */
  dfl_image_ref_free(NULL);
}
END_TEST

START_TEST(image_id)
{
  ck_assert(dfl_is_image_id(L(HEXID)));
  ck_assert(!dfl_is_image_id(L(HEXID "0")));
  ck_assert(!dfl_is_image_id(HEXID, 63));
  ck_assert(!dfl_is_image_id(
      L("1A3F5E7D9C1B3A5F7E9D1C3B5A7F9E1D3C5B7A9F1E3D5D7C9B1A3F5E7D9C1B3A")));
  ck_assert(!dfl_is_image_id(L("sha256:" HEXID)));
  ck_assert(!dfl_is_image_id("", 0));
}
END_TEST

/* ---- limits built at run time ------------------------------------------- */

static char *repeat(const char *prefix, const char *unit, size_t times,
                    const char *suffix)
{
  size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix);
  char *s = malloc(pl + ul * times + sl + 1);
  ck_assert_ptr_nonnull(s);
  memcpy(s, prefix, pl);
  for (size_t i = 0; i < times; i++)
    memcpy(s + pl + i * ul, unit, ul);
  memcpy(s + pl + ul * times, suffix, sl + 1);
  return s;
}

static void expect_parse(char *s, const char *want_err)
{
  dfl_image_ref r;
  char *err = NULL;
  int rc = dfl_image_ref_parse(s, strlen(s), &r, &err);
  if (want_err) {
    ck_assert_msg(rc == -1, "%zu-byte input unexpectedly parsed", strlen(s));
    ck_assert_str_eq(err, want_err);
    free(err);
  } else {
    ck_assert_msg(rc == 0, "%zu-byte input failed: %s", strlen(s), err);
    dfl_image_ref_free(&r);
  }
  free(s);
}

START_TEST(length_limits)
{
  /* library/ counts towards the 255: a lone name may have 247 characters */
  expect_parse(repeat("", "a", 247, ""), NULL);
  expect_parse(repeat("", "a", 248, ""), ERR_LONG);
  expect_parse(repeat("", "a", 248, ":tag"), ERR_LONG);
  expect_parse(repeat("ns/", "a", 252, ""), NULL);
  expect_parse(repeat("ns/", "a", 253, ""), ERR_LONG);
  /* the domain does not count (distribution/reference v0.6.0) */
  expect_parse(repeat("example.com/", "a", 255, ":tag"), NULL);
  expect_parse(repeat("example.com/", "a", 256, ""), ERR_LONG);
  expect_parse(repeat("domain/", "a", 256, ":tag"), ERR_LONG);
  char *host = repeat("", "a", 300, ".com/");
  expect_parse(repeat(host, "b", 10, ""), NULL);
  free(host);
  /* "a" is no domain for ParseNormalizedNamed, so all of "a/a/..." is the
   * Docker Hub path ... */
  expect_parse(repeat("", "a/", 127, "a:tag-puts-this-over-max"), NULL);
  expect_parse(repeat("", "a/", 128, "a:tag"), ERR_LONG);
  /* ... while reference.Parse splits "a" off as the domain, leaving 255
   * (reference_test.go; v0.5.0 counted the domain and failed here) */
  char *s = repeat("", "a/", 128, "a:tag");
  dfl_image_ref r;
  ck_assert_int_eq(dfl_image_ref_parse_raw(s, strlen(s), &r, NULL), 0);
  ck_assert_str_eq(r.domain, "a");
  ck_assert_uint_eq(strlen(r.path), 255);
  dfl_image_ref_free(&r);
  free(s);
  s = repeat("", "a/", 129, "a:tag");
  char *err = NULL;
  ck_assert_int_eq(dfl_image_ref_parse_raw(s, strlen(s), &r, &err), -1);
  ck_assert_str_eq(err, ERR_LONG);
  free(err);
  free(s);
  /* tags: 128 characters at most */
  expect_parse(repeat("foo:", "t", 128, ""), NULL);
  expect_parse(repeat("foo:", "t", 129, ""), ERR_FMT);
  /* digests: the grammar takes any length from 32, go-digest wants 64 */
  expect_parse(repeat("foo@sha256:", "0", 31, ""), ERR_FMT);
  expect_parse(repeat("foo@sha256:", "0", 32, ""), ERR_CK_LEN);
  expect_parse(repeat("foo@sha256:", "0", 64, ""), NULL);
  expect_parse(repeat("foo@sha256:", "0", 1000, ""), ERR_CK_LEN);
  expect_parse(repeat("foo@sha512:", "0", 128, ""), NULL);
}
END_TEST

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(linear_time)
{
  /* Inputs shaped to make a backtracking matcher explode; each is 1 MB. */
  enum { MB = 1 << 20 };
  char *inputs[] = {
    repeat("", "a", MB, ""),
    repeat("", "a/", MB / 2, "a"),
    repeat("", "a-", MB / 2, "!"),
    repeat("", "a_", MB / 2, "_"),
    repeat("", "A", MB, ""),
    repeat("a.com/", "a", MB, ":tag"),
    repeat("", "a.", MB / 2, "com/x"),
    repeat("[", ":", MB, "]:5000/x"),
    repeat("host:", "5", MB, "/x"),
    repeat("foo@sha256:", "f", MB, ""),
    repeat("foo@", "a.", MB / 2, ":" H64),
    repeat("foo:", "t", MB, ""),
    repeat("", ":", MB, ""),
    repeat("", "/", MB, ""),
    repeat("", "@", MB, ""),
    repeat("", "\xe2\x84\xaa", MB / 3, ""),
    repeat("foo:", "\xe2\x84\xaa", MB / 3, ""),
    repeat("x/", "\xff", MB, ""),
  };
  double start = now();
  for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
    double t = now();
    dfl_image_ref r;
    char *err = NULL;
    int rc = dfl_image_ref_parse(inputs[i], strlen(inputs[i]), &r, &err);
    if (rc == 0)
      dfl_image_ref_free(&r);
    free(err);
    ck_assert_msg(now() - t < tu_time_limit(1.0), "input %zu took %.2fs", i, now() - t);
    free(inputs[i]);
  }
  ck_assert_msg(now() - start < tu_time_limit(3.0), "1 MB inputs took %.2fs", now() - start);
}
END_TEST

static Suite *refs_suite(void)
{
  Suite *s = suite_create("refs");
  TCase *tc = tcase_create("normalized");
  tcase_add_loop_test(tc, normalized_ok, 0,
                      sizeof norm_cases / sizeof norm_cases[0]);
  tcase_add_loop_test(tc, normalized_error, 0,
                      sizeof norm_errors / sizeof norm_errors[0]);
  tcase_add_loop_test(tc, docker_ref, 0,
                      sizeof docker_cases / sizeof docker_cases[0]);
  suite_add_tcase(s, tc);

  tc = tcase_create("raw");
  tcase_add_loop_test(tc, raw_parse, 0, sizeof raw_cases / sizeof raw_cases[0]);
  suite_add_tcase(s, tc);

  tc = tcase_create("helpers");
  tcase_add_test(tc, familiar_name);
  tcase_add_test(tc, registry_host);
  tcase_add_test(tc, tag_and_manifest_ref);
  tcase_add_test(tc, set_tag_and_digest);
  tcase_add_test(tc, image_id);
  suite_add_tcase(s, tc);

  tc = tcase_create("limits");
  tcase_add_test(tc, length_limits);
  tcase_add_test(tc, linear_time);
  tcase_set_timeout(tc, 60);
  suite_add_tcase(s, tc);
  return s;
}

int main(void)
{
  return tu_run_suite(refs_suite());
}
