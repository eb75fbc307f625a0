#!/bin/sh
# deposed_test.sh: create_before_destroy never loses the old object.
# A replacement with create_before_destroy first records the old object as
# deposed (in the same durable state change as the new object's create
# intent), creates the new one, then deletes the old one. cpstack is killed
# with -9 in the two windows where both objects exist:
#   A: the new object is created and the old one's delete is under way;
#   B: the new object exists but its create has not returned yet.
# After each kill the state must still track the old object (deposed, key of
# 8 hex digits; the new one may still be a pending create when the kill beat
# the write that records it), the plan must show its deletion, and the next apply must
# delete it, leaving exactly the new object in the world and in state.
# Also: a replace without a crash leaves nothing deposed; a create that
# fails having made nothing puts the old object back; destroy after a kill
# deletes the deposed object too.
# Usage: deposed_test.sh /path/to/cpstack [ROUNDS per window, default 3]
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
ROUNDS=${2:-3}
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=cbd NO_COLOR=1
export CPSTACK_TEST_LOG="$T/calls.log"
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
cat > main.cp <<'CP'
variable "gen" {
  default = "1"
}

resource "test_thing" "a" {
  name     = "a-${var.gen}"
  force    = var.gen
  sleep_ms = 2000
  lifecycle {
    create_before_destroy = true
  }
}

resource "test_thing" "b" {
  name  = "b"
  value = test_thing.a.id
}
CP
n=0; fails=0
check() {
    n=$((n + 1))
    if eval "$2"; then echo "ok $n - $1"; return; fi
    echo "not ok $n - $1"; fails=$((fails + 1))
    echo "# state list: $(tracked)"; echo "# world: $(world)"
}
world() { ls "$T/world" | sort | tr '\n' ' '; }
tracked() { "$CP" state list 2>&1 | tr '\n' ';'; }
deposed_key() { "$CP" state list 2>/dev/null | sed -n 's/^test_thing\.a  # deposed object \([0-9a-f]\{8\}\)$/\1/p'; }

# Wait (up to 15 s) until `$1` holds, polling every 20 ms.
wait_for() {
    k=0
    while [ $k -lt 750 ]; do eval "$1" && return 0; sleep 0.02; k=$((k + 1)); done
    return 1
}

