#!/usr/bin/env bash
# Stops the servers a start.sh or fault_server.py run recorded in DIR/*.pid,
# by those pids only, and removes DIR with --purge.
# usage: stop.sh DIR [--purge]
set -u
DIR=${1:?usage: stop.sh DIR [--purge]}
[ -d "$DIR" ] || exit 0
for f in "$DIR"/*.pid; do
  [ -f "$f" ] || continue
  pid=$(cat "$f" 2>/dev/null)
  case "$pid" in ''|*[!0-9]*) rm -f "$f"; continue ;; esac
  # only a process that is still one of ours (pids are reused)
  if kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null |
      grep -qE 'docker-registry|registry serve|token_server.py|fault_server.py'; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  fi
  rm -f "$f"
done
if [ "${2:-}" = --purge ]; then rm -rf "$DIR"; fi
exit 0
