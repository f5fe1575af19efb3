/* ExposeProtoCasing: an EXPOSE protocol written in upper or mixed case. */
#include "dflint/rule.h"

#include "buildkit/bk_dispatch.h"

static void on_port(dfl_ctx *ctx, const dfl_instr *in, const bkd_port *p,
                    void *unused)
{
  /* The walk only hands over tcp, udp or sctp in some case, all ASCII. */
  bool lower = true;
  for (size_t i = 0; i < p->proto_len; i++)
    if (p->proto[i] >= 'A' && p->proto[i] <= 'Z')
      lower = false;
  if (!lower)
    dfl_emit(ctx, in, p->range,
             "Defined protocol '%.*s' in EXPOSE instruction should be "
             "lowercase",
             (int)p->len, p->spec);
}

static void check(dfl_ctx *ctx, const dfl_instr *in)
{
  if (in->kind == DFL_INSTR_EXPOSE && !in->error)
    bkd_expose_walk(ctx, in, on_port, NULL);
}

const dfl_rule dfl_rule_ExposeProtoCasing = {
  .id = "ExposeProtoCasing",
  .name = "ExposeProtoCasing",
  .source = DFL_SOURCE_BUILDKIT,
  .severity = DFL_SEV_WARNING,
  .category = "style",
  .summary = "Protocol in EXPOSE instruction should be lowercase",
  .url = "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
  .on_instr = check,
};
