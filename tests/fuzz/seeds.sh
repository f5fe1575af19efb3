#!/bin/sh
# Assembles seed corpora for the fuzz targets in a scratch directory:
#   sh tests/fuzz/seeds.sh OUT [SHARED]
# makes OUT/<target>/ for each target from testdata/ and, when present, the
# public Dockerfile corpus and BuildKit's cases in SHARED (default
# ../shared beside the source tree). Nothing is copied into the project:
# OUT is scratch space (libFuzzer adds what it finds there too).
set -eu
out=${1:?usage: seeds.sh OUT [SHARED]}
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${2:-$src/../shared}
for t in parse lint expand pragma config dockerignore refs shell registry_json; do
  mkdir -p "$out/$t"
done

# Dockerfiles: every input under testdata/, then the public corpus.
n=0
find "$src/testdata" -type f \( -name 'Dockerfile*' -o -name '*.Dockerfile' \) | sort |
while read -r f; do
  n=$((n + 1))
  cp "$f" "$out/parse/td-$n"
  cp "$f" "$out/lint/td-$n"
done
if [ -d "$shared/corpus/public" ]; then
  for f in "$shared"/corpus/public/*; do
    b=$(basename "$f")
    # libFuzzer loads seeds larger than -max_len truncated; keep them.
    cp "$f" "$out/parse/c-$b"
    cp "$f" "$out/lint/c-$b"
  done
fi
if [ -d "$shared/conformance/buildkit-parser" ]; then
  find "$shared/conformance/buildkit-parser" -type f -name Dockerfile | sort |
  while read -r f; do
    b=$(basename "$(dirname "$f")")
    cp "$f" "$out/parse/bk-$b"
  done
fi
# All of them, NUL-separated (some testdata names have quotes).
all_dockerfiles() {
  find "$src/testdata" -type f \( -name 'Dockerfile*' -o -name '*.Dockerfile' \) -print0
  [ -d "$shared/corpus/public" ] && find "$shared/corpus/public" -type f -print0
  return 0
}

# One file per distinct line, numbered; at most $2 of them.
split_lines() {
  dir=$1 max=$2 prefix=$3
  sort -u | head -n "$max" | awk -v d="$dir" -v p="$prefix" '
    { f = sprintf("%s/%s%05d", d, p, NR); printf "%s", $0 > f; close(f) }'
}

# Shell lexer: words with $ from the corpus (header: options 0, no env),
# and BuildKit's lexer test words with the options and env they use.
all_dockerfiles | xargs -0 cat 2>/dev/null | grep -a '\$' |
  sed 's/^[[:space:]]*[A-Za-z]*[[:space:]]*//' | awk 'length($0) < 400' |
  split_lines "$out/expand" 800 w- 
