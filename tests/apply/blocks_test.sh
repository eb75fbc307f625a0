#!/bin/sh
# blocks_test.sh: the blocks that act on state and the lifecycle checks,
# through the engine with the test provider: moved (renamed in state at
# plan, never re-created; count -> for_each keys), removed (destroy = false
# forgets, the default destroys), import (plan reads the object through the
# type's import function, apply saves it, then an update when config
# differs; a second run is a no-op; for_each imports one object per
# element, into module instances too), lifecycle precondition (stops the plan
# before anything changes) and postcondition (checked on the object made,
# stops its dependents), replace_triggered_by (a change of the named
# attribute replaces the resource), check blocks (warnings, never a
# failure), dynamic blocks (one nested block per element, updated in place),
# terraform_data (input of any type copied to output, a change of input an
# update in place with output unknown in the plan, triggers_replace a
# replace, and replace_triggered_by = [terraform_data.x] replacing its user),
# null_resource (triggers replace it; a random decimal id).
# Usage: blocks_test.sh /path/to/cpstack-test
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=bl CPSTACK_TEST_LOG="$T/log" NO_COLOR=1
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
calls() { grep -c -E "^($1) test_thing" "$T/log"; }

# --- moved ------------------------------------------------------------------------
cat > main.cp <<'CP'
resource "test_thing" "a" {
  name  = "a"
  value = "v1"
}

resource "test_thing" "k" {
  count = 2
  name  = "k${count.index}"
}
CP
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "the first stack applies (3 objects)" '[ $rc = 0 ] && [ $(ls ../world | wc -l) = 3 ]'
cat > main.cp <<'CP'
resource "test_thing" "b" {
  name  = "a"
  value = "v1"
}

moved {
  from = test_thing.a
  to   = test_thing.b
}

resource "test_thing" "k" {
  for_each = { x = "k0", y = "k1" }
  name     = each.value
}

moved {
  from = test_thing.k[0]
  to   = test_thing.k["x"]
}

moved {
  from = test_thing.k[1]
  to   = test_thing.k["y"]
}
CP
"$CP" plan -detailed-exitcode > plan.out 2>&1; rc=$?
check "a plan with moves has changes (exit 2)" '[ $rc = 2 ]'
check "plan shows the resource move" 'grep -q "# test_thing.a has moved to test_thing.b" plan.out'
check "plan shows the count -> for_each key moves" 'grep -q "# test_thing.k\[0\] has moved to test_thing.k\[\"x\"\]" plan.out && grep -q "# test_thing.k\[1\] has moved to test_thing.k\[\"y\"\]" plan.out'
check "nothing is created or destroyed" 'grep -q "Plan: 0 to add, 0 to change, 0 to destroy." plan.out'
: > "$T/log"
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply of the moves makes no create, update or delete" '[ $rc = 0 ] && [ $(calls "create|update|delete") = 0 ]'
"$CP" state list > list.out
check "state holds the new addresses only" 'grep -qx "test_thing.b" list.out && grep -qx "test_thing.k\[\"x\"\]" list.out && ! grep -q "test_thing.a\|test_thing.k\[0\]" list.out'
"$CP" plan -detailed-exitcode > plan.out 2>&1; rc=$?
check "the moved blocks left in place are no-ops" '[ $rc = 0 ] && grep -q "No changes." plan.out'

# A move onto an address state already holds is skipped with a warning.
cat >> main.cp <<'CP'

resource "test_thing" "c" {
  name = "c"
}
CP
"$CP" apply -auto-approve > /dev/null 2>&1
cat >> main.cp <<'CP'

moved {
  from = test_thing.b
  to   = test_thing.c
}
CP
sed -i '/^resource "test_thing" "b"/,/^}/d' main.cp
"$CP" plan > plan.out 2>&1
check "a move onto an occupied address is skipped with a warning" 'grep -q "warning: moved: test_thing.b was not moved to test_thing.c, which state already holds" plan.out && grep -q "test_thing.b will be destroyed" plan.out'
sed -i '/^moved {/,/^}/d' main.cp
"$CP" apply -auto-approve > /dev/null 2>&1

