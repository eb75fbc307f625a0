#!/usr/bin/env bash
# CI check that docs/functions.md is current: it must be exactly what
# `cpstack functions -markdown` prints (the table of lang/functions_doc.c).
#   check_functions_doc.sh CPSTACK DOCS_FILE
set -u
cpstack=$1; docs=$2
want=$("$cpstack" functions -markdown) || {
  echo "cpstack functions -markdown failed; fix it before checking docs/functions.md"; exit 1; }
if [ ! -f "$docs" ] || [ "$want" != "$(cat "$docs")" ]; then
  echo "docs/functions.md is out of date: run cpstack functions -markdown > docs/functions.md"
  [ -f "$docs" ] && diff <(cat "$docs") <(printf '%s\n' "$want") | head -20
  exit 1
fi
# every function of the language is in it, once
n=$("$cpstack" functions | wc -l)
rows=$(grep -c '^| `' "$docs")
[ "$n" = "$rows" ] || { echo "docs/functions.md has $rows functions, cpstack has $n"; exit 1; }
echo "docs/functions.md is current ($n functions)"