for f in "$out"/expand/w-*; do
  { printf '\000\002HOME=/root\nPATH=/usr/bin:/bin\n'; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
done
if [ -f "$shared/conformance/buildkit-shell/envVarTest" ]; then
  grep -a '|' "$shared/conformance/buildkit-shell/envVarTest" |
    awk -F'|' '{ sub(/[ \t]+$/, "", $2); print $2 }' | split_lines "$out/expand" 400 bk-
  for f in "$out"/expand/bk-*; do
    { printf '\001\001PWD=/home\n'; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
  done
fi

# Pragmas: the text after '#' of comments that name a tool, plus a few.
all_dockerfiles | xargs -0 cat 2>/dev/null | grep -ai '^[[:space:]]*#.*\(dflint\|hadolint\|check\|ignore\)' |
  sed 's/^[[:space:]]*#//' | split_lines "$out/pragma" 200 c-
printf ' dflint ignore=DL3008,DF101 -- pinned upstream' > "$out/pragma/s-1"
printf ' dflint global ignore=DL3008' > "$out/pragma/s-2"
printf ' hadolint ignore=DL3008 DL3015' > "$out/pragma/s-3"
printf ' hadolint shell=powershell' > "$out/pragma/s-4"
printf ' hadolint stage ignore=DL3003' > "$out/pragma/s-5"
printf ' dflint ignore=' > "$out/pragma/s-6"

# Configuration files under testdata/.
n=0
find "$src/testdata" "$src/examples" -type f \( -name '*.yaml' -o -name '*.yml' \) 2>/dev/null | sort |
while read -r f; do n=$((n + 1)); cp "$f" "$out/config/td-$n"; done

# .dockerignore files under testdata/, each with a few paths to match.
n=0
find "$src/testdata" -type f -name '*dockerignore*' | sort |
while read -r f; do
  n=$((n + 1))
  { cat "$f"; printf '\000src/main.c\000docs/README.md\000.git/config\000a/b/c'; } > "$out/dockerignore/td-$n"
done
printf '*.md\n!README.md\n**/node_modules\n/build/**/*.o\n[a-c]?.txt\n\000README.md\000x/node_modules/y\000build/a/b.o' > "$out/dockerignore/s-1"

# Image references from FROM lines.
all_dockerfiles | xargs -0 cat 2>/dev/null | grep -ai '^[[:space:]]*FROM[[:space:]]' |
  awk '{ for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' |
  split_lines "$out/refs" 600 f-

# Shell scripts: the text after RUN (continuations kept), from the corpus.
all_dockerfiles | xargs -0 cat 2>/dev/null | awk '
  /^[[:space:]]*RUN[[:space:]]/ { cur = $0; sub(/^[[:space:]]*RUN[[:space:]]+/, "", cur); inrun = /\\[[:space:]]*$/; if (!inrun) { print cur; cur = "" }; next }
  inrun { cur = cur "\\n" $0; if ($0 !~ /\\[[:space:]]*$/) { inrun = 0; print cur; cur = "" } }' |
  awk 'length($0) < 6000' | split_lines "$out/shell" 1500 r-
for f in "$out"/shell/r-*; do
  # split_lines joined continuation lines with a literal "\n": restore them.
  awk '{ gsub(/\\n/, "\n"); printf "%s", $0 }' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
done

# Registry answers (fuzz_registry_json: byte 0 picks the parser), written
# here: an index, an image manifest, a config, a token answer, an error
# body, challenges, a cache entry, a digest.
r=$out/registry_json
D=sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
printf '\001{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":1234,"platform":{"os":"linux","architecture":"amd64"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":99,"platform":{"os":"linux","architecture":"arm","variant":"v7"}},{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":5,"annotations":{"vnd.docker.reference.type":"attestation-manifest"},"platform":{"os":"unknown","architecture":"unknown"}}]}' $D $D $D > "$r/index"
printf '\000{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":1469,"digest":"%s"},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":3623807,"digest":"%s"}]}' $D $D > "$r/manifest"
printf '\003{"schemaVersion":1,"name":"library/alpine","tag":"3","fsLayers":[]}' > "$r/schema1"
printf '\006{"architecture":"amd64","os":"linux","created":"2024-01-27T00:00:00Z","config":{"User":"node","Env":["PATH=/usr/bin","A=b"],"Entrypoint":["docker-entrypoint.sh"],"Cmd":["node"],"WorkingDir":"/app","Labels":{"maintainer":"x","org.opencontainers.image.version":"1"}},"rootfs":{"type":"layers","diff_ids":[]}}' > "$r/config"
printf '\004{"token":"abc.def","access_token":"abc.def","expires_in":300,"issued_at":"2024-01-01T00:00:00Z"}' > "$r/token"
printf '\005{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{"Tag":"nope"}}]}' > "$r/error"
printf '\005{"message":"too many requests"}' > "$r/error-hub"
printf '\007Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull", Basic realm="x\\"y"' > "$r/challenge"
printf '\010{"ref":"docker.io/library/alpine:3","platform":"linux/amd64","digest":"%s","media_type":"application/vnd.oci.image.index.v1+json","manifest_digest":"%s","config_digest":"%s","compressed_bytes":3624000,"layers":1,"env":["PATH=/bin"],"cmd":["/bin/sh"],"labels":{"a":"b"},"registry":"https://registry-1.docker.io","fetched_at":1700000000}' $D $D $D > "$r/cache"
printf '\011%s' $D > "$r/digest"

for t in "$out"/*; do
  echo "seeds: $(basename "$t"): $(find "$t" -type f | wc -l) files"
done
