#!/usr/bin/env bash
# Installs the Debian packages cpstack needs to build, test and run its demo,
# and moto (the independent AWS mock the tests also run against: python3 -m
# moto.server) for the python3 on PATH. Safe to run again: it only installs
# what is missing. Needs root (or sudo) for the Debian packages.
set -euo pipefail

# moto[server] with pip when `import moto.server` fails; a missing network is
# only fatal when moto is missing too (the moto tests need it).
ensure_moto() {
  python3 -c 'import moto.server' 2>/dev/null && return 0
  echo "installing moto[server] with pip (python3 -m pip)"
  if ! python3 -m pip install -q 'moto[server]'; then
    echo "install-deps: moto is missing and pip could not install it (no network?);" \
      "the e2e-moto and providers_aws_moto tests need it: python3 -m pip install 'moto[server]'" >&2
    return 1
  fi
  python3 -c 'import moto.server'
}
pkgs=(meson ninja-build pkg-config gcc clang libclang-rt-14-dev flex bison
      libjansson-dev libcurl4-openssl-dev libmbedtls-dev libxml2-dev libcmocka-dev
      libarchive-dev libyaml-dev zlib1g-dev uuid-dev libcrypt-dev libcsv-dev libunistring-dev
      python3 python3-botocore python3-boto3 awscli graphviz
      valgrind time strace git clang-format openssl curl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
ensure_moto
