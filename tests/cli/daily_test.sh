#!/bin/sh
# daily_test.sh CPSTACK-TEST SCHEMA CHECKER: the daily commands Terraform
# teams reach for, through the engine with the local `test` provider (its
# objects are JSON files in CPSTACK_TEST_WORLD, so "a change made outside
# cpstack" is an edit of one): the drift section of plan, plan/apply
# -refresh-only, refresh reporting the drift, show (state, a saved plan,
# -json), console, output -json/-raw as Terraform prints them, the
# machine-readable UI of plan/apply/refresh/destroy (every line checked
# against docs/json-ui.schema.json, no secret in any) and a stack folder
# with state but no .cp files. TAP output.
set -u
CP=$1 SCHEMA=$2 CHECK=$3
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
case $SCHEMA in /*) ;; *) SCHEMA=$PWD/$SCHEMA ;; esac
case $CHECK in /*) ;; *) CHECK=$PWD/$CHECK ;; esac
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=test NO_COLOR=1
unset CPSTACK_TEST_FAIL
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
json_ok() { python3 "$CHECK" "$SCHEMA" "$1" hunter2 pw-123 > "$1.check"; }

cat > main.cp <<'CP'
variable "n" {
  default = 2
}

resource "test_thing" "a" {
  name   = "a"
  value  = "v1"
  secret = "hunter2"
}

resource "test_thing" "b" {
  count = var.n
  name  = "b${count.index}"
  value = test_thing.a.value
}

output "a_value" {
  value = test_thing.a.value
}

output "pw" {
  value     = "pw-123"
  sensitive = true
}

output "names" {
  value = test_thing.b[*].name
}
CP

# --- machine-readable UI: plan and apply --------------------------------------------
"$CP" plan -json > plan.jsonl 2> plan.err; rc=$?
check "plan -json exits 0, nothing on stderr" '[ $rc = 0 ] && [ ! -s plan.err ]'
check "plan -json: every line matches the schema, no secret" 'json_ok plan.jsonl'
check "plan -json: version, 3 planned_change, change_summary, outputs" \
  '[ "$(head -1 plan.jsonl | grep -c "\"type\":\"version\"")" = 1 ] && [ "$(grep -c "\"type\":\"planned_change\"" plan.jsonl)" = 3 ] && grep -q "\"changes\":{\"add\":3,\"change\":0,\"import\":0,\"operation\":\"plan\",\"remove\":0}" plan.jsonl && grep -q "\"type\":\"outputs\"" plan.jsonl'
"$CP" apply -json < /dev/null > apply.err 2>&1; rc=$?
check "apply -json without -auto-approve is refused" '[ $rc = 1 ] && grep -q "auto-approve" apply.err'
"$CP" apply -json -auto-approve > apply.jsonl 2> apply.err; rc=$?
check "apply -json -auto-approve applies" '[ $rc = 0 ] && [ -f ../world/b1 ]'
check "apply -json: every line matches the schema, no secret" 'json_ok apply.jsonl'
check "apply -json: apply_start/apply_complete per object, apply change_summary" \
  '[ "$(grep -c "\"type\":\"apply_start\"" apply.jsonl)" = 3 ] && [ "$(grep -c "\"type\":\"apply_complete\"" apply.jsonl)" = 3 ] && grep -q "Apply complete! Resources: 3 added" apply.jsonl'
check "apply -json outputs: values, sensitive ones without" \
  'grep -q "\"a_value\":{\"sensitive\":false,\"type\":\"string\",\"value\":\"v1\"}" apply.jsonl && grep -q "\"pw\":{\"sensitive\":true,\"type\":\"string\"}" apply.jsonl'

# --- output as Terraform prints it ----------------------------------------------------
"$CP" output > out.txt
check "output lists values, sensitive as <sensitive>" 'grep -q "^pw = <sensitive>$" out.txt && grep -q "^a_value = \"v1\"$" out.txt'
check "output NAME shows a sensitive value asked for by name" '[ "$("$CP" output pw)" = "\"pw-123\"" ]'
"$CP" output -json > out.json
check "output -json: {sensitive, type, value}, sensitive in clear" \
  'python3 -c "import json,sys; o=json.load(open(\"out.json\")); assert o[\"pw\"]=={\"sensitive\":True,\"type\":\"string\",\"value\":\"pw-123\"}, o; assert o[\"names\"][\"type\"]==[\"tuple\",[\"string\",\"string\"]], o"'
check "output NAME -json is the value alone" '[ "$("$CP" output -json names | tr -d " \n")" = "[\"b0\",\"b1\"]" ]'
check "output -raw NAME prints the string without quotes or newline" '[ "$("$CP" output -raw pw; echo "|")" = "pw-123|" ]'
"$CP" output -raw names > raw.out 2>&1; rc=$?
check "output -raw of a list is refused, pointing to -json" '[ $rc = 1 ] && grep -q "use -json" raw.out'

# --- drift ------------------------------------------------------------------------------
sed -i 's/"value":"v1"/"value":"changed"/' ../world/a
"$CP" plan -detailed-exitcode > plan.out 2>&1; rc=$?
check "plan shows the drift section before the changes" \
  'grep -q "Objects changed outside cpstack" plan.out && grep -q "# test_thing.a has changed" plan.out && [ "$(grep -n "has changed" plan.out | cut -d: -f1)" -lt "$(grep -n "will be updated in-place" plan.out | head -1 | cut -d: -f1)" ]'
check "the drift names the attribute, before -> after" 'grep -q "~ value = \"v1\" -> \"changed\"" plan.out'
check "the plan undoes it (exit 2)" '[ $rc = 2 ] && grep -q "~ value = \"changed\" -> \"v1\"" plan.out'
check "the drift hides secrets" '! grep -q hunter2 plan.out'
"$CP" plan -refresh-only -detailed-exitcode > ro.out 2>&1; rc=$?
check "plan -refresh-only: only the drift, exit 2" \
  '[ $rc = 2 ] && grep -q "This is a refresh-only plan" ro.out && ! grep -q "will be updated in-place" ro.out'
"$CP" plan -refresh-only -out ro.plan > /dev/null 2>&1
"$CP" show ro.plan > show-plan.out 2>&1; rc=$?
check "show PLANFILE shows the saved refresh-only plan" '[ $rc = 0 ] && grep -q "refresh-only plan" show-plan.out'
"$CP" show -json ro.plan > show-plan.json 2>&1; rc=$?
check "show -json PLANFILE: one document with resource_drift" \
  '[ $rc = 0 ] && python3 -c "import json; d=json.load(open(\"show-plan.json\")); assert d[\"format_version\"]==\"1.0\"; assert d[\"resource_drift\"][0][\"address\"]==\"test_thing.a\"; assert d[\"refresh_only\"]; p=[r[\"address\"] for r in d[\"prior_state\"][\"values\"][\"root_module\"][\"resources\"]]; v=[r[\"address\"] for r in d[\"planned_values\"][\"root_module\"][\"resources\"]]; assert \"test_thing.a\" in p and \"test_thing.a\" in v, (p, v)"'
"$CP" refresh -json > refresh.jsonl 2>&1; rc=$?
check "refresh -json: schema-valid lines with resource_drift and refresh events" \
  '[ $rc = 0 ] && json_ok refresh.jsonl && grep -q "\"type\":\"resource_drift\"" refresh.jsonl && grep -q "\"type\":\"refresh_complete\"" refresh.jsonl'
check "refresh recorded the drift in state" '"$CP" show | grep -q "value *= \"changed\""'
"$CP" plan -refresh-only -detailed-exitcode > ro2.out 2>&1; rc=$?
check "after refresh, plan -refresh-only finds nothing" '[ $rc = 0 ] && grep -q "No changes" ro2.out'
sed -i 's/"value":"changed"/"value":"again"/' ../world/a
"$CP" refresh > refresh.out 2>&1; rc=$?
check "refresh reports what changed, attribute by attribute" \
  '[ $rc = 0 ] && grep -q "~ value *= \"changed\" -> \"again\"" refresh.out && grep -q "1 changed outside cpstack" refresh.out'
rm ../world/b1
"$CP" apply -refresh-only -auto-approve > aro.out 2>&1; rc=$?
check "apply -refresh-only records a deleted object and changes nothing" \
  '[ $rc = 0 ] && grep -q "test_thing.b\[1\] has been deleted" aro.out && [ ! -f ../world/b1 ] && ! "$CP" state list | grep -q "b\[1\]"'

# --- show, console ----------------------------------------------------------------------
"$CP" show > show.out
check "show prints every object and the outputs" \
  'grep -q "^# test_thing.a:" show.out && grep -q "secret *= (sensitive value)" show.out && grep -q "^pw = (sensitive value)" show.out'
"$CP" show -json > show.json
check "show -json: values.root_module.resources, secrets null" \
  'python3 -c "import json; d=json.load(open(\"show.json\")); r=d[\"values\"][\"root_module\"][\"resources\"]; a=[x for x in r if x[\"address\"]==\"test_thing.a\"][0]; assert a[\"values\"][\"secret\"] is None and a[\"sensitive_values\"][\"secret\"]; assert d[\"values\"][\"outputs\"][\"pw\"][\"value\"] is None"'
printf 'var.n * 10\ntest_thing.a.value\nnope.x\nupper(test_thing.b[0].name)\n' | "$CP" console > con.out 2> con.err; rc=$?
check "console evaluates against config and state, one error line, goes on" \
  '[ $rc = 1 ] && [ "$(cat con.out)" = "$(printf "20\n\"again\"\n\"B0\"")" ] && [ "$(wc -l < con.err)" = 1 ] && grep -q "^Error: reference to undeclared resource nope.x" con.err'
check "console hides sensitive values" '[ "$("$CP" console -e test_thing.a.secret)" = "(sensitive value)" ]'

# --- errors in the stream ------------------------------------------------------------------
printf 'resource "test_thing" "f" {\n  name           = "f"\n  fail_on_create = true\n}\n' > f.cp
"$CP" apply -json -auto-approve > fail.jsonl 2>&1; rc=$?
check "a failed create streams apply_errored then its diagnostic (schema-valid)" \
  '[ $rc = 1 ] && json_ok fail.jsonl && grep -q "\"type\":\"apply_errored\"" fail.jsonl && grep -q "\"severity\":\"error\",\"summary\":\"test_thing.f: .*fail_on_create" fail.jsonl'
printf 'resource "test_thing" "f" {\n  name  = "f"\n  value = file("missing.txt")\n}\n' > f.cp
"$CP" plan -json > diag.jsonl 2>&1; rc=$?
check "a plan error is a diagnostic line with its file and position" \
  '[ $rc = 1 ] && json_ok diag.jsonl && grep -q "\"range\":{\"end\":{[^}]*},\"filename\":\"f.cp\",\"start\":{\"byte\":[0-9]*,\"column\":16,\"line\":3}" diag.jsonl'
rm f.cp

# --- a long create: apply_progress every 10 s, as Terraform's --------------------------------
printf 'resource "test_thing" "slow" {\n  name     = "slow"\n  sleep_ms = 11500\n}\n' > slow.cp
"$CP" apply -json -auto-approve > slow.jsonl 2>&1; rc=$?
check "a create running 10 s streams one apply_progress (elapsed 10, schema-valid) before its apply_complete" \
  '[ $rc = 0 ] && json_ok slow.jsonl && [ "$(grep -c "\"type\":\"apply_progress\"" slow.jsonl)" = 1 ] && grep "\"type\":\"apply_progress\"" slow.jsonl | grep -q "\"elapsed_seconds\":10" && grep -n "apply_progress\|apply_complete" slow.jsonl | head -1 | grep -q apply_progress'
"$CP" apply -auto-approve > slow.out 2>&1
rm slow.cp

# --- no configuration files -----------------------------------------------------------------
mkdir ../saved && mv main.cp ../saved/
"$CP" plan > nocfg.out 2>&1; rc=$?
check "plan without .cp files but with state is an error, not a destroy plan" \
  '[ $rc = 1 ] && [ "$(wc -l < nocfg.out)" = 1 ] && grep -q "no configuration files" nocfg.out && [ -f ../world/a ]'
"$CP" apply -auto-approve > nocfg.out 2>&1; rc=$?
check "apply without .cp files is refused too" '[ $rc = 1 ] && [ -f ../world/a ]'
"$CP" destroy -json -auto-approve > destroy.jsonl 2>&1; rc=$?
check "destroy works from state alone (as terraform destroy), JSON lines valid" \
  '[ $rc = 0 ] && [ -z "$(ls ../world)" ] && json_ok destroy.jsonl && grep -q "\"operation\":\"destroy\"" destroy.jsonl'

echo "1..$n"
[ $fails = 0 ]
