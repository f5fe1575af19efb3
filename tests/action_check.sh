#!/bin/sh
# The GitHub Action (action.yml): valid YAML with the keys a composite action
# needs, and its steps run by hand the way the runner runs them (each `run`
# with `bash --noprofile --norc -eo pipefail`, the step's `env` evaluated,
# GITHUB_ACTION_PATH, RUNNER_TEMP, GITHUB_OUTPUT set, outputs passed on to
# later steps). Scenarios: the dflint on PATH, a build from the checkout,
# SARIF output, each input, and inputs that try to inject shell code.
#   usage: tests/action_check.sh BINARY SRCDIR
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
exec "$py" - "$bin" "$src" <<'PY'
import json, os, re, shlex, shutil, subprocess, sys, tempfile
import yaml

binary, src = sys.argv[1], os.path.abspath(sys.argv[2])
action = yaml.safe_load(open(os.path.join(src, "action.yml")))
failures, passes = [], 0

def check(cond, what):
    global passes
    if cond:
        passes += 1
    else:
        failures.append(what)
        print("FAIL " + what, file=sys.stderr)

# --- shape -------------------------------------------------------------------
for key in ("name", "description", "inputs", "outputs", "runs"):
    check(key in action, "action.yml has no '%s'" % key)
check(action["runs"].get("using") == "composite", "runs.using is not composite")
inputs = action["inputs"]
for name in ("paths", "config", "failure-threshold", "args", "sarif-file", "build"):
    check(name in inputs and inputs[name].get("description"),
          "input '%s' is missing or undocumented" % name)
for name, spec in inputs.items():
    check("default" in spec, "input '%s' has no default" % name)
steps = action["runs"]["steps"]
for st in steps:
    check("run" in st and st.get("shell") == "bash", "step %s is not a bash run step" % st.get("id"))
    check("if" not in st, "step %s has an if: the test cannot evaluate it" % st.get("id"))
    # Inputs reach the script through env only (no ${{ }} in the script).
    check("${{" not in st["run"], "step %s pastes an expression into its script" % st.get("id"))
for name, spec in action["outputs"].items():
    check(re.fullmatch(r"\$\{\{ steps\.[a-z]+\.outputs\.[a-z-]+ \}\}", spec.get("value", "")),
          "output '%s' has no steps.*.outputs value" % name)

# docs/github-action.md documents every input and output in its tables.
doc = open(os.path.join(src, "docs", "github-action.md")).read()
for name in list(inputs) + list(action["outputs"]):
    check(re.search(r"^\| `%s` \|" % re.escape(name), doc, re.M),
          "docs/github-action.md does not document '%s'" % name)

# The packages the setup step installs are among scripts/install-deps.sh's.
deps = re.search(r'^PKGS="([^"]*)"', open(os.path.join(src, "scripts/install-deps.sh")).read(), re.M)
setup = next(s for s in steps if s.get("id") == "setup")["run"]
pkgs = re.search(r'pkgs="([^"]*)"', setup)
check(deps and pkgs and set(pkgs.group(1).split()) <= set(deps.group(1).split()),
      "the action's build packages are not all in install-deps.sh's PKGS")

# --- running the steps -------------------------------------------------------
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

def evaluate(text, with_inputs, outputs):
    def one(m):
        e = m.group(1)
        if e.startswith("inputs."):
            name = e[len("inputs."):]
            if name not in inputs:
                raise KeyError("unknown input " + name)
            return str(with_inputs.get(name, inputs[name].get("default", "")))
        mo = re.fullmatch(r"steps\.([A-Za-z_-]+)\.outputs\.([A-Za-z_-]+)", e)
        if mo:
            return outputs.get(mo.group(1), {}).get(mo.group(2), "")
        raise KeyError("the test cannot evaluate ${{ %s }}" % e)
    return EXPR.sub(one, str(text))

def run_action(work, with_inputs, path_has_dflint=True):
    """Runs every step in order, as the runner would; stops at a failing step.
    Returns (exit code, stdout+stderr, outputs)."""
    tmp = tempfile.mkdtemp(dir=root)
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    if path_has_dflint:
        os.symlink(binary, os.path.join(bindir, "dflint"))
    # PATH without any other dflint.
    system_path = ":".join(p for p in os.environ.get("PATH", "").split(":")
                           if p and not os.path.exists(os.path.join(p, "dflint")))
    base = {
        "PATH": bindir + ":" + system_path,
        "HOME": os.path.join(tmp, "home"),
        "GITHUB_ACTION_PATH": src,
        "GITHUB_WORKSPACE": work,
        "RUNNER_TEMP": tmp,
        "GITHUB_ACTIONS": "true",
        "LANG": "C.UTF-8",
    }
    outputs, log, rc = {}, "", 0
    for st in steps:
        out_file = os.path.join(tmp, "output-%s" % st["id"])
        open(out_file, "w").close()
        env = dict(base, GITHUB_OUTPUT=out_file)
        for k, v in (st.get("env") or {}).items():
            env[k] = evaluate(v, with_inputs, outputs)
        script = os.path.join(tmp, "step-%s.sh" % st["id"])
        with open(script, "w") as f:
            f.write(st["run"])
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                           cwd=work, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=600)
        log += p.stdout
        outputs[st["id"]] = dict(l.split("=", 1) for l in open(out_file).read().splitlines() if "=" in l)
        rc = p.returncode
        if rc != 0:
            break
    return rc, log, outputs

