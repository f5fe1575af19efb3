#!/bin/sh
# docs/editors.md stays true: its snippets (the fenced blocks after an
# `<!-- editors_check: NAME -->` line) are run against the dflint under test.
#   nvim-diagnostic: in Debian's Neovim (headless), vim.diagnostic.get(0)
#   nvim-lint: in Neovim, with a stand-in for nvim-lint's documented API
#   ale: in Debian's Vim with Debian's ALE (vim-ale), the location list
#   vscode-tasks: valid JSON; its command run and its regexp applied
# Each must report exactly the findings of `dflint check --format json` on the
# same file, converted as the editor counts (0- or 1-based, end inclusive or
# not). The Dockerfile lies in a project with a .dflint.yaml and is opened
# from another directory, so a snippet that did not pass the buffer's path
# would miss the configuration. Editors not installed are reported; if any
# is missing the test exits 77 (skipped) after running the others.
#   usage: tests/editors_check.sh BINARY SRCDIR
set -u
bin=$1
src=$2
doc=$src/docs/editors.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/home" "$tmp/proj" "$tmp/rtp/ale_linters/dockerfile"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/dflint"
PATH=$tmp/bin:$PATH
HOME=$tmp/home
XDG_CONFIG_HOME=$tmp/home/.config
export PATH HOME XDG_CONFIG_HOME
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
fail=0
pass=0
missing=""

