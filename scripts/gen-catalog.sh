#!/bin/sh
# Turns data/catalog.tsv into the C arrays src/advisor/catalog.c includes, so
# the built-in catalog needs no parsing or sorting at startup.
#
#   sh scripts/gen-catalog.sh data/catalog.tsv OUT/catalog_data.inc
#
# It checks every field like dfl_catalog_load does and stops at the first
# bad one with FILE:LINE:COLUMN: message (columns count bytes). It sorts the
# rows exactly as catalog.c's comparators do (test_catalog compares the
# generated table with the loader's result). POSIX sh and awk only: it runs
# with mawk, gawk and busybox awk.
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 CATALOG.tsv OUTPUT.inc" >&2
  exit 2
fi
in=$1
out=$2
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT HUP INT TERM

# Byte-wise string order in awk comparisons, as strcmp in C.
LC_ALL=C
export LC_ALL

awk -F '\t' -v file="$in" -v out="$tmp" '
function fail(col, msg) {
  printf "%s:%d:%d: %s\n", file, FNR, col, msg > "/dev/stderr"
  failed = 1
  exit 1
}
function is_date(s,    y, m, d, dim) {
  if (s !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) return 0
  y = substr(s, 1, 4) + 0; m = substr(s, 6, 2) + 0; d = substr(s, 9, 2) + 0
  if (y < 1900 || m < 1 || m > 12 || d < 1) return 0
  dim = 31
  if (m == 4 || m == 6 || m == 9 || m == 11) dim = 30
  if (m == 2) dim = ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28
  return d <= dim
}
function oneof(v, list, what, col,    n, a, i) {
  n = split(list, a, " ")
  for (i = 1; i <= n; i++) if (v == a[i]) return
  fail(col, "invalid " what " \"" v "\" (expected " list ")")
}
function yesno(v, what, col) {
  if (v != "yes" && v != "no") fail(col, what " must be yes or no, not \"" v "\"")
  return v == "yes" ? "true" : "false"
}
function size(v, col) {
  if (v == "") return ""
  if (v !~ /^[0-9]+$/ || length(v) > 15) fail(col, "size must be a byte count (digits only), not \"" v "\"")
  return v
}
# C string literal; "?" is escaped so no trigraph can form.
function cstr(s,    r, i, c, n) {
  if (s !~ /[\\"?]/) return "\"" s "\""
  r = ""
  n = length(s)
  for (i = 1; i <= n; i++) {
    c = substr(s, i, 1)
    if (c == "\\" || c == "\"" || c == "?") r = r "\\" c
    else r = r c
  }
  return "\"" r "\""
}
function upper(s) { return toupper(s) }
# Row order: repository, exact tags (by tag) before patterns, patterns by
# more literal characters, fewer "*", earlier line. Mirrors entry_cmp().
function row_less(a, b,    ea, eb) {
  if ((R[a] "") != (R[b] "")) return (R[a] "") < (R[b] "")
  ea = (WILD[a] == 0); eb = (WILD[b] == 0)
  if (ea != eb) return ea
  if (ea) return (T[a] "") < (T[b] "")
  if (LIT[a] != LIT[b]) return LIT[a] > LIT[b]
  if (WILD[a] != WILD[b]) return WILD[a] < WILD[b]
  return LINE[a] < LINE[b]
}
# Runtime index order: runtime key, heavier kind first, known smaller size
# first, then row position. Mirrors runtime_cmp().
function rt_less(a, b,    ka, kb, sa, sb) {
  ka = substr(RT[a], 1, RTK[a]) ""; kb = substr(RT[b], 1, RTK[b]) ""
  if (ka != kb) return ka < kb
  if (KR[a] != KR[b]) return KR[a] > KR[b]
  sa = (A64[a] == ""); sb = (A64[b] == "")
  if (sa != sb) return sb
  if (!sa && A64[a] + 0 != A64[b] + 0) return A64[a] + 0 < A64[b] + 0
  return POS[a] < POS[b]
}
BEGIN {
  ncol = split("repository tag family libc shell pkg user cc runtime kind amd64_bytes arm64_bytes size_status size_as_of size_source eol eol_source source", HEAD, " ")
  split("static distroless alpine slim runtime full sdk", kinds, " ")
  for (i = 1; i <= 7; i++) KRANK[kinds[i]] = i
  n = 0; header = 0
}
{
  if ($0 ~ /[\001-\010\012-\037\177]/) {
    s = $0; c = 1
    while (substr(s, c, 1) !~ /[\001-\010\012-\037\177]/) c++
    fail(c, "control character in line (tabs separate fields; CRLF line ends are not accepted)")
  }
  if ($0 == "" || substr($0, 1, 1) == "#") next
  col[1] = 1
  for (i = 2; i <= NF + 1; i++) col[i] = col[i - 1] + length($(i - 1)) + 1
  if (!header) {
    for (i = 1; i <= ncol; i++) {
      if (i > NF) fail(length($0) + 1, "header has " NF " fields, expected " ncol " (" HEAD[i] " missing)")
      if ($i != HEAD[i]) fail(col[i], "header field " i " must be \"" HEAD[i] "\", not \"" $i "\"")
    }
    if (NF > ncol) fail(col[ncol + 1], "header has " NF " fields, expected " ncol)
    header = 1
    next
  }
  if (NF < ncol) fail(length($0) + 1, "row has " NF " fields, expected " ncol)
  if (NF > ncol) fail(col[ncol + 1], "row has " NF " fields, expected " ncol)

  repo = $1
  if (repo !~ /^[a-z0-9][a-z0-9.:-]*(\/[a-z0-9][a-z0-9._-]*)+$/) fail(col[1], "repository must be a normalized name such as docker.io/library/node, not \"" repo "\"")
  dom = repo; sub(/\/.*/, "", dom)
  if (dom !~ /[.:]/ && dom != "localhost") fail(col[1], "repository must be a normalized name such as docker.io/library/node, not \"" repo "\"")
  if (dom == "docker.io" && repo !~ /^docker\.io\/[^\/]+\//) fail(col[1], "repository must be a normalized name such as docker.io/library/node, not \"" repo "\"")

  tag = $2
  if (tag !~ /^[A-Za-z0-9_*][A-Za-z0-9_.*-]*$/ || length(tag) > 128) fail(col[2], "tag pattern must be tag characters and \"*\", not \"" tag "\"")
  # Duplicates are reported after every row checked, as the loader does.
  key = repo ":" tag
  if (key in SEEN) {
    if (!dup_line) { dup_line = FNR; dup_col = col[2]; dup_msg = "duplicate row for " key " (first on line " SEEN[key] ")" }
  } else SEEN[key] = FNR

  oneof($3, "alpine debian ubuntu distroless scratch busybox chainguard other", "family", col[3])
  oneof($4, "glibc musl none", "libc", col[4])
  shell = yesno($5, "shell", col[5])
  oneof($6, "apk apt dnf microdnf none", "package manager", col[6])
  if ($7 != "root" && $7 != "nonroot") fail(col[7], "user must be root or nonroot, not \"" $7 "\"")
  cc = yesno($8, "cc", col[8])
  rt = $9
  if (rt ~ /[^ -~]/ || rt ~ /^ / || rt ~ / $/ || rt ~ /  /) fail(col[9], "runtime must be printable ASCII words separated by single spaces")
  oneof($10, "full slim alpine distroless static sdk runtime", "kind", col[10])
  a64 = size($11, col[11]); r64 = size($12, col[12])
  st = $13
  oneof(st, "sourced estimated unknown", "size status", col[13])
  asof = $14; ssrc = $15
  if (asof != "" && !is_date(asof)) fail(col[14], "size_as_of must be a YYYY-MM-DD date, not \"" asof "\"")
  if (st == "unknown") {
    if (a64 != "") fail(col[11], "size status unknown but a size is given")
    if (r64 != "") fail(col[12], "size status unknown but a size is given")
    if (asof != "") fail(col[14], "size status unknown but size_as_of is given")
    if (ssrc != "") fail(col[15], "size status unknown but size_source is given")
  } else {
    if (a64 == "") fail(col[11], "size status " st " needs the amd64 size")
    if (ssrc == "") fail(col[15], "size status " st " needs size_source")
  }
  eol = $16
  if (eol != "" && !is_date(eol)) fail(col[16], "eol must be a YYYY-MM-DD date, not \"" eol "\"")
  if (eol != "" && $17 == "") fail(col[17], "eol date without eol_source")
  if (eol == "" && $17 != "") fail(col[17], "eol_source without an eol date")
  if ($18 == "") fail(col[18], "source is empty: every row must say where it comes from")

  n++
  R[n] = repo; T[n] = tag; LINE[n] = FNR
  FAM[n] = $3; LIBC[n] = $4; SH[n] = shell; PKG[n] = $6; NONROOT[n] = ($7 == "nonroot") ? "true" : "false"
  CC[n] = cc; RT[n] = rt; KIND[n] = $10; KR[n] = KRANK[$10]
  A64[n] = a64; R64[n] = r64; ST[n] = st; ASOF[n] = asof; SSRC[n] = ssrc
  EOL[n] = eol; EOLS[n] = $17; SRC[n] = $18
  w = tag; WILD[n] = gsub(/\*/, "", w); LIT[n] = length(w)
  # Runtime key: the first two words ("java 21" of "java 21 jre").
  k = index(rt, " ")
  if (k == 0) RTK[n] = length(rt)
  else {
    k2 = index(substr(rt, k + 1), " ")
    RTK[n] = (k2 == 0) ? length(rt) : k + k2 - 1
  }
}
END {
  if (failed) exit 1
  if (!header) { FNR = 1; fail(1, "no header line") }
  if (n == 0) { FNR = 1; fail(1, "no rows") }
  if (dup_line) { FNR = dup_line; fail(dup_col, dup_msg) }
  # Insertion sorts: a few hundred rows, and awk has no portable sort.
  for (i = 1; i <= n; i++) ORD[i] = i
  for (i = 2; i <= n; i++) {
    v = ORD[i]; j = i - 1
    while (j >= 1 && row_less(v, ORD[j])) { ORD[j + 1] = ORD[j]; j-- }
    ORD[j + 1] = v
  }
  for (i = 1; i <= n; i++) POS[ORD[i]] = i - 1
  nr = 0
  for (i = 1; i <= n; i++) if (RTK[i] > 0) RTI[++nr] = i
  for (i = 2; i <= nr; i++) {
    v = RTI[i]; j = i - 1
    while (j >= 1 && rt_less(v, RTI[j])) { RTI[j + 1] = RTI[j]; j-- }
    RTI[j + 1] = v
  }

  print "/* Generated by scripts/gen-catalog.sh from " file ": do not edit. */" > out
  print "static const dfl_catalog_entry builtin_entries[] = {" > out
  for (i = 1; i <= n; i++) {
    e = ORD[i]
    eymd = (EOL[e] == "") ? 0 : (substr(EOL[e], 1, 4) substr(EOL[e], 6, 2) substr(EOL[e], 9, 2)) + 0
    printf "  {.repository = %s, .tag = %s, .runtime = %s,\n", cstr(R[e]), cstr(T[e]), cstr(RT[e]) > out
    printf "   .size_as_of = %s, .size_source = %s,\n", cstr(ASOF[e]), cstr(SSRC[e]) > out
    printf "   .eol = %s, .eol_source = %s,\n", cstr(EOL[e]), cstr(EOLS[e]) > out
    printf "   .source = %s,\n", cstr(SRC[e]) > out
    printf "   .size_amd64 = %s, .size_arm64 = %s, .eol_ymd = %d, .line = %d,\n", \
      (A64[e] == "" ? "-1" : "INT64_C(" A64[e] ")"), (R64[e] == "" ? "-1" : "INT64_C(" R64[e] ")"), eymd, LINE[e] > out
    printf "   .runtime_key_len = %d, .literal = %d, .wildcards = %d,\n", RTK[e], LIT[e], WILD[e] > out
    printf "   .family = DFL_CAT_FAMILY_%s, .libc = DFL_CAT_LIBC_%s, .pkg = DFL_CAT_PKG_%s,\n", upper(FAM[e]), upper(LIBC[e]), upper(PKG[e]) > out
    printf "   .kind = DFL_CAT_KIND_%s, .size_status = DFL_CAT_SIZE_%s,\n", upper(KIND[e]), upper(ST[e]) > out
    printf "   .shell = %s, .nonroot = %s, .cc = %s},\n", SH[e], NONROOT[e], CC[e] > out
  }
  print "};" > out
  print "" > out
  print "static const catalog_repo builtin_repos[] = {" > out
  nrepo = 0
  i = 1
  while (i <= n) {
    e = ORD[i]; first = i; nexact = 0
    while (i <= n && R[ORD[i]] == R[e]) { if (WILD[ORD[i]] == 0) nexact++; i++ }
    printf "  {%s, %d, %d, %d},\n", cstr(R[e]), first - 1, nexact, i - first > out
    nrepo++
  }
  print "};" > out
  print "" > out
  print "static const uint32_t builtin_by_runtime[] = {" > out
  line = " "
  for (i = 1; i <= nr; i++) {
    line = line " " POS[RTI[i]] ","
    if (i % 16 == 0 || i == nr) { print line > out; line = " " }
  }
  if (nr == 0) print "  0 /* no runtimes: placeholder, count is 0 */" > out
  print "};" > out
  printf "#define BUILTIN_BY_RUNTIME_COUNT %d\n", nr > out
}
' "$in"

mv "$tmp" "$out"
trap - EXIT HUP INT TERM