# --- moved into, between and out of modules ----------------------------------------
mkdir -p "$T/m/mod"
cat > "$T/m/mod/main.cp" <<'CP'
variable "name" {
  type = string
}

resource "test_thing" "t" {
  name = var.name
}

output "name" {
  value = test_thing.t.name
}
CP
cd "$T/m" || exit 1
cat > main.cp <<'CP'
resource "test_thing" "t" {
  name = "mod-a"
}
CP
"$CP" apply -auto-approve > apply.out 2>&1
cat > main.cp <<'CP'
module "one" {
  source = "./mod"
  name   = "mod-a"
}

moved {
  from = test_thing.t
  to   = module.one.test_thing.t
}
CP
: > "$T/log"
"$CP" plan > plan.out 2>&1
check "a moved block into a module is a move, not a re-create" 'grep -q "# test_thing.t has moved to module.one.test_thing.t" plan.out && grep -q "Plan: 0 to add, 0 to change, 0 to destroy." plan.out'
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
"$CP" state list > list.out
check "after apply state holds the module address only, with no call made" '[ $rc = 0 ] && grep -qx "module.one.test_thing.t" list.out && [ $(wc -l < list.out) = 1 ] && [ $(calls "create|update|delete") = 0 ]'
cat > main.cp <<'CP'
module "many" {
  source   = "./mod"
  for_each = toset(["mod-a"])
  name     = each.key
}

moved {
  from = module.one
  to   = module.many["mod-a"]
}
CP
"$CP" plan > plan.out 2>&1
check "a module call moves to an instance of another with everything inside" 'grep -q "# module.one.test_thing.t has moved to module.many\[\"mod-a\"\].test_thing.t" plan.out && grep -q "Plan: 0 to add, 0 to change, 0 to destroy." plan.out'
"$CP" apply -auto-approve > /dev/null 2>&1
cat > main.cp <<'CP'
removed {
  from = module.many
  lifecycle {
    destroy = false
  }
}
CP
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
"$CP" state list > list.out
check "removed { from = module.NAME } forgets everything inside, destroying nothing" '[ $rc = 0 ] && [ ! -s list.out ] && [ $(calls "delete") = 0 ] && [ -f ../world/mod-a ]'
cd "$T/s" || exit 1

# --- removed ------------------------------------------------------------------------
cat > main.cp <<'CP'
resource "test_thing" "keep" {
  name = "keep"
}

resource "test_thing" "drop" {
  name = "drop"
}
CP
"$CP" apply -auto-approve > /dev/null 2>&1
cat > main.cp <<'CP'
removed {
  from = test_thing.keep
  lifecycle {
    destroy = false
  }
}

