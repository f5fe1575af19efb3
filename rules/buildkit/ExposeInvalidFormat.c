/* ExposeInvalidFormat: an EXPOSE port spec with an IP address or a host
 * port. EXPOSE only documents container ports; publishing is decided at run
 * time, and BuildKit drops those parts. */
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

static void on_port(dfl_ctx *ctx, const dfl_instr *in, const bkd_port *p,
                    void *unused)
{
  /* ":80" leaves both parts empty and passes, as in BuildKit. */
  if (p->has_ip || p->has_host_port)
    dfl_emit(ctx, in, p->range,
             "EXPOSE instruction should not define an IP address or "
             "host-port mapping, found '%.*s'",
             (int)p->len, p->spec);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind == DFL_INSTR_EXPOSE && !in->error)
    bkd_expose_walk(ctx, in, on_port, NULL);
}

const dfl_rule dfl_rule_ExposeInvalidFormat = {
  .id = "ExposeInvalidFormat",
  .name = "ExposeInvalidFormat",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "correctness",
  .summary = "IP address and host-port mapping should not be used in EXPOSE "
             "instruction. This will become an error in a future release",
  .url = "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
  .on_instr = check,
};
