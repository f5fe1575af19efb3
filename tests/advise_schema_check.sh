#!/bin/sh
# Validates `dflint advise --format json` against docs/advise.schema.json
# (Debian's python3-jsonschema): every case under testdata/advise run as
# the golden runner runs it, the whole directory at once, the examples, and
# the golden expected.advise.json files themselves. Keys must also come in
# the schema's order (required lists).
#   usage: tests/advise_schema_check.sh BINARY SRCDIR
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME=/nonexistent HOME=/nonexistent XDG_CACHE_HOME=/nonexistent
n=0
for d in "$src"/testdata/advise/*/; do
  n=$((n + 1))
  # shellcheck disable=SC2046
  (cd "$d" && "$bin" advise --today 2026-12-07 --format json $(cat args 2>/dev/null) Dockerfile) > "$tmp/case$n.json"
  cp "$d/expected.advise.json" "$tmp/golden$n.json" 2>/dev/null || true
done
"$bin" advise --offline --today 2026-12-07 --format json "$src/testdata/advise" > "$tmp/dir.json"
"$bin" advise --offline --today 2026-12-07 --format json "$src/examples" > "$tmp/examples.json"
# Other platforms, and a target: sizes go unknown, the shape stays.
"$bin" advise --offline --platform linux/arm/v7 --format json "$src/testdata/advise/go-static/Dockerfile" > "$tmp/arm.json"
"$bin" advise --offline --target build --format json "$src/testdata/advise/go-static/Dockerfile" > "$tmp/target.json"
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" - "$src/docs/advise.schema.json" "$tmp" <<'PY'
import glob, json, os, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
item = schema["items"]
order = {
    "item": item["required"],
    "base": item["properties"]["base"]["required"],
    "payload": item["properties"]["payload"]["required"],
    "alt": item["properties"]["alternatives"]["items"]["required"],
    "source": schema["definitions"]["source"]["required"],
}
files = sorted(glob.glob(os.path.join(sys.argv[2], "*.json")))
objects = 0
for f in files:
    data = json.load(open(f))
    jsonschema.validate(data, schema)
    assert data, "%s: empty" % f
    for adv in data:
        objects += 1
        assert list(adv) == order["item"], (f, list(adv))
        assert list(adv["base"]) == order["base"], (f, list(adv["base"]))
        assert list(adv["base"]["source"]) == order["source"], f
        assert list(adv["payload"]) == order["payload"], f
        for alt in adv["alternatives"]:
            assert list(alt) == order["alt"], (f, list(alt))
            assert list(alt["source"]) == order["source"], f
print("advise schema: %d files, %d objects valid" % (len(files), objects))
PY
