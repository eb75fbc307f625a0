#!/bin/sh
# module_test.sh: modules through the engine with test_thing — a stack
# refactored into a module keeps its objects (state mv into the module:
# no create, no delete), values flow through module inputs and outputs in
# dependency order (the caller's dependents wait for the resource behind
# an output, even one known only after apply), for_each instances of a
# module are created and, when a key goes, deleted; -target module.NAME
# and -target module.NAME.TYPE.NAME limit the plan; state holds the module
# path; destroy deletes everything inside modules, dependents first.
# Usage: module_test.sh /path/to/cpstack-test
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=mod CPSTACK_TEST_LOG="$T/log" NO_COLOR=1
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s/mod" "$T/s/pair"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
at() { grep -n -x "$1 test_thing $2" "$T/log" | head -1 | cut -d: -f1 | grep . || echo 0; }
calls() { grep -c -E "^(create|delete|update) test_thing" "$T/log"; }

# 1. A stack without modules.
cat > main.cp <<'CP'
resource "test_thing" "a" {
  name = "a"
}

resource "test_thing" "b" {
  name  = "a-b"
  value = test_thing.a.echo
}
CP
"$CP" apply -auto-approve > apply1.out 2>&1; rc=$?
check "the flat stack applies" '[ $rc = 0 ] && [ -f ../world/a ] && [ -f ../world/a-b ]'

# 2. The same resources moved into a module: plan wants to re-create them
# until state mv says where they went; then nothing changes.
cat > mod/main.cp <<'CP'
variable "prefix" {
  type = string
}

resource "test_thing" "a" {
  name = var.prefix
}

resource "test_thing" "b" {
  name  = "${var.prefix}-b"
  value = test_thing.a.echo
}

output "b_name" {
  value = test_thing.b.name
}
CP
cat > main.cp <<'CP'
module "m" {
  source = "./mod"
  prefix = "a"
}
CP
"$CP" plan > plan2.out 2>&1
check "before state mv the refactor would re-create both" \
  'grep -q "Plan: 2 to add, 0 to change, 2 to destroy" plan2.out'
"$CP" state mv test_thing.a module.m.test_thing.a > mv.out 2>&1 &&
  "$CP" state mv test_thing.b module.m.test_thing.b >> mv.out 2>&1; rc=$?
check "state mv into the module succeeds" '[ $rc = 0 ] && grep -q "Moved test_thing.a to module.m.test_thing.a" mv.out'
check "state list shows module addresses" \
  '[ "$("$CP" state list | tr "\n" " ")" = "module.m.test_thing.a module.m.test_thing.b " ]'
check "state JSON holds the module path" \
  'grep -q "\"module\": \"module.m\"" .cpstack/mod.cpstate'
: > "$T/log"
"$CP" plan > plan3.out 2>&1
check "after state mv the plan is empty" 'grep -q "No changes" plan3.out'
"$CP" apply -auto-approve > apply3.out 2>&1; rc=$?
check "apply after state mv neither creates nor deletes" '[ $rc = 0 ] && [ "$(calls)" = 0 ]'

# 3. Values through outputs and inputs, for_each and nested count.
cat > pair/main.cp <<'CP'
variable "base" {
  type = string
}

variable "n" {
  type    = number
  default = 2
}

module "leaf" {
  source = "../mod"
  count  = var.n
  prefix = "${var.base}-leaf${count.index}"
}

output "names" {
  value = [for l in module.leaf : l.b_name]
}
CP
cat > main.cp <<'CP'
module "m" {
  source = "./mod"
  prefix = "a"
}

resource "test_thing" "first" {
  name  = "first"
  value = "v1"
}

module "many" {
  source   = "./mod"
  for_each = toset(["x", "y"])
  prefix   = "${each.key}-${test_thing.first.echo}"
}

resource "test_thing" "after" {
  name  = "after"
  value = module.many["x"].b_name
}

