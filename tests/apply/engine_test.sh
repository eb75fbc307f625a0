#!/bin/sh
# engine_test.sh: end-to-end tests of plan/apply/destroy and the state
# commands, run against the local `test` and `random` providers.
# Usage: engine_test.sh /path/to/cpstack
# Each check prints "ok N - what" or "not ok N - what"; exit 1 on any failure.
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=test CPSTACK_TEST_LOG="$T/log" NO_COLOR=1
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }

cat > main.cp <<'CP'
resource "random_id" "suffix" {
  byte_length = 4
}

resource "test_thing" "a" {
  count = 3
  name  = "a-${count.index}-${random_id.suffix.hex}"
  value = "v1"
}

resource "test_thing" "b" {
  name   = "b"
  value  = join(",", test_thing.a[*].name)
  secret = "hunter2"
}

output "b_value" {
  value = test_thing.b.echo
}
CP

# --- create, order, no-op -------------------------------------------------------
"$CP" plan -detailed-exitcode > plan.out; rc=$?
check "plan of a new stack exits 2 with -detailed-exitcode" '[ $rc = 2 ]'
check "plan shows 5 to add" 'grep -q "Plan: 5 to add, 0 to change, 0 to destroy." plan.out'
check "plan hides the secret" '! grep -q hunter2 plan.out'
"$CP" apply < /dev/null > apply.out 2>&1; rc=$?
check "apply without a terminal or -auto-approve is refused" '[ $rc = 1 ] && grep -q "auto-approve" apply.out'
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply succeeds" '[ $rc = 0 ] && grep -q "Apply complete! Resources: 5 added, 0 changed, 0 destroyed." apply.out'
check "three a objects and b exist" '[ $(ls ../world | wc -l) = 4 ] && [ -f ../world/b ]'
check "b is created after every a" '[ "$(grep "^create" ../log | tail -1)" = "create test_thing b" ]'
check "outputs are printed" 'grep -q "^b_value = \"a-0-" apply.out'
check "state file is 0600" '[ "$(stat -c %a .cpstack/test.cpstate)" = 600 ]'
check "state never holds the secret in the clear? (sensitive path recorded)" 'grep -q "sensitive_attributes" .cpstack/test.cpstate'
"$CP" plan -detailed-exitcode > plan.out; rc=$?
check "second plan has no changes" '[ $rc = 0 ] && grep -q "No changes." plan.out'
"$CP" plan -refresh=false -detailed-exitcode > /dev/null; rc=$?
check "plan -refresh=false has no changes" '[ $rc = 0 ]'

# --- update, replace ------------------------------------------------------------
sed -i 's/value = "v1"/value = "v2"/' main.cp
"$CP" plan > plan.out
check "changing value plans 3 updates in place" 'grep -q "Plan: 0 to add, 3 to change, 0 to destroy." plan.out && grep -q "~ value" plan.out'
"$CP" apply -auto-approve > apply.out 2>&1
check "update applies" 'grep -q "0 added, 3 changed, 0 destroyed" apply.out'
cat >> main.cp <<'CP'

resource "test_thing" "c" {
  name  = "c"
  force = "one"
}
CP
"$CP" apply -auto-approve > /dev/null 2>&1
sed -i 's/force = "one"/force = "two"/' main.cp
"$CP" plan > plan.out
check "a force-new change plans a replace" 'grep -q "must be replaced" plan.out && grep -q "# forces replacement" plan.out'
"$CP" apply -auto-approve > apply.out 2>&1
check "replace applies as 1 added 1 destroyed" 'grep -q "1 added, 0 changed, 1 destroyed" apply.out'

# --- a failure halfway keeps the successful part --------------------------------
cat >> main.cp <<'CP'

resource "test_thing" "d" {
  count = 2
  name  = "d-${count.index}"
}

resource "test_thing" "e" {
  name  = "e"
  value = test_thing.d[0].name
}

resource "test_thing" "f" {
  name = "f"
}
CP
CPSTACK_TEST_FAIL=d-0 "$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "a failing create makes apply exit 1" '[ $rc = 1 ]'
check "the failure is summarised" 'grep -q "test_thing.d\[0\]: test_thing \"d-0\": create failed on purpose" apply.out'
check "its dependent is reported as not applied" 'grep -q "test_thing.e: not applied because test_thing.d\[0\] failed" apply.out'
check "independent branches finished" '[ -f ../world/d-1 ] && [ -f ../world/f ] && [ ! -f ../world/e ]'
"$CP" state list > list.out
check "state holds what succeeded" 'grep -q "test_thing.d\[1\]" list.out && grep -q "test_thing.f" list.out && ! grep -q "test_thing.d\[0\]" list.out'
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "the next apply finishes the rest" '[ $rc = 0 ] && grep -q "2 added, 0 changed, 0 destroyed" apply.out && [ -f ../world/e ]'