unlock_stale() {
    lock=$(ls .cpstack/*.lock 2> /dev/null | head -1)
    if [ -n "$lock" ]; then
        id=$(sed -n 's/.*"id": *"\([^"]*\)".*/\1/p' "$lock" | head -1)
        "$CP" force-unlock "$id" > /dev/null 2>&1 || rm -f "$lock"
    fi
}

# Replace a-$1 by a-$2 and kill -9 once `$3` holds.
kill_when() {
    : > "$CPSTACK_TEST_LOG"
    "$CP" apply -auto-approve -var gen="$2" > run.out 2>&1 &
    pid=$!
    wait_for "$3"; waited=$?
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    unlock_stale
    [ $waited = 0 ]
}

"$CP" apply -auto-approve > first.out 2>&1; rc=$?
check "first apply creates a-1 and b" '[ $rc = 0 ] && [ "$(world)" = "a-1 b " ]'

# --- a replacement without a crash ------------------------------------------------------
: > "$CPSTACK_TEST_LOG"
"$CP" apply -auto-approve -var gen=2 > cbd.out 2>&1; rc=$?
check "replace: create of a-2 before delete of a-1" \
      '[ $rc = 0 ] && [ "$(grep -n "create test_thing a-2" "$CPSTACK_TEST_LOG" | cut -d: -f1)" -lt "$(grep -n "delete test_thing a-1" "$CPSTACK_TEST_LOG" | cut -d: -f1)" ]'
check "replace: apply names the old object as deposed" 'grep -q "^test_thing.a (deposed object [0-9a-f]\{8\}): Destroying... \[id=a-1\]" cbd.out'
check "replace: nothing deposed left, world has a-2 and b" \
      '[ "$(tracked)" = "test_thing.a;test_thing.b;" ] && [ "$(world)" = "a-2 b " ] && ! grep -q deposed .cpstack/cbd.cpstate'

# --- a create that fails having made nothing puts the old object back -------------------
CPSTACK_TEST_FAIL=create:a-3 "$CP" apply -auto-approve -var gen=3 > fail.out 2>&1; rc=$?
check "failed create: apply fails" '[ $rc = 1 ] && grep -q "create failed on purpose" fail.out'
check "failed create: a-2 is current again, nothing deposed" \
      '[ "$(tracked)" = "test_thing.a;test_thing.b;" ] && [ "$(world)" = "a-2 b " ] && grep -q "\"id\": \"a-2\"" .cpstack/cbd.cpstate && ! grep -q deposed .cpstack/cbd.cpstate'
"$CP" plan -detailed-exitcode -var gen=2 > /dev/null 2>&1; rc=$?
check "failed create: state matches the world (no changes at gen 2)" '[ $rc = 0 ]'

# --- kills -----------------------------------------------------------------------------
after_kill() {  # $1 = window, $2 = old gen, $3 = new gen
    old=$2 new=$3   # (check evals its test with its own $1 $2)
    key=$(deposed_key)
    check "$1 $old->$new: state tracks the old object as deposed" \
          '[ -n "$key" ] && tracked | grep -qx "test_thing.a\(  # pending_create\)\?;test_thing.a  # deposed object $key;test_thing.b;" && grep -q "\"id\": \"a-$old\"" .cpstack/cbd.cpstate'
    check "$1 $old->$new: both objects exist" '[ -f "$T/world/a-$old" ] && [ -f "$T/world/a-$new" ]'
    "$CP" plan -var gen="$new" > plan.out 2>&1
    check "$1 $old->$new: plan destroys the deposed object" \
          'grep -q "^  # test_thing.a (deposed object $key) will be destroyed$" plan.out && grep -q "a-$old" plan.out'
    "$CP" apply -auto-approve -var gen="$new" > next.out 2>&1; rc=$?
    check "$1 $old->$new: next apply deletes it" \
          '[ $rc = 0 ] && grep -q "test_thing.a (deposed object $key): Destruction complete" next.out'
    check "$1 $old->$new: exactly the new object is left, tracked once" \
          '[ "$(world)" = "a-$new b " ] && [ "$(tracked)" = "test_thing.a;test_thing.b;" ] && grep -q "\"value\":\"a-$new\"" "$T/world/b"'
    "$CP" plan -detailed-exitcode -var gen="$new" > /dev/null 2>&1; rc=$?
    check "$1 $old->$new: then no changes" '[ $rc = 0 ]'
}

g=2; i=0
while [ $i -lt "$ROUNDS" ]; do
    i=$((i + 1))
    h=$((g + 1))
    kill_when $g $h 'grep -q "delete test_thing a-$g" "$CPSTACK_TEST_LOG"'; ok=$?
    check "window A $g->$h: killed during the delete of the old object" '[ $ok = 0 ] && [ -f "$T/world/a-$g" ]'
    after_kill "window A" $g $h
    g=$h; h=$((g + 1))
    kill_when $g $h '[ -f "$T/world/a-$h" ]'; ok=$?
    check "window B $g->$h: killed inside the create of the new object" \
          '[ $ok = 0 ] && ! grep -q "delete test_thing" "$CPSTACK_TEST_LOG"'
    after_kill "window B" $g $h
    g=$h
done

# --- destroy after a kill deletes the deposed object too -----------------------------------
h=$((g + 1))
kill_when $g $h 'grep -q "delete test_thing a-$g" "$CPSTACK_TEST_LOG"'; ok=$?
check "destroy: killed with a deposed object" '[ $ok = 0 ] && [ -n "$(deposed_key)" ]'
"$CP" destroy -auto-approve > destroy.out 2>&1; rc=$?
check "destroy: deletes current and deposed objects, state empty" \
      '[ $rc = 0 ] && [ "$(world)" = "" ] && [ "$(tracked)" = "" ]'
echo "1..$n"
echo "# $((n - fails)) passed, $fails failed"
[ $fails = 0 ]
