#!/usr/bin/env bash
# CI check that docs/resources.md is current: it must be exactly what
# `cpstack schema -markdown` prints for the providers a user gets (the
# cpstack binary, which has no test-only provider).
#   check_docs.sh CPSTACK DOCS_FILE
set -u
cpstack=$1; docs=$2
want=$("$cpstack" schema -markdown) || {
  echo "cpstack schema -markdown failed; fix it before checking docs/resources.md"; exit 1; }
if [ ! -f "$docs" ] || [ "$want" != "$(cat "$docs")" ]; then
  echo "docs/resources.md is out of date: run cpstack schema -markdown > docs/resources.md"
  [ -f "$docs" ] && diff <(cat "$docs") <(printf '%s\n' "$want") | head -20
  exit 1
fi
echo "docs/resources.md is current"
