#!/bin/sh
# destroy_target_test.sh: `destroy -target ADDR` and `plan -destroy -target
# ADDR` delete ADDR and everything that depends on it, transitively — a VPC
# cannot go while its subnets stay — whether the dependency is in config
# (directly or through a local) or only recorded in state (a resource
# removed from config), deposed objects included; dependents are deleted
# first, and what does not depend on the target is left alone.
# Usage: destroy_target_test.sh /path/to/cpstack
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=dt CPSTACK_TEST_LOG="$T/log" NO_COLOR=1
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
# Line number of the first "OP test_thing NAME" in the call log (0: none).
at() { grep -n -x "$1 test_thing $2" "$T/log" | head -1 | cut -d: -f1 | grep . || echo 0; }

cat > main.cp <<'CP'
resource "test_thing" "vpc" {
  name = "vpc"
}

resource "test_thing" "subnet" {
  count = 2
  name  = "subnet-${count.index}"
  value = test_thing.vpc.name
}

resource "test_thing" "server" {
  name  = "server"
  value = test_thing.subnet[0].name
}

locals {
  vpc_name = test_thing.vpc.name
}

resource "test_thing" "via_local" {
  name  = "via-local"
  value = local.vpc_name
}

resource "test_thing" "gone_from_config" {
  name  = "gone"
  value = test_thing.vpc.name
}

resource "test_thing" "other" {
  name = "other"
}

resource "test_thing" "other_child" {
  name  = "other-child"
  value = test_thing.other.name
}

output "other" {
  value = test_thing.other.name
}
CP
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "the stack applies (8 objects)" '[ $rc = 0 ] && [ $(ls ../world | wc -l) = 8 ]'

# gone_from_config leaves the config: its dependency on vpc is now only in state.
sed -i '/resource "test_thing" "gone_from_config"/,/^}/d' main.cp

# A deposed object of a dependent (an old subnet-1 left by an interrupted
# create_before_destroy replacement) goes with it.
echo '{"name":"subnet-1-old"}' > ../world/subnet-1-old
/usr/bin/python3 - .cpstack/dt.cpstate <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
for r in s["resources"]:
    if r["type"] == "test_thing" and r["name"] == "subnet" and r.get("index_key") == 1:
        r["deposed"] = [{"key": "0badc0de", "schema_version": 0,
                         "attributes": {"id": "subnet-1-old", "name": "subnet-1-old"},
                         "sensitive_attributes": [], "dependencies": ["test_thing.vpc"]}]
json.dump(s, open(p, "w"), indent=2)
PY
"$CP" state list > list.out 2>&1
check "the deposed object is in state" 'grep -q "test_thing.subnet\[1\]  # deposed object 0badc0de" list.out'

"$CP" plan -destroy -target test_thing.vpc > plan.out 2>&1; rc=$?
check "plan -destroy -target vpc plans vpc, its dependents and the deposed object" \
  '[ $rc = 0 ] && grep -q "Plan: 0 to add, 0 to change, 7 to destroy." plan.out'
for a in 'test_thing.vpc' 'test_thing.subnet\[0\]' 'test_thing.subnet\[1\]' 'test_thing.server' \
         'test_thing.via_local' 'test_thing.gone_from_config' 'test_thing.subnet\[1\] (deposed object 0badc0de)'; do
  check "  $a will be destroyed" "grep -q '# $a will be destroyed' plan.out"
done
check "  other and other_child are kept" '! grep -q "test_thing.other" plan.out'
check "  a dependent says why it goes" \
  'grep -A1 "# test_thing.server will be destroyed" plan.out | grep -q "(because it depends on a -target being destroyed)"'
check "  the target itself gives no such reason" \
  '! grep -A1 "# test_thing.vpc will be destroyed" plan.out | grep -q "because"'

"$CP" plan -destroy -target test_thing.server > plan.out 2>&1
check "a target nothing depends on is destroyed alone" \
  'grep -q "Plan: 0 to add, 0 to change, 1 to destroy." plan.out && grep -q "# test_thing.server will be destroyed" plan.out'

: > "$T/log"
"$CP" destroy -auto-approve -target test_thing.vpc > destroy.out 2>&1; rc=$?
check "destroy -target vpc succeeds" '[ $rc = 0 ] && grep -q "Destroy complete! Resources: 7 destroyed." destroy.out'
check "only other and other_child remain in the world" '[ "$(ls ../world | tr "\n" " ")" = "other other-child " ]'
check "a targeted destroy keeps the outputs" '[ "$("$CP" output -raw other 2>&1)" = other ]'
"$CP" state list > list.out 2>&1
check "only other and other_child remain in state" \
  '[ "$(cat list.out | tr "\n" " ")" = "test_thing.other test_thing.other_child " ]'
check "server is deleted before subnet-0, subnets before vpc" \
  '[ $(at delete server) -gt 0 ] && [ $(at delete server) -lt $(at delete subnet-0) ] &&
   [ $(at delete subnet-0) -lt $(at delete vpc) ] && [ $(at delete subnet-1) -lt $(at delete vpc) ] &&
   [ $(at delete gone) -lt $(at delete vpc) ] && [ $(at delete via-local) -lt $(at delete vpc) ] &&
   [ $(at delete subnet-1-old) -lt $(at delete vpc) ]'

"$CP" plan -detailed-exitcode > plan.out 2>&1; rc=$?
check "the next plan recreates what was destroyed (5 to add)" '[ $rc = 2 ] && grep -q "Plan: 5 to add, 0 to change, 0 to destroy." plan.out'

echo "1..$n"
[ "$fails" -eq 0 ]