output "many" {
  value = { for k, m in module.many : k => m.b_name }
}
CP
: > "$T/log"
"$CP" apply -auto-approve > apply4.out 2>&1; rc=$?
check "a for_each module applies" '[ $rc = 0 ] && [ -f ../world/x-v1 ] && [ -f ../world/y-v1 ]'
check "a module input known only after apply waits for its resource" \
  '[ $(at create first) -gt 0 ] && [ $(at create first) -lt $(at create x-v1) ]'
check "the caller waits for the resource behind a module output" \
  '[ $(at create x-v1) -lt $(at create after) ]'
check "state has each instance under its key" \
  '"$CP" state list module.many | grep -q -x "module.many\[\"y\"\].test_thing.a"'
check "dependencies in state name the module resource" \
  'python3 -c "
import json,sys
s=json.load(open(\".cpstack/mod.cpstate\"))
r=[r for r in s[\"resources\"] if r.get(\"module\")==\"module.many[\\\"x\\\"]\" and r[\"name\"]==\"a\"][0]
sys.exit(0 if \"test_thing.first\" in r[\"dependencies\"] else 1)"'

# 4. -target: a module, or one resource inside it.
sed -i 's/value = "v1"/value = "v1"\n  tags  = { t = "1" }/' main.cp
sed -i 's/prefix = "a"/prefix = "a"\n  # changed/' main.cp
cat >> mod/main.cp <<'CP'

resource "test_thing" "c" {
  name = "${var.prefix}-c"
}
CP
"$CP" plan -target module.m > plan5.out 2>&1
check "-target module.m plans only inside module.m" \
  'grep -q "module.m.test_thing.c will be created" plan5.out && ! grep -q "module.many" plan5.out && ! grep -q "test_thing.first" plan5.out'
"$CP" plan -target 'module.many["x"].test_thing.c' > plan6.out 2>&1
check "-target module.many[\"x\"].test_thing.c plans that instance and what it needs" \
  'grep -q "module.many\[\"x\"\].test_thing.c will be created" plan6.out && ! grep -q "module.many\[\"y\"\].test_thing.c" plan6.out && ! grep -q "module.m.test_thing.c" plan6.out && grep -q "test_thing.first will be updated" plan6.out'
"$CP" apply -auto-approve > apply7.out 2>&1; rc=$?
check "the whole stack applies" '[ $rc = 0 ] && [ -f ../world/a-c ] && [ -f ../world/y-v1-c ]'

# 5. A key leaves for_each: that instance's objects are deleted, with why.
sed -i 's/toset(\["x", "y"\])/toset(["x"])/' main.cp
"$CP" plan > plan8.out 2>&1
check "a module instance leaving for_each is destroyed" \
  'grep -q "module.many\[\"y\"\].test_thing.a will be destroyed" plan8.out && grep -q "because its module instance is not in configuration" plan8.out && grep -q "0 to add, 0 to change, 3 to destroy" plan8.out'

# 6. A nested module with count.
cat >> main.cp <<'CP'

module "pair" {
  source = "./pair"
  base   = "p"
}

output "pair" {
  value = module.pair.names
}
CP
"$CP" apply -auto-approve > apply9.out 2>&1; rc=$?
check "nested modules with count apply" \
  '[ $rc = 0 ] && [ -f ../world/p-leaf1 ] && "$CP" state list | grep -q -x "module.pair.module.leaf\[1\].test_thing.b"'
check "outputs come through nested modules" \
  '[ "$("$CP" output -json pair | tr -d " \n")" = "[\"p-leaf0-b\",\"p-leaf1-b\"]" ]'

# 7. destroy empties everything, dependents first.
: > "$T/log"
"$CP" destroy -auto-approve > destroy.out 2>&1; rc=$?
check "destroy deletes everything inside modules" '[ $rc = 0 ] && [ -z "$(ls ../world)" ] && [ -z "$("$CP" state list)" ]'
check "destroy deletes a module resource before what it depends on" \
  '[ $(at delete first) -gt $(at delete x-v1) ]'

echo "1..$n"
[ $fails = 0 ]
