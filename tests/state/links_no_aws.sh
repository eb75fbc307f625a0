#!/usr/bin/env bash
# links_no_aws.sh NM LIBRARY [MESON_BUILD]: fails (exit 1, naming what it
# found) when LIBRARY defines or uses any aws_* or curl_* symbol, or when
# MESON_BUILD (outside comments) names the AWS layer, libcurl or a layer
# that links them (cp_aws_dep, curl_dep, cp_backend_s3_dep …). Keeps
# src/state free of I/O to AWS: only the S3 backend links src/aws.
set -u
nm=$1 lib=$2 build=${3:-}
syms=$("$nm" -P "$lib" 2>&1) || { echo "FAIL: $nm could not read $lib: $syms"; exit 1; }
# A library that defines nothing would pass for the wrong reason.
if ! grep -qE '^[^ ]+ [TtDdBbRr] ' <<<"$syms"; then
  echo "FAIL: $lib defines no symbols; is it the right library?"
  exit 1
fi
bad=$(grep -E '^_?(aws_|curl_)[^ ]* ' <<<"$syms" | sort -u)
if [ -n "$bad" ]; then
  echo "FAIL: $lib uses the AWS layer or libcurl:"
  sed 's/^/    /' <<<"$bad" | head -20
  exit 1
fi
if [ -n "$build" ]; then
  deps=$(sed 's/#.*//' "$build" | grep -noE '\b(cp_aws_dep|cp_aws_provider_dep|cp_providers_dep|cp_backend_s3_dep|curl_dep)\b')
  if [ -n "$deps" ]; then
    echo "FAIL: $build depends on the AWS layer or libcurl:"
    sed 's/^/    line /' <<<"$deps"
    exit 1
  fi
fi
echo "ok: $lib links neither src/aws nor libcurl"
