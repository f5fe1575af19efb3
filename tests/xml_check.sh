#!/bin/sh
# --format checkstyle and --format junit are well-formed XML (xmllint, from
# Debian's libxml2-utils) on every testdata Dockerfile and on hostile input:
# odd file names, invalid UTF-8, and a message holding CR, LF, control
# characters and XML specials. Also checks that an attribute gives back the
# message's line breaks.
set -eu
bin=$1
src=$2
if ! command -v xmllint >/dev/null 2>&1; then
  echo "xml: xmllint not found (install libxml2-utils: scripts/install-deps.sh)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$src/testdata" "$src/examples" -name Dockerfile | sort > "$tmp/list"
check_arg=$(printf 'BUILDKIT_DOCKERFILE_CHECK=error=a\r\nb\001<&>"\047,:\303\251\377]]>')
n=0
for fmt in checkstyle junit; do
  # shellcheck disable=SC2046
  "$bin" check --format $fmt --select all --enable-experimental $(cat "$tmp/list") > "$tmp/all.xml" || true
  (cd "$src/testdata/output/inputs" && "$bin" check --format $fmt --build-arg "$check_arg" \
    Dockerfile odd*.Dockerfile clean.Dockerfile > "$tmp/odd.xml") || true
  for f in "$tmp/all.xml" "$tmp/odd.xml"; do
    xmllint --noout "$f"
    n=$((n + 1))
  done
  # Nothing but tab, LF and CR below 0x20 in the file itself.
  if LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037]')" "$tmp/odd.xml"; then
    echo "xml: $fmt output has a raw control character" >&2
    exit 1
  fi
done
# The check= message's CR LF survive as references in Checkstyle's attribute.
(cd "$src/testdata/output/inputs" && "$bin" check --format checkstyle \
  --build-arg "$check_arg" Dockerfile > "$tmp/cs.xml") || true
xmllint --xpath 'string(//error[contains(@message, "check option")]/@message)' "$tmp/cs.xml" > "$tmp/msg"
if ! LC_ALL=C grep -q "$(printf 'error=a\r$')" "$tmp/msg"; then
  echo "xml: the message lost its CR LF:" >&2
  cat -A "$tmp/msg" >&2
  exit 1
fi
echo "xml: $n documents well-formed"
