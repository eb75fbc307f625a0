#!/bin/sh
# provider_instances_test.sh: provider instances through the engine with
# the test-only provider, which names no cloud: provider "test" { alias }
# blocks, provider = test.ALIAS and providers = { … } in a module block.
# The plan names the instance of every object that is not the default's,
# state records it ("provider": "test.b"), the client of each instance is
# configured once, an object removed from config is deleted through the
# instance state records, and a provider block removed while state still
# holds its objects stops the plan saying what to do.
# Usage: provider_instances_test.sh /path/to/cpstack-test
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=pi CPSTACK_TEST_LOG="$T/log" NO_COLOR=1
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s/mod"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }

cat > mod/main.cp <<'CP'
resource "test_thing" "m" {
  name = "m"
}
CP
cat > main.cp <<'CP'
provider "test" {
  alias = "b"
}

resource "test_thing" "a" {
  name = "a"
}

resource "test_thing" "b" {
  provider = test.b
  name     = "b"
}

module "mb" {
  source    = "./mod"
  providers = { test = test.b }
}
CP
"$CP" apply -auto-approve > apply1.out 2>&1; rc=$?
check "a stack with two instances applies" '[ $rc = 0 ] && [ -f ../world/a ] && [ -f ../world/b ] && [ -f ../world/m ]'
check "the plan names the aliased instance" 'grep -q "# test_thing.b (provider test.b) will be created" apply1.out'
check "a module's object through providers = { … }" 'grep -q "# module.mb.test_thing.m (provider test.b) will be created" apply1.out'
check "the default instance is not named" 'grep -q "# test_thing.a will be created" apply1.out'
check "state records the instance per object" '[ "$(grep -c "\"provider\": \"test.b\"" .cpstack/pi.cpstate)" = 2 ]'
"$CP" plan -detailed-exitcode > plan2.out 2>&1; rc=$?
check "no changes after apply" '[ $rc = 0 ]'

# an object of test.b removed from config is deleted through test.b
sed -i '/resource "test_thing" "b"/,/^}/d' main.cp
"$CP" apply -auto-approve > apply3.out 2>&1; rc=$?
check "an orphan of test.b is destroyed through it" '[ $rc = 0 ] && grep -q "# test_thing.b (provider test.b) will be destroyed" apply3.out && [ ! -f ../world/b ]'

# the provider block goes while state still holds module.mb's object
cat > main.cp <<'CP'
resource "test_thing" "a" {
  name = "a"
}
CP
"$CP" plan > plan4.out 2>&1; rc=$?
check "a removed provider block with objects in state stops the plan" '[ $rc = 1 ] && grep -q "provider test.b is not declared in the stack (state names it)" plan4.out'

echo "1..$n"
[ "$fails" = 0 ]
