/* DL3064 SensitiveArgOrEnv: ARG and ENV values are stored in the image
 * (ENV in its config, ARG in the build history), so a name that suggests a
 * password or token means a secret that anyone who pulls the image can
 * read. Use a secret mount instead. BuildKit's SecretsUsedInArgOrEnv
 * check reports much the same, so this rule is off by default. */
#include <string.h>

#include "dflint/rule.h"

/* hadolint's list of well-known secret variable names (compared in upper
 * case). */
static const char *const known[] = {
  "ACCESS_TOKEN", "APPLICATION_KEY", "APP_SECRET", "AUTH_TOKEN",
  "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BITTREX_API_KEY",
  "BITTREX_API_SECRET", "CF_PASSWORD", "CF_USERNAME", "CIRCLE_TOKEN",
  "CI_DEPLOY_PASSWORD", "CI_DEPLOY_USER", "DOCKERHUB_PASSWORD",
  "DOCKER_EMAIL", "DOCKER_PASSWORD", "DOCKER_USERNAME",
  "FACEBOOK_ACCESS_TOKEN", "FACEBOOK_APP_ID", "FACEBOOK_APP_SECRET",
  "FIREBASE_API_TOKEN", "FIREBASE_TOKEN", "FOSSA_API_KEY",
  "GH_ENTERPRISE_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
  "GITHUB_TOKEN", "HEROKU_API_KEY", "HEROKU_API_USER", "NPM_AUTH_TOKEN",
  "NPM_TOKEN", "OKTA_AUTHN_GROUPID", "OKTA_CLIENT_ORGURL",
  "OKTA_CLIENT_TOKEN", "OKTA_OAUTH2_CLIENTID", "OKTA_OAUTH2_CLIENTSECRET",
  "OPENAI_API_KEY", "OS_PASSWORD", "OS_USERNAME", "POSTGRES_PASSWORD",
  "SLACK_TOKEN", "STRIPE_API_KEY", "STRIPE_DEVICE_NAME", "TRAVIS_OS_NAME",
  "TRAVIS_SECURE_ENV_VARS", "TRAVIS_SUDO", "VAULT_CLIENT_KEY",
  "VAULT_TOKEN",
};

/* Substrings of a lower-cased name that suggest a secret. */
static const char *const parts[] = {"api_key", "client_key", "password",
                                    "private", "secret",     "token",
                                    "username"};

static char up(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }
static char low(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

static bool sensitive(const char *name, size_t n)
{
  char buf[256];
  if (n >= sizeof buf)
    n = sizeof buf - 1;
  for (size_t i = 0; i < n; i++)
    buf[i] = up(name[i]);
  buf[n] = '\0';
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    if (strcmp(buf, known[i]) == 0)
      return true;
  for (size_t i = 0; i < n; i++)
    buf[i] = low(buf[i]);
  for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
    if (strstr(buf, parts[i]))
      return true;
  return false;
}

static void report(dfl_ctx *ctx, const dfl_instr *in, const dfl_arg *a,
                   size_t n)
{
  dfl_emit(ctx, in, a->range,
           "`%.*s` looks like a secret: ARG and ENV values are kept in the "
           "image; use a secret mount (RUN --mount=type=secret) instead",
           (int)n, a->value);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  const dfl_instr *x = in;
  if (in->kind == DFL_INSTR_ONBUILD && in->sub)
    x = in->sub;
  if (x->kind == DFL_INSTR_ARG) {
    for (size_t i = 0; i < x->nargs; i++) {
      const dfl_arg *a = &x->args[i];
      const char *eq = memchr(a->value, '=', a->len);
      size_t n = eq ? (size_t)(eq - a->value) : a->len;
      if (sensitive(a->value, n)) {
        report(ctx, in, a, n);
        return;
      }
    }
  } else if (x->kind == DFL_INSTR_ENV) {
    for (size_t i = 0; 3 * i < x->nargs; i++) {
      const dfl_arg *a = &x->args[3 * i];
      if (sensitive(a->value, a->len)) {
        report(ctx, in, a, a->len);
        return;
      }
    }
  }
}

const dfl_rule dfl_rule_DL3064 = {
  .id = "DL3064",
  .name = "SensitiveArgOrEnv",
  .source = DFL_SOURCE_HADOLINT,
  .severity = DFL_SEV_WARNING,
  .category = "security",
  .summary = "Do not pass secrets through ARG or ENV",
  .url = "https://github.com/hadolint/hadolint/wiki/DL3064",
  .off_by_default = true,
  .on_instr = check,
};