# --- saved plans ------------------------------------------------------------------
sed -i 's/name = "f"/name = "f"\n  value = "x"/' main.cp
"$CP" plan -out p1 > /dev/null
check "plan file is 0600 and has no secret" '[ "$(stat -c %a p1)" = 600 ] && ! grep -q hunter2 p1'
"$CP" apply p1 > apply.out 2>&1; rc=$?
check "apply PLANFILE applies it without asking" '[ $rc = 0 ] && grep -q "0 added, 1 changed" apply.out'
sed -i 's/value = "x"/value = "y"/' main.cp
"$CP" plan -out p2 > /dev/null
"$CP" apply -auto-approve > /dev/null 2>&1
"$CP" apply p2 > apply.out 2>&1; rc=$?
check "a stale plan file is refused" '[ $rc = 1 ] && grep -q "stale" apply.out'
mkdir fresh && cd fresh || exit 1
printf 'resource "random_id" "r" {\n  byte_length = 4\n}\n' > main.cp
"$CP" plan -out p3 > /dev/null
"$CP" plan -out p4 > /dev/null
"$CP" apply p3 > apply.out 2>&1; rc=$?
check "a plan saved from no state at all applies" '[ $rc = 0 ] && grep -q "1 added" apply.out'
"$CP" apply p4 > apply.out 2>&1; rc=$?
check "a second plan from no state is stale once the first is applied" '[ $rc = 1 ] && grep -q "stale.*(serial 0, now 1)" apply.out'
mkdir ../fresh2 && cd ../fresh2 || exit 1
printf 'variable "region" {\n  default = "eu-west-1"\n}\n\nstack "fresh" {\n  region = var.region\n}\n\nresource "random_id" "r" {\n  byte_length = 4\n}\n' > main.cp
"$CP" apply -auto-approve > /dev/null 2>&1
"$CP" state list > list.out 2> list.err; rc=$?
check "state list reads a region = var.region with a default, quietly" '[ $rc = 0 ] && grep -q random_id.r list.out && [ ! -s list.err ]'
sed -i 's/  default = "eu-west-1"//' main.cp
"$CP" state list > list.out 2> list.err; rc=$?
check "state list needs no -var for a region variable without a default" '[ $rc = 0 ] && grep -q random_id.r list.out && [ ! -s list.err ]'
cd .. || exit 1

# --- -target ------------------------------------------------------------------------
cat >> main.cp <<'CP'

resource "test_thing" "g" {
  name  = "g"
  value = test_thing.h.name
}

resource "test_thing" "h" {
  name = "h"
}

resource "test_thing" "i" {
  name = "i"
}
CP
"$CP" plan -target test_thing.g > plan.out
check "-target plans the target and its dependencies only" 'grep -q "Plan: 2 to add" plan.out && ! grep -q "test_thing.i will" plan.out'
"$CP" apply -auto-approve -target test_thing.g > /dev/null 2>&1
check "-target applies only those" '[ -f ../world/g ] && [ -f ../world/h ] && [ ! -f ../world/i ]'
"$CP" apply -auto-approve > /dev/null 2>&1

# --- -replace, prevent_destroy ------------------------------------------------------
"$CP" plan -replace test_thing.i > plan.out
check "-replace plans a replacement" 'grep -q "test_thing.i will be replaced, as requested" plan.out'
cat >> main.cp <<'CP'

resource "test_thing" "keep" {
  name = "keep"
  lifecycle {
    prevent_destroy = true
  }
}
CP
"$CP" apply -auto-approve > /dev/null 2>&1
"$CP" destroy -auto-approve > destroy.out 2>&1; rc=$?
check "prevent_destroy stops destroy with a clear error" '[ $rc = 1 ] && grep -q "prevent_destroy" destroy.out && [ -f ../world/keep ]'

# --- data sources: read at plan time, or during apply after what they depend on --
echo '{"name":"pre","value":"42"}' > ../world/pre
cat >> main.cp <<'CP'

data "test_thing" "pre" {
  name = "pre"
}

resource "test_thing" "x" {
  name  = "x"
  value = data.test_thing.pre.value
}

data "test_thing" "after" {
  name = test_thing.x.name
}

output "after_value" {
  value = data.test_thing.after.value
}
CP
"$CP" plan > plan.out
check "a data source that depends on a pending create is read during apply" 'grep -q "data.test_thing.after will be read during apply" plan.out && grep -q "value *= \"42\"" plan.out'
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply reads it after the create and sets the output" '[ $rc = 0 ] && grep -q "after_value = \"42\"" apply.out'
rm -f ../world/pre
sed -i '/^data "test_thing" "pre"/,/^}/d; s/value = data.test_thing.pre.value/value = "42"/' main.cp
sed -i '/^resource "test_thing" "x"/,/^}/ s/value = "42"/value = "43"/' main.cp
"$CP" plan > plan.out
check "a data source referring to an object updated in place is read at plan, as in Terraform" \
  'grep -q "test_thing.x will be updated in-place" plan.out && ! grep -q "will be read during apply" plan.out'
sed -i '/^data "test_thing" "after"/a\  depends_on = [test_thing.x]' main.cp
"$CP" plan > plan.out
check "with depends_on on that object it is read during apply" \
  'grep -q "data.test_thing.after will be read during apply" plan.out'
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply updates the object, then reads the data source (its new value)" '[ $rc = 0 ] && grep -q "^after_value = \"43\"" apply.out'

# --- orphans, state commands, output -----------------------------------------------
"$CP" output b_value > out.txt
check "output NAME prints the value" 'grep -q "^\"a-0-" out.txt'
"$CP" output -json > out.json
check "output -json" 'grep -q "\"b_value\"" out.json'
"$CP" state rm test_thing.i > /dev/null
check "state rm forgets an instance" '! "$CP" state list | grep -q "test_thing.i$"'
"$CP" import test_thing.i i > /dev/null; rc=$?
check "import adopts it again" '[ $rc = 0 ] && "$CP" state list | grep -q "test_thing.i"'
sed -i 's/prevent_destroy = true/prevent_destroy = false/' main.cp
"$CP" destroy -auto-approve > destroy.out 2>&1; rc=$?
check "destroy removes everything" '[ $rc = 0 ] && [ -z "$(ls ../world)" ] && grep -q "Destroy complete!" destroy.out'
check "state is empty after destroy" '[ -z "$("$CP" state list)" ]'

echo "1..$n"
[ $fails = 0 ]
