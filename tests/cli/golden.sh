#!/usr/bin/env bash
# Golden tests of what a user sees: runs `cpstack <command> <case dir>` for
# every case under tests/cli/<command>/ and compares stdout+stderr and the
# exit status with the case's expected.txt (first line "exit N"). Extra
# arguments, if any, are in the case's `args` file (paths relative to the
# case's parent). Each case runs in a scratch copy.
#   golden.sh CPSTACK COMMAND        # check
#   UPDATE=1 golden.sh CPSTACK COMMAND  # rewrite expected.txt (then review the diff!)
set -u
cpstack=$(readlink -f "$1"); cmd=$2
cd "$(dirname "$0")/$cmd" || exit 1
pass=0; fail=0
for dir in */; do
  case=${dir%/}
  # (read fails on bytes that are not valid in the locale, yet fills extra)
  extra=(); [ -f "$case/args" ] && { read -r -a extra < "$case/args" || :; }
  # Run in a scratch copy: plan takes locks and may write .cpstack/ there.
  scratch=$(mktemp -d); cp -r "$case" "$scratch/"
  out=$(cd "$scratch" && NO_COLOR=1 CPSTACK_BRANCH=golden "$cpstack" "$cmd" "${extra[@]}" "$case" 2>&1); rc=$?
  rm -rf "$scratch"
  got=$(printf 'exit %s\n%s\n' "$rc" "$out")
  if [ "${UPDATE:-}" = 1 ]; then printf '%s\n' "$got" > "$case/expected.txt"; fi
  if [ "$got" == "$(cat "$case/expected.txt" 2>/dev/null)" ]; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $cmd $case"
    diff <(cat "$case/expected.txt" 2>/dev/null) <(printf '%s\n' "$got") | head -20
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