extract() { # NAME: the fenced block after <!-- editors_check: NAME -->
  awk -v name="$1" '$0 == "<!-- editors_check: " name " -->" { f = 1; next }
    f && /^```/ { if (b) exit; b = 1; next }
    f && b { print }' "$doc"
}
for name in nvim-diagnostic nvim-lint ale vscode-tasks; do
  extract "$name" > "$tmp/$name.block"
  if [ ! -s "$tmp/$name.block" ]; then
    echo "FAIL docs/editors.md has no block marked editors_check: $name" >&2
    fail=$((fail + 1))
  fi
done

# A warning and an error, a non-ASCII byte before a range's end, and a
# finding the project's configuration turns off (StageNameCasing).
printf 'FROM alpine AS Build\nMAINTAINER zo\303\253 <z@example.com>\nEXPOSE\n' > "$tmp/proj/Dockerfile"
printf 'ignore: [StageNameCasing]\n' > "$tmp/proj/.dflint.yaml"
(cd "$tmp/proj" && dflint check --format json Dockerfile) > "$tmp/expected.json"
grep -q StageNameCasing "$tmp/expected.json" && { echo "FAIL: the configuration was not applied" >&2; exit 1; }
cd "$tmp" || exit 1

# compare KIND FILE: the editor's findings (JSON) against expected.json.
compare() {
  if "$py" - "$1" "$tmp/expected.json" "$2" > "$tmp/cmp" 2>&1 <<'PY'; then
import json, sys
kind, expected, got = sys.argv[1], json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
nvim_sev = {"error": 1, "warning": 2, "info": 3, "style": 4}
ale_type = {"error": "E", "warning": "W", "info": "I", "style": "I"}
want = []
for f in expected:
    if kind == "nvim":
        want.append({"lnum": f["line"] - 1, "col": f["column"] - 1, "end_lnum": f["end_line"] - 1,
                     "end_col": f["end_column"] - 1, "severity": nvim_sev[f["severity"]],
                     "message": f["message"], "code": f["rule"], "source": "dflint"})
    elif kind == "ale":
        want.append({"lnum": f["line"], "col": f["column"], "end_lnum": f["end_line"],
                     "end_col": f["end_column"] - 1, "type": ale_type[f["severity"]],
                     "code": f["rule"], "text": f["message"], "linter": "dflint"})
    else:
        want.append({"file": "Dockerfile", "line": f["line"], "column": f["column"],
                     "severity": {"error": "error", "warning": "warning"}.get(f["severity"], "note"),
                     "message": f["message"], "code": f["rule"]})
key = lambda d: json.dumps(d, sort_keys=True)
if len(want) < 2:
    sys.exit("expected.json has fewer than 2 findings: %r" % expected)
if sorted(map(key, want)) != sorted(map(key, got)):
    print("want:", json.dumps(sorted(want, key=key), indent=1, ensure_ascii=False))
    print("got: ", json.dumps(sorted(got, key=key), indent=1, ensure_ascii=False))
    sys.exit(1)
print("%s: %d findings as dflint reports them" % (kind, len(want)))
PY
    pass=$((pass + 1))
  else
    echo "FAIL $3:" >&2
    cat "$tmp/cmp" >&2
    fail=$((fail + 1))
  fi
}

# ---- Neovim --------------------------------------------------------------------
cat > "$tmp/dump.lua" <<'EOF'
-- Writes the current buffer's diagnostics as JSON to $DUMP and quits.
function dump()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(out, { lnum = d.lnum, col = d.col, end_lnum = d.end_lnum,
      end_col = d.end_col, severity = d.severity, message = d.message,
      code = d.code, source = d.source })
  end
  local f = assert(io.open(vim.env.DUMP, 'w'))
  f:write(vim.fn.json_encode(out))
  f:close()
  vim.cmd('qall!')
end
EOF
# What nvim-lint documents, and only that: linters_by_ft picks the linters by
# filetype; args may hold functions, called when the linter runs; stdin =
# true sends the buffer; append_fname adds the file name otherwise; a non-zero
# exit is an error unless ignore_exitcode; parser(output, bufnr) returns the
# diagnostics, which are set in a namespace of the linter's own.
cat > "$tmp/lint-standin.lua" <<'EOF'
vim.cmd('filetype on')
local M = { linters = {}, linters_by_ft = {} }
function M.try_lint()
  local bufnr = vim.api.nvim_get_current_buf()
  for _, name in ipairs(M.linters_by_ft[vim.bo[bufnr].filetype] or {}) do
    local l = M.linters[name]
    local cmd = { l.cmd }
    for _, a in ipairs(l.args or {}) do
      table.insert(cmd, type(a) == 'function' and a() or a)
    end
    local input = nil
    if l.stdin then
      input = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
    elseif l.append_fname ~= false then
      table.insert(cmd, vim.api.nvim_buf_get_name(bufnr))
    end
    local out = vim.fn.system(cmd, input)
    if vim.v.shell_error ~= 0 and not l.ignore_exitcode then
      error(name .. ' exited ' .. vim.v.shell_error .. ': ' .. out)
    end
    vim.diagnostic.set(vim.api.nvim_create_namespace(name), bufnr, l.parser(out, bufnr))
  end
end
package.loaded['lint'] = M
EOF
if command -v nvim >/dev/null 2>&1; then
  for name in nvim-diagnostic nvim-lint; do
    cp "$tmp/$name.block" "$tmp/$name.lua"
    pre=""
    [ "$name" = nvim-lint ] && pre="luafile lint-standin.lua"
    DUMP=$tmp/$name.json timeout 60 nvim --headless -u NONE -i NONE \
      --cmd 'luafile dump.lua' ${pre:+--cmd "$pre"} --cmd "luafile $name.lua" \
      -c 'lua dump()' proj/Dockerfile > "$tmp/$name.log" 2>&1
    if [ -s "$tmp/$name.json" ]; then
      compare nvim "$tmp/$name.json" "$name"
    else
      echo "FAIL $name: Neovim wrote no diagnostics:" >&2
      cat "$tmp/$name.log" >&2
      fail=$((fail + 1))
    fi
  done
else
  missing="$missing neovim"
fi

# ---- Vim with ALE --------------------------------------------------------------
ale=""
for d in /usr/share/vim-ale /usr/share/vim/vimfiles/pack/dist-bundle/opt/ale; do
  [ -f "$d/autoload/ale.vim" ] && ale=$d && break
done
if command -v vim >/dev/null 2>&1 && [ -n "$ale" ]; then
  cp "$tmp/ale.block" "$tmp/rtp/ale_linters/dockerfile/dflint.vim"
  cat > "$tmp/test.vimrc" <<'EOF'
" The snippet's directory first, then ALE (Debian's vim-ale) from $ALE.
set nocompatible
let &runtimepath = $RTP . ',' . $ALE . ',' . &runtimepath . ',' . $ALE . '/after'
filetype on
let g:ale_linters = {'dockerfile': ['dflint']}
let g:ale_lint_on_enter = 0
let g:ale_lint_on_text_changed = 'never'
let g:ale_lint_on_insert_leave = 0
let g:ale_lint_on_save = 0
function! LintAndDump() abort
  ALELint
  let l:info = {}
  for l:i in range(400)
    sleep 50m
    let l:info = get(g:ale_buffer_info, bufnr(''), {})
    if has_key(l:info, 'loclist') && !ale#engine#IsCheckingBuffer(bufnr('')) | break | endif
  endfor
  let l:items = map(copy(get(l:info, 'loclist', [])), {_, v -> {
  \ 'lnum': v.lnum, 'col': v.col, 'end_lnum': get(v, 'end_lnum', -1),
  \ 'end_col': get(v, 'end_col', -1), 'type': v.type, 'code': get(v, 'code', ''),
  \ 'text': v.text, 'linter': v.linter_name}})
  call writefile([json_encode(l:items)], $DUMP)
  qall!
endfunction
autocmd VimEnter * call LintAndDump()
EOF
  RTP=$tmp/rtp ALE=$ale DUMP=$tmp/ale.json timeout 60 vim -N -u "$tmp/test.vimrc" -i NONE -n -es proj/Dockerfile > "$tmp/ale.log" 2>&1
  if [ -s "$tmp/ale.json" ]; then
    compare ale "$tmp/ale.json" ale
  else
    echo "FAIL ale: Vim wrote no location list:" >&2
    cat "$tmp/ale.log" >&2
    fail=$((fail + 1))
  fi
else
  missing="$missing vim/vim-ale"
fi

# ---- VS Code's task ------------------------------------------------------------
if "$py" - "$tmp/vscode-tasks.block" "$tmp/proj" > "$tmp/vscode.json" 2> "$tmp/vscode.log" <<'PY'; then
import json, os, re, subprocess, sys
tasks = json.load(open(sys.argv[1]))
task = next(t for t in tasks["tasks"] if t["label"] == "dflint")
workspace = sys.argv[2]
expand = lambda s: s.replace("${workspaceFolder}", workspace)
m = task["problemMatcher"]
assert m["fileLocation"] == ["relative", "${workspaceFolder}"], m["fileLocation"]
p = m["pattern"]
rx = re.compile(p["regexp"])
out = subprocess.run([task["command"]] + task["args"], cwd=expand(task["options"]["cwd"]),
                     stdout=subprocess.PIPE, text=True)
assert out.returncode == 0, "exit %d" % out.returncode
found = []
for line in out.stdout.splitlines():
    g = rx.match(line)
    assert g, "the regexp does not match: %r" % line
    # VS Code joins the path to the workspace folder: ./Dockerfile is fine.
    found.append({"file": os.path.normpath(g.group(p["file"])), "line": int(g.group(p["line"])),
                  "column": int(g.group(p["column"])), "severity": g.group(p["severity"]),
                  "message": g.group(p["message"]), "code": g.group(p["code"])})
print(json.dumps(found))
PY
  compare vscode "$tmp/vscode.json" vscode-tasks
else
  echo "FAIL vscode-tasks:" >&2
  cat "$tmp/vscode.log" >&2
  fail=$((fail + 1))
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1
if [ -n "$missing" ]; then
  echo "not installed:$missing (scripts/install-deps.sh installs them): skipped"
  exit 77
fi
