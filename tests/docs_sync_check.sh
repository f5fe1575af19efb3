#!/bin/sh
# The binary, the README and the man page agree:
# - man/dflint.1's generated blocks (options, formats) are what
#   scripts/update-man.sh makes of `dflint check --help` and the README now;
# - every option of `dflint check --help` is in the README and the man page;
# - every command and `print` target of the usage lines (`dflint --help`) is
#   in the README's command table and in the man page's SYNOPSIS and COMMANDS,
#   with the options its usage line names;
# - every output format of the registry is in the README's format table, the
#   man page and docs/output-formats.md;
# - every environment variable the sources read (getenv) is in ENVIRONMENT;
# - every option the man page names exists (docker's own excepted).
#   usage: tests/docs_sync_check.sh BINARY SRCDIR
set -eu
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! sh "$src/scripts/update-man.sh" "$bin" "$tmp/dflint.1"; then
  echo "FAIL scripts/update-man.sh" >&2
  exit 1
fi
stale=0
if ! cmp -s "$src/man/dflint.1" "$tmp/dflint.1"; then
  echo "FAIL man/dflint.1 is stale: run scripts/update-man.sh $bin" >&2
  diff "$src/man/dflint.1" "$tmp/dflint.1" >&2 || true
  stale=1
fi
"$bin" --help > "$tmp/usage"
"$bin" check --help > "$tmp/check-help"
"$bin" config --help > "$tmp/config-help" 2>&1 || true
"$bin" check '--format=?' > /dev/null 2> "$tmp/formats" || true
grep -rhoE 'getenv\("[A-Za-z_][A-Za-z0-9_]*"\)' "$src/src" "$src/rules" "$src/parser" |
  sed 's/getenv("\(.*\)")/\1/' | sort -u > "$tmp/env"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" - "$src" "$tmp" "$stale" <<'PY'
import os, re, sys
src, tmp, stale = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
read = lambda p: open(p, encoding="utf-8").read()
readme = read(os.path.join(src, "README.md"))
man = read(os.path.join(src, "man", "dflint.1"))
formats_md = read(os.path.join(src, "docs", "output-formats.md"))
usage = read(os.path.join(tmp, "usage"))
check_help = read(os.path.join(tmp, "check-help"))
problems = []

def plain(roff):
    """Text of roff source: no requests' names, font changes or escapes."""
    out = []
    for line in roff.splitlines():
        if line.startswith('.\\"'):
            continue
        line = re.sub(r'^\.(B|I|BR|BI|IB|IR|RB|RI|TP|PP|SH|SS|br|RS|RE|nh|ad \w)\b ?', "", line)
        line = re.sub(r'\\f[BIRP]', "", line)
        line = line.replace("\\-", "-").replace("\\|", "").replace("\\&", "").replace("\\e", "\\")
        out.append(line.replace('"', ""))
    return "\n".join(out)

def section(roff, name):
    m = re.search(r'^\.SH %s\n(.*?)(?=^\.SH |\Z)' % re.escape(name), roff, re.S | re.M)
    return m.group(1) if m else ""

man_text = plain(man)
synopsis = " ".join(plain(section(man, "SYNOPSIS")).split())
commands_sec = section(man, "COMMANDS")
# The tag of each .TP in COMMANDS, as text: "print outline [--target ...".
tags = [" ".join(plain(t).split()) for t in re.findall(r'^\.TP\n(.*)$', commands_sec, re.M)]
environment = section(man, "ENVIRONMENT")

# Options of check.
flags = re.findall(r'^  (-[-a-zA-Z]+)', check_help, re.M)
if not flags:
    problems.append("no options in dflint check --help")
for f in flags:
    if "`" + f not in readme:
        problems.append("README.md does not document %s" % f)
    if not re.search(r'(?<![\w-])%s(?![\w-])' % re.escape(f), man_text):
        problems.append("man/dflint.1 does not document %s" % f)

# Commands, from the usage lines.
lines = [l.strip() for l in re.findall(r'^(?:Usage:)? *(dflint .*)$', usage, re.M)]
commands = []
for l in lines:
    m = re.match(r'dflint \[?([a-z]+)\]?(?: ([a-z]+)(?= |$))?', l)
    if not m:
        continue
    cmd = m.group(1) + (" " + m.group(2) if m.group(1) == "print" and m.group(2) else "")
    commands.append((cmd, l))
if len(commands) < 5:
    problems.append("could not read the commands from dflint --help: %r" % commands)
readme_plain = readme.replace("[check]", "check")
for cmd, line in commands:
    if "`dflint " + cmd not in readme_plain:
        problems.append("README.md's command table does not have `dflint %s`" % cmd)
    if "dflint " + cmd not in synopsis and not (cmd == "check" and "dflint [ check ]" in synopsis):
        problems.append("man/dflint.1 SYNOPSIS does not have dflint %s" % cmd)
    if not any(t == cmd or t.startswith(cmd + " ") for t in tags):
        problems.append("man/dflint.1 COMMANDS has no entry for %s" % cmd)
    if cmd != "check":
        for opt in re.findall(r'--[a-z][a-z-]*', line):
            if not re.search(r'(?<![\w-])%s(?![\w-])' % re.escape(opt), man_text):
                problems.append("man/dflint.1 does not document %s of %s" % (opt, cmd))

# Output formats, from the registry.
m = re.search(r'expected one of: *([^)]*)\)', read(os.path.join(tmp, "formats")))
formats = m.group(1).split() if m else []
if len(formats) < 5:
    problems.append("could not read the formats from dflint: %r" % formats)
for f in formats:
    if not re.search(r'^\| `%s` \|' % re.escape(f), readme, re.M):
        problems.append("README.md's output format table does not have %s" % f)
    if not re.search(r'^\.B %s$' % re.escape(f.replace("-", "\\-")), man, re.M):
        problems.append("man/dflint.1 OUTPUT FORMATS does not have %s" % f)
    if "## `%s`" % f not in formats_md:
        problems.append("docs/output-formats.md has no section for %s" % f)

# Environment variables the sources read.
for var in read(os.path.join(tmp, "env")).split():
    if not re.search(r'^\.B %s$' % re.escape(var), environment, re.M):
        problems.append("man/dflint.1 ENVIRONMENT does not have %s (read by the sources)" % var)

# Options the man page names exist.
known = set(flags) | set(re.findall(r'--[a-z][a-z-]*', usage))
known |= set(re.findall(r'--[a-z][a-z-]*', read(os.path.join(tmp, "config-help"))))
known |= {"--version", "--help", "--check", "--call"}  # docker build's: --check, --call
for opt in sorted(set(re.findall(r'(?<![\w-])--[a-z][a-z-]*', man_text))):
    if opt not in known:
        problems.append("man/dflint.1 names %s, which dflint does not have" % opt)

for p in problems:
    print("FAIL " + p, file=sys.stderr)
if problems or stale:
    sys.exit(1)
print("docs in sync: %d options, %d commands, %d formats" % (len(flags), len(commands), len(formats)))
PY
