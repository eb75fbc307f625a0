#!/bin/sh
# interrupt_test.sh: Ctrl-C during apply, as a user presses it.
#   once:  no new operation starts, the ones in flight finish and are
#          recorded, state is saved, exit 1; the next apply finishes the rest;
#   twice: in-flight operations are abandoned, state still records what they
#          left (tainted), and the next apply converges with no duplicate.
# Usage: interrupt_test.sh /path/to/cpstack
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=test NO_COLOR=1
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
cat > main.cp <<'CP'
resource "test_thing" "t" {
  count    = 6
  name     = "t-${count.index}"
  sleep_ms = 3000
}
CP
in_world() { ls "$T/world" | wc -l; }
in_state() { "$CP" state list 2>/dev/null | wc -l; }

# --- once ------------------------------------------------------------------------
"$CP" apply -auto-approve -parallelism 2 > once.out 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
wait $pid; rc=$?
check "one Ctrl-C: apply stops with exit 1" '[ $rc = 1 ]'
check "one Ctrl-C: says what happens" 'grep -q "Interrupt received: no new operations will start" once.out'
check "one Ctrl-C: the two in flight finish" '[ "$(grep -c "Creation complete" once.out)" = 2 ]'
check "one Ctrl-C: nothing new started" '[ "$(in_world)" = 2 ]'
check "one Ctrl-C: state holds exactly what exists" '[ "$(in_state)" = 2 ] && ! "$CP" state list | grep -q tainted'
"$CP" apply -auto-approve > rest.out 2>&1; rc=$?
check "the next apply finishes the rest" '[ $rc = 0 ] && grep -q "Resources: 4 added, 0 changed, 0 destroyed." rest.out'
check "six objects, no duplicate" '[ "$(in_world)" = 6 ] && [ "$(in_state)" = 6 ]'

# --- twice -------------------------------------------------------------------------
"$CP" destroy -auto-approve > /dev/null 2>&1
check "destroy leaves nothing" '[ "$(in_world)" = 0 ]'
"$CP" apply -auto-approve -parallelism 2 > twice.out 2>&1 &
pid=$!
sleep 1.5
kill -INT $pid
sleep 0.2
kill -INT $pid
wait $pid; rc=$?
check "two Ctrl-C: apply stops with exit 1" '[ $rc = 1 ] && grep -q "Second interrupt: abandoning" twice.out'
check "two Ctrl-C: abandoned objects are in state, marked tainted" \
      '[ "$(in_state)" = "$(in_world)" ] && [ "$("$CP" state list | grep -c tainted)" = "$(in_world)" ]'
"$CP" apply -auto-approve > again.out 2>&1; rc=$?
check "the next apply converges" '[ $rc = 0 ] && [ "$(in_world)" = 6 ] && [ "$(in_state)" = 6 ]'
"$CP" plan -detailed-exitcode > /dev/null 2>&1; rc=$?
check "then no changes" '[ $rc = 0 ]'
echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ $fails = 0 ]
