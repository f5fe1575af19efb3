/* dflint: a fast Dockerfile linter and base-image advisor. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "Usage: dflint [check] [OPTIONS] PATH...\n"
    "       dflint print ast FILE\n"
    "       dflint print outline [--target NAME] [--build-arg K=V] FILE\n"
    "       dflint print targets FILE\n"
    "       dflint rules [--format text|markdown|json]\n"
    "       dflint rule ID\n"
    "       dflint config [--config FILE | --no-config] [PATH]\n"
    "       dflint catalog [--catalog FILE] [--format text|json]\n"
    "       dflint inspect [--platform P] [--insecure-registry HOST] [--registry-mirror D=URL] [--ca-cert FILE] REF...\n"
    "       dflint advise [--format text|json] [--target NAME] [--platform P] "
    "[--context DIR] [--build-arg K=V] [--catalog FILE] [--today DATE] "
    "[--offline] PATH...\n"
    "       dflint --version | --help\n"
    "\n"
    "Commands:\n"
    "  check        lint Dockerfiles (the default command; dflint check --help)\n"
    "  print ast    print the syntax tree in BuildKit's test dump format\n"
    "  print outline, print targets\n"
    "               BuildKit's --call=outline / --call=targets JSON\n"
    "  rules        list every rule (--format text|markdown|json)\n"
    "  rule ID      print a rule's documentation page\n"
    "  config       print the configuration check would use, and its file\n"
    "  catalog      list the base-image catalog the image rules (DF1xx) use\n"
    "  inspect      ask the registries about images: digests, compressed size, config\n"
    "               (JSON); more options: --docker-config FILE, --timeout SECONDS,\n"
    "               --connect-timeout SECONDS, --cache-dir DIR, --cache-ttl SECONDS,\n"
    "               --no-cache (dflint inspect --help)\n"
    "  advise       the base image of each Dockerfile's final stage, lighter\n"
    "               alternatives with sizes and caveats, and a verdict; facts\n"
    "               from the registries (--online, the default), else their\n"
    "               cache, else the catalog; also --cache-ttl SECONDS, --no-cache,\n"
    "               --registry-mirror, --insecure-registry, --ca-cert\n"
    "               (dflint advise --help)\n"
    "\n"
    "Exit codes: 0 clean, 1 findings or a file that does not parse,\n"
    "            2 usage, configuration or I/O error.\n";

typedef struct subcommand {
  const char *name;
  int (*run)(int argc, char **argv);
} subcommand;

static const subcommand subcommands[] = {
  {"check", dfl_cmd_check},
  {"print", dfl_cmd_print},
  {"rules", dfl_cmd_rules},
  {"rule", dfl_cmd_rule},
  {"config", dfl_cmd_config},
  {"catalog", dfl_cmd_catalog},
  {"inspect", dfl_cmd_inspect},
  {"advise", dfl_cmd_advise},
};

int main(int argc, char **argv)
{
  /* A closed pipe is handled where we write (quiet exit), not by a signal. */
  signal(SIGPIPE, SIG_IGN);
  if (argc < 2) {
    fputs(usage, stderr);
    return DFL_EXIT_ERROR;
  }
  if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
    printf("dflint %s\n", DFLINT_VERSION);
    return DFL_EXIT_OK;
  }
  if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    fputs(usage, stdout);
    return DFL_EXIT_OK;
  }
  for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++)
    if (strcmp(argv[1], subcommands[i].name) == 0)
      return subcommands[i].run(argc - 1, argv + 1);
  /* No subcommand: `dflint [OPTIONS] PATH...` means check. */
  return dfl_cmd_check(argc, argv);
}
