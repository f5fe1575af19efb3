#!/bin/sh
# Validates dflint's --format json output on every testdata Dockerfile (and
# the examples) against docs/json-output.schema.json, with Debian's
# python3-jsonschema.
set -eu
bin=$1
src=$2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
find "$src/testdata" "$src/examples" -name Dockerfile | sort > "$out.list"
# shellcheck disable=SC2046
"$bin" check --format json --select all --enable-experimental $(cat "$out.list") > "$out" || true
rm -f "$out.list"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" - "$src/docs/json-output.schema.json" "$out" <<'PY'
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
data = json.load(open(sys.argv[2]))
jsonschema.validate(data, schema)
for item in data:
    assert list(item.keys()) == schema["items"]["required"], item.keys()
print("json schema: %d findings valid" % len(data))
PY
