#!/usr/bin/env bash
# Installs the Debian packages cpstack needs to build, test and run its demo.
# Safe to run again: it only installs what is missing. Needs root (or sudo).
set -euo pipefail
pkgs=(meson ninja-build pkg-config gcc clang libclang-rt-14-dev flex bison
      libjansson-dev libcurl4-openssl-dev libmbedtls-dev libxml2-dev libcmocka-dev
      libarchive-dev python3 python3-botocore python3-boto3 awscli graphviz
      valgrind time git clang-format)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
