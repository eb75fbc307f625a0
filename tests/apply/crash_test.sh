#!/bin/sh
# crash_test.sh: kill -9 cpstack at random moments of a 200-resource apply,
# ROUNDS times (default 50). After every kill: the state file must parse
# (`state list` works), and a full apply must converge: exit 0, a second
# plan shows no changes, every object in the test world is tracked in state
# exactly once and nothing in state is missing from the world.
# Usage: crash_test.sh /path/to/cpstack [ROUNDS]
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
ROUNDS=${2:-50}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=crash NO_COLOR=1
unset CPSTACK_TEST_FAIL CPSTACK_TEST_LOG
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
cat > main.cp <<'CP'
variable "gen" {
  default = "0"
}

resource "test_thing" "base" {
  count    = 40
  name     = "base-${count.index}"
  value    = var.gen
  sleep_ms = 4
}

resource "test_thing" "mid" {
  count    = 160
  name     = "mid-${count.index}"
  value    = "${test_thing.base[count.index % 40].name}-${var.gen}"
  sleep_ms = 4
}
CP
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }

converged() {
    "$CP" apply -auto-approve -var gen="$1" > conv.out 2>&1 || { cat conv.out | tail -5 >&2; return 1; }
    "$CP" plan -detailed-exitcode -var gen="$1" > /dev/null 2>&1 || return 1
    "$CP" state list | grep '^test_thing' | sed 's/  #.*//' | sort > tracked
    [ "$(wc -l < tracked)" = 200 ] || return 1
    [ "$(sort -u tracked | wc -l)" = 200 ] || return 1
    [ "$(ls "$CPSTACK_TEST_WORLD" | wc -l)" = 200 ] || return 1
}

i=0
while [ $i -lt "$ROUNDS" ]; do
    i=$((i + 1))
    # every third round destroys first, so kills also land in creates
    if [ $((i % 3)) = 0 ]; then "$CP" destroy -auto-approve > /dev/null 2>&1; fi
    "$CP" apply -auto-approve -var gen="$i" > run.out 2>&1 &
    pid=$!
    sleep "0.$(( ($(od -An -N2 -tu2 /dev/urandom) % 90) + 5 ))"
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    # a kill leaves the lock behind: it names a dead pid on this host
    lock=$(ls .cpstack/*.lock 2> /dev/null | head -1)
    if [ -n "$lock" ]; then
        id=$(sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' "$lock" | head -1)
        "$CP" force-unlock "$id" > /dev/null 2>&1 || rm -f "$lock"
    fi
    check "round $i: state parses after kill -9" '"$CP" state list > /dev/null 2>&1'
    check "round $i: next apply converges, no duplicate, nothing untracked" 'converged $i'
done
echo "1..$n"
[ $fails = 0 ]
