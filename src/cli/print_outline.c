/* dflint print outline / print targets: the JSON of `docker buildx build
 * --call=outline,format=json` and `--call=targets,format=json`, for IDEs
 * and CI matrix generation. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "dflint/io.h"
#include "dflint/outline.h"
#include "dflint/parse.h"

static const char outline_usage[] =
    "usage: dflint print outline [--target NAME] [--build-arg K=V ...] FILE";
static const char targets_usage[] = "usage: dflint print targets FILE";

static dfl_dockerfile *load(const char *path)
{
  char *data, *err;
  size_t len;
  if (dfl_read_input(path, DFL_MAX_INPUT_BYTES, &data, &len, &err) != 0) {
    dfl_cli_error("%s", err);
    free(err);
    return NULL;
  }
  dfl_dockerfile *df = dfl_parse(data, len, path);
  free(data);
  return df;
}

/* As `print ast` reports a file BuildKit rejects: FILE:LINE:COL: error:
 * MESSAGE, or FILE: error: MESSAGE when BuildKit names no place. */
static int report(const char *path, dfl_outline_error *e)
{
  /* A message can quote input bytes; a NUL would cut the line short. */
  for (size_t i = 0; i < e->len; i++)
    if (e->message[i] == '\0')
      e->message[i] = '?';
  if (e->has_pos)
    fprintf(stderr, "%s:%u:%u: error: %s\n", path, e->pos.line, e->pos.col,
            e->message);
  else
    fprintf(stderr, "%s: error: %s\n", path, e->message);
  dfl_outline_error_free(e);
  return DFL_EXIT_FINDINGS;
}

static void emit(dfl_buf *out)
{
  dfl_buf_putc(out, '\n'); /* buildx prints the result, then a newline */
  dfl_write_stdout(out->data, out->len);
  dfl_buf_free(out);
}

int dfl_print_outline(int argc, char **argv)
{
  dfl_env build_args;
  dfl_env_init(&build_args);
  const char *target = NULL, *path = NULL;
  int rc = DFL_EXIT_ERROR;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v;
    bool bad = false;
    if ((v = dfl_take_value(argc, argv, &i, "--target", &bad))) {
      target = v;
    } else if ((v = dfl_take_value(argc, argv, &i, "--build-arg", &bad))) {
      const char *eq = strchr(v, '=');
      if (eq) {
        dfl_env_set(&build_args, v, (size_t)(eq - v), eq + 1, strlen(eq + 1));
      } else {
        /* As docker build: --build-arg K takes K from the environment. */
        const char *env = getenv(v);
        if (env)
          dfl_env_set(&build_args, v, strlen(v), env, strlen(env));
      }
    } else if (bad) {
      goto out;
    } else if (a[0] == '-' && a[1] != '\0') {
      dfl_cli_error("unknown option '%s'; %s", a, outline_usage);
      goto out;
    } else if (path) {
      dfl_cli_error("%s", outline_usage);
      goto out;
    } else {
      path = a;
    }
  }
  if (!path) {
    dfl_cli_error("%s", outline_usage);
    goto out;
  }
  dfl_dockerfile *df = load(path);
  if (!df)
    goto out;
  dfl_outline_options opts = {.build_args = &build_args, .target = target};
  dfl_outline o;
  dfl_outline_error err;
  if (dfl_outline_build(df, &opts, &o, &err) != 0) {
    rc = report(path, &err);
  } else {
    dfl_buf out;
    dfl_buf_init(&out);
    dfl_outline_json(&o, df, &out);
    emit(&out);
    dfl_outline_free(&o);
    rc = DFL_EXIT_OK;
  }
  dfl_dockerfile_free(df);
out:
  dfl_env_free(&build_args);
  return rc;
}

int dfl_print_targets(int argc, char **argv)
{
  if (argc != 2 || (argv[1][0] == '-' && argv[1][1] != '\0')) {
    dfl_cli_error("%s", targets_usage);
    return DFL_EXIT_ERROR;
  }
  dfl_dockerfile *df = load(argv[1]);
  if (!df)
    return DFL_EXIT_ERROR;
  dfl_targets t;
  dfl_outline_error err;
  int rc = DFL_EXIT_OK;
  if (dfl_targets_build(df, &t, &err) != 0) {
    rc = report(argv[1], &err);
  } else {
    dfl_buf out;
    dfl_buf_init(&out);
    dfl_targets_json(&t, df, &out);
    emit(&out);
    dfl_targets_free(&t);
  }
  dfl_dockerfile_free(df);
  return rc;
}