root = tempfile.mkdtemp(prefix="dflint-action-")
work = os.path.join(root, "workspace")
os.mkdir(work)
try:
    # A fixed set of rules, so that the clean cases stay clean whatever rules
    # are added and whatever today's date (end-of-life rules).
    with open(os.path.join(work, ".dflint.yaml"), "w") as f:
        f.write("select: [MaintainerDeprecated, JSONArgsRecommended]\n")
    with open(os.path.join(work, "Dockerfile"), "w") as f:
        f.write("FROM alpine:3.20\nMAINTAINER someone\n")
    os.makedirs(os.path.join(work, "svc"))
    with open(os.path.join(work, "svc", "app.Dockerfile"), "w") as f:
        f.write("FROM alpine:3.20\nCMD [\"app\"]\n")
    annotation = "::warning file=Dockerfile,line=2,endLine=2,col=1,endColumn=19,title=MaintainerDeprecated::"

    rc, log, out = run_action(work, {"sarif-file": "reports/dflint.sarif"})
    check(rc == 1, "bad Dockerfile: exit %d, want 1\n%s" % (rc, log))
    check(annotation in log, "no annotation for MaintainerDeprecated:\n" + log)
    check(os.path.realpath(out["setup"].get("dflint", "")) == os.path.realpath(binary),
          "setup did not pick the dflint on PATH: %r" % out["setup"])
    check(out["lint"].get("exit-code") == "1", "exit-code output: %r" % out["lint"])
    try:
        sarif = json.load(open(os.path.join(work, "reports", "dflint.sarif")))
        ids = [r["ruleId"] for r in sarif["runs"][0]["results"]]
        check(ids == ["MaintainerDeprecated"], "SARIF results: %r" % ids)
    except (OSError, ValueError, KeyError) as e:
        check(False, "SARIF file: %s" % e)

    rc, log, _ = run_action(work, {"failure-threshold": "error"})
    check(rc == 0 and annotation in log, "failure-threshold error: exit %d\n%s" % (rc, log))

    rc, log, _ = run_action(work, {"args": "--ignore MaintainerDeprecated  --no-color"})
    check(rc == 0 and "::" not in log, "args --ignore: exit %d\n%s" % (rc, log))

    with open(os.path.join(work, "ci.yaml"), "w") as f:
        f.write("select: [JSONArgsRecommended]\n")
    rc, log, _ = run_action(work, {"config": "ci.yaml"})
    check(rc == 0 and "::" not in log, "config: exit %d\n%s" % (rc, log))
    rc, log, _ = run_action(work, {"config": "missing.yaml"})
    check(rc == 2, "missing config: exit %d, want 2\n%s" % (rc, log))

    rc, log, _ = run_action(work, {"paths": "svc\n  svc/app.Dockerfile\n"})
    check(rc == 0 and "MaintainerDeprecated" not in log, "paths: exit %d\n%s" % (rc, log))

    # Inputs are data, never code: no command substitution, no globbing.
    rc, log, _ = run_action(work, {"paths": "$(touch pwned) *", "args": "`touch pwned2`"})
    check(not os.path.exists(os.path.join(work, "pwned")) and
          not os.path.exists(os.path.join(work, "pwned2")), "an input ran shell code")
    check(rc == 2 and "*: No such file" in log, "a glob in paths was expanded: exit %d\n%s" % (rc, log))

    rc, log, _ = run_action(work, {"build": "sometimes"})
    check(rc == 2 and "build must be auto or always" in log, "bad build input: exit %d\n%s" % (rc, log))

    # No dflint on PATH: the action builds it from its own checkout
    # (GITHUB_ACTION_PATH) into RUNNER_TEMP, with cmake.
    rc, log, out = run_action(work, {"sarif-file": ""}, path_has_dflint=False)
    built = out.get("setup", {}).get("dflint", "")
    check(rc == 1 and annotation in log and "Built dflint" in log and
          built.endswith("/dflint-build/dflint"), "build from source: exit %d, dflint %r\n%s" % (rc, built, log[-3000:]))
finally:
    shutil.rmtree(root, ignore_errors=True)

print("%d passed, %d failed" % (passes, len(failures)))
sys.exit(1 if failures else 0)
PY
