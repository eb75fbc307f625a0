#!/usr/bin/env bash
# state_owner.sh CPSTACK: a state file is used only by the stack and branch
# it names. A copy of stack "alpha"'s state in stack "beta" (as when two
# stacks share a backend key), or one branch's state under another branch's
# name, is refused with a message naming both; `branches` still lists it,
# `state mv` still works on a stack's own state, and an old (format 0)
# file of the right stack and branch is still read.
set -u
cpstack=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1
fail() { echo "FAIL: $*"; printf '%s\n' "${out:-}"; exit 1; }
stack() { # dir name
    mkdir -p "$work/$1"
    printf 'stack "%s" {\n  region = "eu-west-1"\n}\n\nresource "random_id" "x" {\n  byte_length = 8\n}\n' "$2" > "$work/$1/main.cp"
}
stack alpha alpha
stack beta beta
cd "$work/alpha" || exit 1
out=$("$cpstack" apply -auto-approve -branch main . 2>&1) || fail "apply of alpha failed"
out=$("$cpstack" state mv -branch main random_id.x random_id.y 2>&1) || fail "state mv failed"
out=$("$cpstack" state list -branch main 2>&1)
[ "$out" = "random_id.y" ] || fail "state mv did not move: $out"

# another stack's state
mkdir -p "$work/beta/.cpstack"
cp .cpstack/main.cpstate "$work/beta/.cpstack/main.cpstate"
cd "$work/beta" || exit 1
out=$("$cpstack" plan -branch main . 2>&1)
[ $? -eq 1 ] || fail "plan of beta with alpha's state did not fail"
case $out in
*'belongs to stack "alpha" branch "main", not to this stack "beta" branch "main"'*) ;;
*) fail "message does not name both stacks" ;;
esac
out=$("$cpstack" state rm -branch main random_id.y 2>&1) && fail "state rm edited another stack's state"
out=$("$cpstack" branches . 2>&1) || fail "branches failed"
case $out in *main*) ;; *) fail "branches does not list main" ;; esac

# another branch's state
cd "$work/alpha" || exit 1
cp .cpstack/main.cpstate .cpstack/other.cpstate
out=$("$cpstack" plan -branch other . 2>&1)
[ $? -eq 1 ] || fail "plan of branch other with main's state did not fail"
case $out in *'branch "main", not to this stack "alpha" branch "other"'*) ;; *) fail "branch message" ;; esac
rm .cpstack/other.cpstate

# an old file (format 0) of this stack and branch is still read
mkdir -p "$work/old/.cpstack"
stack old web
printf '{ "version": 0, "serial": 3, "stack": "web", "branch": "main",\n  "resources": [], "outputs": {} }\n' \
    > "$work/old/.cpstack/main.cpstate"
cd "$work/old" || exit 1
out=$("$cpstack" plan -branch main . 2>&1) || fail "plan with an old state file failed"
echo ok
