#!/bin/sh
# The pre-commit hook (.pre-commit-hooks.yaml) run by Debian's real
# pre-commit, offline: in a scratch git repository, a bad Dockerfile fails
# the hook, a good one passes, files that are not Dockerfiles are not handed
# to dflint, and `pre-commit install` + `git commit` refuses a bad commit.
# The hook's `files` regex must select exactly the names dflint's own
# directory search selects. Exit 77 (skipped) only when pre-commit or git is
# not installed.
#   usage: tests/precommit_check.sh BINARY SRCDIR
set -u
bin=$1
src=$2
if ! command -v pre-commit >/dev/null 2>&1 || ! command -v git >/dev/null 2>&1; then
  echo "pre-commit or git is not installed (scripts/install-deps.sh installs them): skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
bad() { echo "FAIL $*" >&2; fail=$((fail + 1)); }

# Nothing from the user's environment: no home configuration (git's or
# dflint's), pre-commit's cache in the scratch directory, only the dflint
# under test on PATH, and git may use local paths only, so any attempt to
# reach the network fails the test instead of hanging.
mkdir -p "$tmp/home" "$tmp/bin"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/dflint"
HOME=$tmp/home
XDG_CONFIG_HOME=$tmp/home/.config
PRE_COMMIT_HOME=$tmp/cache
PATH=$tmp/bin:$PATH
GIT_ALLOW_PROTOCOL='file'
GIT_CONFIG_NOSYSTEM=1
GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com
GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
NO_COLOR=1
export HOME XDG_CONFIG_HOME PRE_COMMIT_HOME PATH GIT_ALLOW_PROTOCOL \
  GIT_CONFIG_NOSYSTEM GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
  GIT_COMMITTER_EMAIL NO_COLOR
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

# The hook repository: this checkout's manifest, committed in a repository of
# its own, so the test runs the same whether or not the checkout has
# uncommitted changes (try-repo would only see tracked ones) or is a git
# checkout at all.
hooks=$tmp/hooks
git init -q "$hooks"
cp "$src/.pre-commit-hooks.yaml" "$hooks/"
git -C "$hooks" add .pre-commit-hooks.yaml
git -C "$hooks" commit -q -m hooks
rev=$(git -C "$hooks" rev-parse HEAD)
if pre-commit validate-manifest "$hooks/.pre-commit-hooks.yaml" > "$tmp/out" 2>&1; then ok; else
  bad "validate-manifest:"; cat "$tmp/out" >&2; fi

proj=$tmp/proj
git init -q "$proj"
cd "$proj" || exit 1
# A fixed set of rules, so that a "good" file stays good whatever rules are
# added and whatever today's date (end-of-life rules); dflint finds this file
# from the Dockerfiles' directories up to the repository root.
printf 'select: [MaintainerDeprecated, ConsistentInstructionCasing]\n' > .dflint.yaml
printf 'FROM alpine:3.20\nMAINTAINER someone\n' > Dockerfile
printf '# not a Dockerfile\nMAINTAINER x\n' > README.md
git add .dflint.yaml Dockerfile README.md

# run NAME WANT_EXIT WANT_TEXT COMMAND...: WANT_TEXT is a fixed string.
run() {
  name=$1 want=$2 text=$3
  shift 3
  timeout 300 "$@" > "$tmp/out" 2>&1
  got=$?
  if [ "$got" -eq "$want" ] && grep -qF -- "$text" "$tmp/out"; then ok; else
    bad "$name: exit $got (want $want, and '$text' in the output):"
    cat "$tmp/out" >&2
  fi
}

run "try-repo, bad Dockerfile" 1 "Dockerfile:2:1: warning[MaintainerDeprecated]" \
  pre-commit try-repo "$hooks" dflint --all-files
grep -q 'README' "$tmp/out" && bad "README.md was handed to dflint"

printf 'FROM alpine:3.20\nLABEL org.opencontainers.image.authors=someone\n' > Dockerfile
git add Dockerfile
run "try-repo, good Dockerfile" 0 "Passed" \
  pre-commit try-repo "$hooks" dflint --all-files

git rm -q --cached Dockerfile
rm Dockerfile
run "try-repo, no Dockerfile" 0 "(no files to check)Skipped" \
  pre-commit try-repo "$hooks" dflint --all-files

# The way users set it up: a .pre-commit-config.yaml naming the repository
# and a revision, `pre-commit install`, then `git commit`.
cat > .pre-commit-config.yaml <<EOF
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: dflint
        args: [--failure-threshold, warning]
EOF
git add .pre-commit-config.yaml README.md
run "pre-commit install" 0 "pre-commit installed" pre-commit install
mkdir -p docker
printf 'from alpine:3.20 AS Build\nRUN true\n' > docker/app.Dockerfile
git add docker/app.Dockerfile
run "git commit, bad Dockerfile" 1 "docker/app.Dockerfile:1:1: warning[ConsistentInstructionCasing]" \
  git commit -q -m bad
printf 'FROM alpine:3.20 AS build\nRUN true\n' > docker/app.Dockerfile
git add docker/app.Dockerfile
run "git commit, good Dockerfile" 0 "dflint" git commit -m good
if [ "$(git rev-list --count HEAD 2>/dev/null)" = 1 ]; then ok; else bad "the good commit was not made"; fi

# The regex selects what dflint's directory search selects. Every name below
# holds a finding; dflint run on the directory reports the Dockerfiles among
# them, and the hook's `files`/`exclude` must pick the same names.
names="Dockerfile Containerfile dockerfile containerfile Dockerfile.dev
Containerfile.prod Dockerfile. app.Dockerfile app.dockerfile .Dockerfile
Dockerfile.dockerignore app.Dockerfile.dockerignore Dockerfile.md
DockerfileX xDockerfile Dockerfile-dev dockerfile.dev Containerfiles
app.Containerfile notes.txt Makefile"
mkdir -p "$tmp/names/sub"
for n in $names; do
  printf 'FROM alpine\nMAINTAINER x\n' > "$tmp/names/sub/$n"
done
(cd "$tmp/names" && dflint check --format json --select MaintainerDeprecated .) > "$tmp/found.json"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
# shellcheck disable=SC2086 # one argument per name
if "$py" - "$src/.pre-commit-hooks.yaml" "$tmp/found.json" $names > "$tmp/out" 2>&1 <<'PY'; then ok; else bad "hook files regex vs dflint's search:"; cat "$tmp/out" >&2; fi
import json, re, sys
import yaml
hook = yaml.safe_load(open(sys.argv[1]))[0]
found = {f["file"].split("/")[-1] for f in json.load(open(sys.argv[2]))}
inc, exc = re.compile(hook["files"]), re.compile(hook["exclude"])
wrong = []
for name in sys.argv[3:]:
    path = "sub/" + name
    picked = bool(inc.search(path)) and not exc.search(path)
    if picked != (name in found):
        wrong.append("%s: hook %s, dflint %s" % (name, picked, name in found))
print("\n".join(wrong) or "agree")
sys.exit(1 if wrong else 0)
PY

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
