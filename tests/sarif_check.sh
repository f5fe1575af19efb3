#!/bin/sh
# Validates --format sarif on every testdata Dockerfile, the examples, the
# shared output inputs (odd file names) and a # check= value holding CR, LF
# and XML specials, against the OASIS SARIF 2.1.0 schema in ../shared (read
# from there, never copied), with Debian's python3-jsonschema. Checks that
# need no schema (rule indexes, columns, fingerprints) run either way.
set -eu
bin=$1
src=$2
schema=$src/../shared/schemas/sarif-schema-2.1.0.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$src/testdata" "$src/examples" -name Dockerfile | sort > "$tmp/list"
# shellcheck disable=SC2046
"$bin" check --format sarif --select all --enable-experimental $(cat "$tmp/list") > "$tmp/all.sarif" || true
# The hostile case runs from the inputs directory so its URIs are relative.
(cd "$src/testdata/output/inputs" && "$bin" check --format sarif \
  --build-arg "$(printf 'BUILDKIT_DOCKERFILE_CHECK=error=a\r\nb<&>"\047,:\303\251')" \
  ./Dockerfile odd*.Dockerfile clean.Dockerfile "$PWD/Dockerfile" > "$tmp/odd.sarif") || true
if [ -f "$schema" ]; then
  echo "sarif: validating against $schema"
else
  echo "sarif: NOTE: $schema is absent: schema validation skipped, structural checks only"
  schema=""
fi
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
"$py" - "$schema" "$tmp/all.sarif" "$tmp/odd.sarif" <<'PY'
import json, sys
schema_path, files = sys.argv[1], sys.argv[2:]
validator = None
if schema_path:
    import jsonschema
    schema = json.load(open(schema_path))
    validator = jsonschema.Draft4Validator(schema)
total = 0
for path in files:
    log = json.load(open(path))
    if validator:
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors[:10]:
            print("%s: %s at %s" % (path, e.message, list(e.path)))
        assert not errors, "%s: %d schema errors" % (path, len(errors))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["columnKind"] == "utf16CodeUnits"
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].startswith("file:///")
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"].endswith("/")
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids)), "duplicate rule ids"
    seen = set()
    for res in run["results"]:
        if "ruleIndex" in res:
            assert rules[res["ruleIndex"]]["id"] == res["ruleId"], res
        else:
            # ShellCheck's codes are reported by one rule, ShellCheck.
            assert res["ruleId"].startswith("SC") and res["ruleId"] not in ids, res
        assert res["level"] in ("error", "warning", "note", "none"), res
        (loc,) = res["locations"]
        art = loc["physicalLocation"]["artifactLocation"]
        uri = art["uri"]
        if uri.startswith("file://"):
            assert "uriBaseId" not in art, res
        else:
            assert art["uriBaseId"] == "SRCROOT" and not uri.startswith("./"), res
        assert all(c.isascii() and c.isprintable() for c in uri), uri
        reg = loc["physicalLocation"]["region"]
        assert (reg["endLine"], reg["endColumn"]) >= (reg["startLine"], reg["startColumn"]), res
        fp = (uri, res["partialFingerprints"]["primaryLocationLineHash"])
        assert fp not in seen, "fingerprint repeated in one file: %s" % (fp,)
        seen.add(fp)
        total += 1
odd = json.load(open(files[-1]))["runs"][0]["results"]
assert any("\r\nb<&>" in r["message"]["text"] for r in odd), "CR/LF message lost"
print("sarif: %d results valid" % total)
PY
