#!/bin/sh
# intents_test.sh: what group commit of intents promises (src/apply/apply_ops.c,
# src/backend/store.c):
#   - kill -9 while 50 independent creates run (-parallelism 50): once the
#     provider has been called for all 50, all 50 intents are in the state
#     file (a create is called only after its intent is durable), and they
#     took a handful of writes, not 50; the next apply converges;
#   - a dependent's durable intent carries its prerequisite's completion:
#     kill -9 during the create of test_thing.t made from random_id.r (an
#     intent that need not be durable) finds r in state with the very value
#     t's intent was made from;
#   - 30 chained creates with durable intents cost one write per link (the
#     completion of one goes out with the intent of the next);
#   - 200 chained local creates (random_id / local_file) cost a few writes
#     (the serial counts writes), not one or two per resource, and kill -9
#     anywhere in them still converges on the next apply.
# Usage: intents_test.sh /path/to/cpstack
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=intents CPSTACK_TEST_LOG="$T/log" NO_COLOR=1
unset CPSTACK_TEST_FAIL
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
state=.cpstack/intents.cpstate
serial() { sed -n 's/^  "serial": \([0-9]*\),$/\1/p' "$state"; }
pending() { grep -c '"status": "pending_create"' "$state"; }
creates() { grep -c "^create test_thing $1" "$T/log"; } # prints 0 when none

# Start an apply in the background and kill -9 it once `creates PREFIX`
# reaches WANT (or after 20 s).
apply_kill_at() { # prefix want args...
    prefix=$1 want=$2; shift 2
    "$CP" apply -auto-approve "$@" > run.out 2>&1 &
    pid=$!
    waited=0
    while [ "$(creates "$prefix")" -lt "$want" ] && [ $waited -lt 400 ]; do
        sleep 0.05; waited=$((waited + 1))
    done
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    rm -f .cpstack/*.lock
}

# --- 50 independent creates ------------------------------------------------------
mkdir -p "$T/world" "$T/a" && cd "$T/a" || exit 1
cat > main.cp <<'CP'
resource "test_thing" "batch" {
  count    = 50
  name     = "batch-${count.index}"
  sleep_ms = 20000
}
CP
: > "$T/log"
apply_kill_at batch- 50 -parallelism 50
check "the provider was called for all 50 creates before the kill" '[ "$(creates batch-)" = 50 ]'
check "kill -9 during 50 creates: all 50 intents are in the state file" '[ "$(pending)" = 50 ] && [ "$("$CP" state list | grep -c "^test_thing.batch")" = 50 ]'
s=$(serial)
check "the 50 intents took at most 6 writes (serial $s), not 50" '[ "$s" -ge 1 ] && [ "$s" -le 6 ]'
sed -i 's/sleep_ms = 20000/sleep_ms = 0/' main.cp
"$CP" apply -auto-approve > conv.out 2>&1; rc=$?
check "the next apply converges" '[ $rc = 0 ] && "$CP" plan -detailed-exitcode > /dev/null 2>&1'
check "50 objects, each tracked once" '[ "$("$CP" state list | grep -c "^test_thing.batch")" = 50 ] && [ "$(ls "$CPSTACK_TEST_WORLD" | grep -c "^batch-")" = 50 ]'

# --- a dependent's intent carries what it was made from --------------------------
mkdir -p "$T/b" && cd "$T/b" || exit 1
cat > main.cp <<'CP'
resource "random_id" "r" {
  byte_length = 8
}

resource "test_thing" "t" {
  name     = "t-${random_id.r.hex}"
  sleep_ms = 20000
}
CP
: > "$T/log"
apply_kill_at t- 1
hex=$(grep -o '"hex": "[0-9a-f]*"' "$state" | head -1 | sed 's/.*: "//; s/"//')
check "kill -9 during t's create: random_id.r is in state as complete" '[ -n "$hex" ] && [ "$(grep -c "\"status\": \"ok\"" "$state")" = 1 ]'
check "t's durable intent is named from r's recorded value" '[ "$(pending)" = 1 ] && grep -q "\"name\": \"t-$hex\"" "$state"'
check "the provider made t from that value" '[ "$(creates "t-$hex")" = 1 ]'
sed -i 's/sleep_ms = 20000/sleep_ms = 0/' main.cp
"$CP" apply -auto-approve > conv.out 2>&1; rc=$?
check "the next apply makes t once" '[ $rc = 0 ] && [ "$(ls "$CPSTACK_TEST_WORLD" | grep -c "^t-")" = 1 ] && "$CP" plan -detailed-exitcode > /dev/null 2>&1'

# --- a chain of creates with durable intents: one write per link -----------------
mkdir -p "$T/d" && cd "$T/d" || exit 1
awk 'BEGIN { for (i = 0; i < 30; i++) {
  printf "resource \"test_thing\" \"c%d\" {\n  name = \"c%d\"\n", i, i
  if (i) printf "  value = test_thing.c%d.name\n", i - 1
  print "}\n"
} }' > main.cp
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
s=$(serial)
check "30 chained creates: one write per intent, each completion riding with the next intent (serial $s; it was 52-58)" \
    '[ $rc = 0 ] && [ "$s" -ge 30 ] && [ "$s" -le 36 ]'

# --- 200 chained local creates ---------------------------------------------------
mkdir -p "$T/c" && cd "$T/c" || exit 1
awk 'BEGIN { for (i = 0; i < 200; i++) {
  if (i % 2 == 0) {
    printf "resource \"random_id\" \"r%d\" {\n  byte_length = 4\n", i
    if (i) printf "  keepers = { prev = local_file.r%d.id }\n", i - 1
    print "}\n"
  } else
    printf "resource \"local_file\" \"r%d\" {\n  filename = \"${path.module}/out/f%d\"\n  content  = random_id.r%d.hex\n}\n\n", i, i, i - 1
} }' > main.cp
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "200 chained local creates apply" '[ $rc = 0 ] && grep -q "Resources: 200 added" apply.out'
s=$(serial)
check "200 chained local creates: at most 30 state writes (serial $s; it was about 310)" '[ "$s" -ge 1 ] && [ "$s" -le 30 ]'
check "every link is tracked" '[ "$("$CP" state list | wc -l)" = 200 ]'

# kill -9 anywhere in that chain: what a crash loses of creates without a
# durable intent is simply made again, and the stack converges (a kill
# inside local_file's write may leave its temp file, f*.cpstack-tmp-*,
# beside the target: not counted here)
for round in 1 2 3 4 5; do
    "$CP" destroy -auto-approve > /dev/null 2>&1
    "$CP" apply -auto-approve > run.out 2>&1 &
    pid=$!
    sleep "0.0$(( ($(od -An -N2 -tu2 /dev/urandom) % 9) + 1 ))"
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    rm -f .cpstack/*.lock
    "$CP" apply -auto-approve > conv.out 2>&1; rc=$?
    check "chain round $round: after kill -9 the next apply converges, 200 tracked, 100 files" \
        '[ $rc = 0 ] && "$CP" plan -detailed-exitcode > /dev/null 2>&1 && [ "$("$CP" state list | wc -l)" = 200 ] && [ "$(ls out | grep -c "^f[0-9]*$")" = 100 ]'
done

echo "1..$n"
[ $fails = 0 ]