removed {
  from = test_thing.drop
}
CP
"$CP" plan > plan.out 2>&1
check "removed with destroy = false is shown as no longer managed" 'grep -q "# test_thing.keep will no longer be managed by cpstack" plan.out'
check "removed without lifecycle destroys" 'grep -q "# test_thing.drop will be destroyed" plan.out && grep -q "Plan: 0 to add, 0 to change, 1 to destroy, 1 to forget." plan.out'
: > "$T/log"
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply forgets keep without deleting it and deletes drop" '[ $rc = 0 ] && [ -f ../world/keep ] && [ ! -f ../world/drop ] && ! grep -q "delete test_thing keep" ../log'
"$CP" state list > list.out
check "keep is no longer in state" '! grep -q "test_thing.keep" list.out'
rm -f ../world/*

# --- import -------------------------------------------------------------------------
echo '{"name":"ext","value":"e"}' > ../world/ext
echo '{"name":"same","value":"s"}' > ../world/same
cat > main.cp <<'CP'
variable "ext_id" {
  default = "ext"
}

import {
  to = test_thing.ext
  id = var.ext_id
}

resource "test_thing" "ext" {
  name  = "ext"
  value = "changed"
}

import {
  to = test_thing.same["s"]
  id = "same"
}

resource "test_thing" "same" {
  for_each = toset(["s"])
  name     = "same"
  value    = "s"
}
CP
: > "$T/log"
"$CP" plan > plan.out 2>&1; rc=$?
check "plan imports through the type's import function" '[ $rc = 0 ] && grep -qx "import test_thing ext" ../log && grep -q "test_thing.ext: Preparing import... \[id=ext\]" plan.out'
check "an object matching its config will be imported" 'grep -q "# test_thing.same\[\"s\"\] will be imported" plan.out'
check "an object differing from its config is imported then updated" 'grep -q "# test_thing.ext will be updated in-place" plan.out && grep -q "# (imported from \"ext\")" plan.out'
check "plan counts the imports" 'grep -q "Plan: 2 to import, 0 to add, 1 to change, 0 to destroy." plan.out'
"$CP" state list > list.out
check "plan alone saves nothing" '! grep -q ext list.out'
: > "$T/log"
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply imports both and updates ext" '[ $rc = 0 ] && grep -q "Apply complete! Resources: 2 imported, 0 added, 1 changed, 0 destroyed." apply.out && grep -q "\"value\":\"changed\"" ../world/ext'
check "nothing was created" '[ $(calls create) = 0 ]'
"$CP" plan -detailed-exitcode > plan.out 2>&1; rc=$?
check "the import blocks are no-ops once imported" '[ $rc = 0 ] && grep -q "No changes." plan.out'
cat >> main.cp <<'CP'

import {
  to = test_thing.missing
  id = "missing"
}

resource "test_thing" "missing" {
  name = "missing"
}
CP
"$CP" plan > plan.out 2>&1; rc=$?
check "importing an object that does not exist fails the plan" '[ $rc = 1 ] && grep -q "import: test_thing.missing with id \"missing\" failed" plan.out'
sed -i 's/to = test_thing.missing/to = test_thing.same["nokey"]/; s/id = "missing"/id = "ext"/' main.cp
"$CP" plan > plan.out 2>&1; rc=$?
check "an import into a key the config does not declare is refused" '[ $rc = 1 ] && grep -q "import: test_thing.same\[\"nokey\"\] is not an instance the stack declares" plan.out'
rm -f ../world/* && rm -rf .cpstack

# --- import with for_each -------------------------------------------------------------
echo '{"name":"b1","value":"v"}' > ../world/b1
echo '{"name":"b2","value":"old"}' > ../world/b2
echo '{"name":"mx","value":"m"}' > ../world/mx
mkdir -p m
cat > m/main.cp <<'CP'
resource "test_thing" "t" {
  name  = "mx"
  value = "m"
}
CP
cat > main.cp <<'CP'
variable "things" {
  default = { one = "b1", two = "b2" }
}

resource "test_thing" "fe" {
  for_each = var.things
  name     = each.value
  value    = "v"
}

import {
  for_each = var.things
  to       = test_thing.fe[each.key]
  id       = each.value
}

module "m" {
  source   = "./m"
  for_each = toset(["x"])
}

import {
  for_each = { x = "mx" }
  to       = module.m[each.key].test_thing.t
  id       = each.value
}
CP
: > "$T/log"
"$CP" plan > plan.out 2>&1; rc=$?
check "for_each imports one object per element, into module instances too" '[ $rc = 0 ] && grep -qx "import test_thing b1" ../log && grep -qx "import test_thing b2" ../log && grep -qx "import test_thing mx" ../log && grep -q "Plan: 3 to import, 0 to add, 1 to change, 0 to destroy." plan.out'
check "each element is planned at its own key" 'grep -q "# test_thing.fe\[\"one\"\] will be imported" plan.out && grep -q "# test_thing.fe\[\"two\"\] will be updated in-place" plan.out && grep -q "# module.m\[\"x\"\].test_thing.t will be imported" plan.out'
: > "$T/log"
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "apply saves the for_each imports and updates b2" '[ $rc = 0 ] && grep -q "Apply complete! Resources: 3 imported, 0 added, 1 changed, 0 destroyed." apply.out && grep -q "\"value\":\"v\"" ../world/b2 && [ $(calls create) = 0 ]'
"$CP" state list > list.out
check "state holds every imported key" 'grep -qx "test_thing.fe\[\"one\"\]" list.out && grep -qx "test_thing.fe\[\"two\"\]" list.out && grep -qx "module.m\[\"x\"\].test_thing.t" list.out'
"$CP" plan -detailed-exitcode > plan.out 2>&1; rc=$?
check "the for_each import blocks are no-ops once imported" '[ $rc = 0 ] && grep -q "No changes." plan.out'
cat >> main.cp <<'CP'

import {
  for_each = ["b1"]
  to       = test_thing.fe["one"]
  id       = each.value
}
CP
"$CP" plan > plan.out 2>&1; rc=$?
check "two imports into one address fail the plan, naming both" '[ $rc = 1 ] && grep -q "import: test_thing.fe\[\"one\"\] is the target of two imports, for_each key \"one\" of the import at main.cp:11:1 and for_each key 0 of the import at main.cp:28:1" plan.out'
rm -f ../world/* && rm -rf .cpstack m

# --- preconditions, postconditions, replace_triggered_by, checks -------------------
cat > main.cp <<'CP'
variable "v" {
  default = "one"
}

resource "test_thing" "src" {
  name  = "src"
  value = var.v
}

resource "test_thing" "dep" {
  name  = "dep"
  value = var.v == "post" ? "forbidden" : "ok"
  lifecycle {
    replace_triggered_by = [test_thing.src.value]
    precondition {
      condition     = var.v != "bad"
      error_message = "v must not be bad"
    }
    postcondition {
      condition     = self.echo != "forbidden"
      error_message = "echo is forbidden"
    }
  }
}

resource "test_thing" "after" {
  name  = "after"
  value = test_thing.dep.echo
}

data "test_thing" "read" {
  name = test_thing.src.name
  lifecycle {
    postcondition {
      condition     = self.value != "post"
      error_message = "the data source reads post"
    }
  }
}

check "src_value" {
  assert {
    condition     = test_thing.src.value == "one"
    error_message = "src.value is not one"
  }
}
CP
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "the conditions hold: the stack applies" '[ $rc = 0 ] && [ -f ../world/after ]'
: > "$T/log"
"$CP" plan -var v=bad > plan.out 2>&1; rc=$?
check "a false precondition stops the plan at its condition" '[ $rc = 1 ] && grep -q "main.cp:16:23: test_thing.dep: precondition failed: v must not be bad" plan.out'
"$CP" plan -var v=two > plan.out 2>&1; rc=$?
check "a changed trigger attribute replaces the resource" '[ $rc = 0 ] && grep -q "# test_thing.dep will be replaced due to changes in replace_triggered_by" plan.out && grep -q "# (replace triggered by test_thing.src.value)" plan.out'
check "a failed check is a warning at plan, not an error" 'grep -q "warning: check \"src_value\" failed: src.value is not one" plan.out'
"$CP" apply -auto-approve -var v=two > apply.out 2>&1; rc=$?
check "apply replaces dep and warns about the check" '[ $rc = 0 ] && grep -q "delete test_thing dep" ../log && grep -q "warning: check \"src_value\" failed" apply.out'
"$CP" apply -auto-approve -var v=post > apply.out 2>&1; rc=$?
check "a false postcondition after apply fails it, naming the condition" '[ $rc = 1 ] && grep -q "Error: test_thing.dep: postcondition failed: echo is forbidden (main.cp:20:23)" apply.out'
check "the postcondition stops what depends on it" 'grep -q "test_thing.after: not applied because test_thing.dep failed" apply.out'
"$CP" state list > list.out
check "the object that failed its postcondition stays in state" 'grep -qx "test_thing.dep" list.out'
"$CP" plan -var v=post > plan.out 2>&1; rc=$?
check "a data source's postcondition is checked when it is read" '[ $rc = 1 ] && grep -q "data.test_thing.read: postcondition failed: the data source reads post" plan.out'
rm -f ../world/* && rm -rf .cpstack

# --- dynamic blocks -----------------------------------------------------------------
cat > main.cp <<'CP'
variable "ports" {
  type    = list(number)
  default = [80, 443]
}

resource "test_thing" "fw" {
  name = "fw"
  dynamic "rule" {
    for_each = var.ports
    iterator = p
    content {
      port = p.value
      cidr = "10.0.${p.key}.0/24"
    }
  }
}
CP
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "dynamic blocks are made one per element" '[ $rc = 0 ] && grep -q "\"port\":443" ../world/fw && grep -q "10.0.1.0/24" ../world/fw'
"$CP" plan -detailed-exitcode > /dev/null 2>&1; rc=$?
check "dynamic blocks re-plan with no changes" '[ $rc = 0 ]'
"$CP" apply -auto-approve -var 'ports=[22]' > apply.out 2>&1; rc=$?
check "a new for_each updates the blocks in place" '[ $rc = 0 ] && grep -q "0 added, 1 changed, 0 destroyed" apply.out && grep -q "\"port\":22" ../world/fw && ! grep -q "\"port\":80" ../world/fw'

# --- terraform_data, with replace_triggered_by --------------------------------------
rm -f ../world/* && rm -rf .cpstack
cat > main.cp <<'CP'
variable "rev" {
  default = 1
}

variable "gen" {
  default = "a"
}

resource "terraform_data" "rev" {
  input = var.rev
}

resource "terraform_data" "cfg" {
  input            = { name = "web", ports = [80] }
  triggers_replace = var.gen
}

resource "test_thing" "app" {
  name  = "app"
  value = jsonencode(terraform_data.cfg.output)
  lifecycle {
    replace_triggered_by = [terraform_data.rev]
  }
}

output "cfg_name" {
  value = terraform_data.cfg.output.name
}
CP
tdid() { "$CP" state show "terraform_data.$1" | sed -n 's/^ *id = "\(.*\)"$/\1/p'; }
"$CP" plan > plan.out 2>&1
check "terraform_data plans id and output as known after apply" 'grep -q "+ output           = (known after apply)" plan.out && grep -q "+ triggers_replace = \"a\"" plan.out'
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "terraform_data is created and its output (an object) is usable" '[ $rc = 0 ] && grep -q "3 added, 0 changed, 0 destroyed" apply.out && grep -q "^cfg_name = \"web\"" apply.out && grep -q "\\\\\"ports\\\\\":\[80\]" ../world/app'
cfg1=$(tdid cfg) rev1=$(tdid rev)
check "terraform_data ids are random UUIDs" 'echo "$cfg1" | grep -Eq "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" && [ "$cfg1" != "$rev1" ]'
"$CP" plan -detailed-exitcode > /dev/null 2>&1; rc=$?
check "terraform_data re-plans with no changes" '[ $rc = 0 ]'
: > "$T/log"
"$CP" plan -var rev=2 > plan.out 2>&1
check "a new input updates terraform_data in place, output unknown in the plan" 'grep -q "# terraform_data.rev will be updated in-place" plan.out && grep -q "~ output = 1 -> (known after apply)" plan.out'
check "replace_triggered_by = [terraform_data.rev] replaces its user" 'grep -q "# test_thing.app will be replaced due to changes in replace_triggered_by" plan.out && grep -q "# (replace triggered by terraform_data.rev)" plan.out && grep -q "Plan: 1 to add, 1 to change, 1 to destroy." plan.out'
"$CP" apply -auto-approve -var rev=2 > apply.out 2>&1; rc=$?
check "the update keeps the id and output follows input" '[ $rc = 0 ] && [ "$(tdid rev)" = "$rev1" ] && "$CP" state show terraform_data.rev | grep -q "output = \"2\"" && [ "$(calls "create|delete")" = 2 ]'
"$CP" plan -var rev=2 -detailed-exitcode > /dev/null 2>&1; rc=$?
check "after the triggered replace the plan is empty" '[ $rc = 0 ]'
sed -i 's/ports = \[80\]/ports = [80, 443]/' main.cp
: > "$T/log"
"$CP" plan -var rev=2 > plan.out 2>&1
check "a changed object input: terraform_data and the user of its output update in place" 'grep -q "Plan: 0 to add, 2 to change, 0 to destroy." plan.out && grep -q "~ cfg_name = \"web\" -> (known after apply)" plan.out'
"$CP" apply -auto-approve -var rev=2 > apply.out 2>&1; rc=$?
check "the user gets the new output, nothing is replaced" '[ $rc = 0 ] && grep -q "\\\\\"ports\\\\\":\[80,443\]" ../world/app && [ "$(tdid cfg)" = "$cfg1" ] && [ "$(calls "create|delete")" = 0 ]'
"$CP" plan -var rev=2 -var gen=b > plan.out 2>&1
check "a new triggers_replace replaces terraform_data" 'grep -q "# terraform_data.cfg must be replaced" plan.out && grep -q "~ triggers_replace = \"a\" -> \"b\" # forces replacement" plan.out'
"$CP" apply -auto-approve -var rev=2 -var gen=b > apply.out 2>&1; rc=$?
cfg2=$(tdid cfg)
check "the replacement has a new id and the same output" '[ $rc = 0 ] && [ -n "$cfg2" ] && [ "$cfg2" != "$cfg1" ] && "$CP" state show terraform_data.cfg | grep -q "output = { name = \"web\", ports = \[80, 443\] }"'
"$CP" destroy -auto-approve > apply.out 2>&1; rc=$?
check "destroy removes terraform_data and its user" '[ $rc = 0 ] && grep -q "3 destroyed" apply.out && [ -z "$("$CP" state list 2>/dev/null)" ]'

# --- null_resource ------------------------------------------------------------------
rm -f ../world/* && rm -rf .cpstack
cat > main.cp <<'CP'
variable "rev" {
  default = "1"
}

resource "null_resource" "gate" {
  triggers = { rev = var.rev }
}

resource "test_thing" "user" {
  name  = "user"
  value = "v"
  lifecycle {
    replace_triggered_by = [null_resource.gate.id]
  }
}
CP
nrid() { "$CP" state show null_resource.gate | sed -n 's/^ *id = "\(.*\)"$/\1/p'; }
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
nr1=$(nrid)
check "null_resource is created with a random decimal id" '[ $rc = 0 ] && echo "$nr1" | grep -Eq "^[0-9]{1,19}$"'
"$CP" plan -detailed-exitcode > /dev/null 2>&1; rc=$?
check "null_resource re-plans with no changes" '[ $rc = 0 ]'
"$CP" plan -var rev=2 > plan.out 2>&1
check "new triggers replace null_resource and, through replace_triggered_by, its user" 'grep -q "# null_resource.gate must be replaced" plan.out && grep -q "# (replace triggered by null_resource.gate.id)" plan.out && grep -q "Plan: 2 to add, 0 to change, 2 to destroy." plan.out'
"$CP" apply -auto-approve -var rev=2 > apply.out 2>&1; rc=$?
check "the replacement has a new id" '[ $rc = 0 ] && [ -n "$(nrid)" ] && [ "$(nrid)" != "$nr1" ]'

echo "1..$n"
[ "$fails" -eq 0 ]
