#!/bin/sh
# Installs the Debian packages dflint needs to build and test, only those missing.
# Runs as root (apt-get directly) or through sudo when available.
set -e
PKGS="build-essential cmake pkg-config libcurl4-openssl-dev libjansson-dev libpcre2-dev check libyaml-dev python3 python3-jsonschema bc libxml2-utils shellcheck git pre-commit python3-yaml man-db groff-base neovim vim vim-ale zsh fish docker-registry skopeo openssl curl jq apache2-utils valgrind"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install:$missing" >&2; exit 2; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
