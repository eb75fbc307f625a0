#!/bin/sh
# state_deposed_test.sh: `state rm` and `state mv` carry an instance's
# deposed objects (old objects of an interrupted create_before_destroy
# replacement) along: rm forgets them with the instance, mv moves them to
# the new address under the same keys with the same attributes and
# dependencies; an address with only deposed objects can be moved and
# removed too, and mv refuses a destination that holds any. Real objects
# are never touched. Deposed objects are written into the state file
# directly (as a crash would leave them).
# Usage: state_deposed_test.sh /path/to/cpstack
set -u
CP=$1
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
export CPSTACK_TEST_WORLD="$T/world" CPSTACK_BRANCH=sd NO_COLOR=1
unset CPSTACK_TEST_FAIL CPSTACK_TEST_LOG
mkdir -p "$T/world" "$T/s"
cd "$T/s" || exit 1
n=0; fails=0
check() { n=$((n + 1)); if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; fails=$((fails + 1)); fi; }
ST=.cpstack/sd.cpstate

cat > main.cp <<'CP'
resource "test_thing" "base" {
  name = "base"
}

resource "test_thing" "a" {
  name  = "a"
  value = test_thing.base.name
}

resource "test_thing" "b" {
  name = "b"
}
CP
"$CP" apply -auto-approve > apply.out 2>&1; rc=$?
check "the stack applies" '[ $rc = 0 ]'

# test_thing.a gets two deposed objects; test_thing.c has only one (no current object).
/usr/bin/python3 - "$ST" <<'PY'
import json, sys
p = sys.argv[1]
s = json.load(open(p))
def dep(key, id):
    return {"key": key, "schema_version": 0, "attributes": {"id": id, "name": id},
            "sensitive_attributes": [], "dependencies": ["test_thing.base"]}
for r in s["resources"]:
    if r["name"] == "a":
        r["deposed"] = [dep("11111111", "a-old1"), dep("22222222", "a-old2")]
s["resources"].append({"mode": "managed", "type": "test_thing", "name": "c", "deposed": [dep("33333333", "c-old")]})
json.dump(s, open(p, "w"), indent=2)
PY
for o in a-old1 a-old2 c-old; do echo "{\"name\":\"$o\"}" > ../world/$o; done
"$CP" state list > list.out 2>&1
check "state list shows the deposed objects" \
  '[ $(grep -c "# deposed object" list.out) = 3 ] && grep -q "^test_thing.a  # deposed object 11111111$" list.out'

# --- mv ------------------------------------------------------------------------
"$CP" state mv test_thing.a test_thing.c > mv.out 2>&1; rc=$?
check "mv onto an address holding deposed objects is refused" \
  '[ $rc = 1 ] && grep -q "test_thing.c is already in state; remove it first" mv.out'
"$CP" state mv test_thing.a test_thing.a2 > mv.out 2>&1; rc=$?
check "mv succeeds" '[ $rc = 0 ] && grep -q "Moved test_thing.a to test_thing.a2" mv.out'
"$CP" state list > list.out 2>&1
check "nothing is left at the old address" '! grep -q "^test_thing.a " list.out && ! grep -q "^test_thing.a$" list.out'
check "the instance and both deposed objects are at the new address" \
  'grep -q "^test_thing.a2$" list.out && grep -q "^test_thing.a2  # deposed object 11111111$" list.out &&
   grep -q "^test_thing.a2  # deposed object 22222222$" list.out'
/usr/bin/python3 - "$ST" > moved.out <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
r = [r for r in s["resources"] if r["name"] == "a2"][0]
print(r["attributes"]["id"], ",".join(r["dependencies"]),
      *[d["key"] + ":" + d["attributes"]["id"] + ":" + ",".join(d["dependencies"]) for d in r["deposed"]])
PY
check "attributes and dependencies move with them" \
  '[ "$(cat moved.out)" = "a test_thing.base 11111111:a-old1:test_thing.base 22222222:a-old2:test_thing.base" ]'
"$CP" state mv test_thing.c test_thing.c2 > mv.out 2>&1; rc=$?
"$CP" state list > list.out 2>&1
check "an address with only deposed objects moves too" \
  '[ $rc = 0 ] && grep -q "^test_thing.c2  # deposed object 33333333$" list.out && ! grep -q "^test_thing.c " list.out'
"$CP" plan > plan.out 2>&1
check "the plan deletes the deposed objects at their new address" \
  'grep -q "# test_thing.a2 (deposed object 11111111) will be destroyed" plan.out &&
   grep -q "# test_thing.c2 (deposed object 33333333) will be destroyed" plan.out'

# --- rm ------------------------------------------------------------------------
"$CP" state rm test_thing.a2 > rm.out 2>&1; rc=$?
check "rm forgets the instance and its deposed objects" \
  '[ $rc = 0 ] && grep -q "^Removed test_thing.a2$" rm.out && grep -q "^Removed test_thing.a2 (deposed object 11111111)$" rm.out &&
   grep -q "Successfully removed 1 resource instance(s) and 2 deposed object(s)." rm.out'
"$CP" state list > list.out 2>&1
check "nothing of test_thing.a2 is left in state" '! grep -q "test_thing.a2" list.out'
"$CP" state rm test_thing.c2 > rm.out 2>&1; rc=$?
"$CP" state list > list.out 2>&1
check "rm of an address with only deposed objects" \
  '[ $rc = 0 ] && grep -q "Successfully removed 0 resource instance(s) and 1 deposed object(s)." rm.out && ! grep -q deposed list.out'
"$CP" state rm test_thing.b > rm.out 2>&1; rc=$?
check "rm of an instance without deposed objects reads as before" \
  '[ $rc = 0 ] && grep -q "^Successfully removed 1 resource instance(s).$" rm.out'
"$CP" state rm test_thing.nope > rm.out 2>&1; rc=$?
check "rm of nothing is an error" '[ $rc = 1 ] && grep -q "nothing in state matches" rm.out'
check "real objects are left alone" '[ -f ../world/a ] && [ -f ../world/a-old1 ] && [ -f ../world/a-old2 ] && [ -f ../world/c-old ]'
check "only test_thing.base is left in state" '[ "$("$CP" state list)" = "test_thing.base" ]'

echo "1..$n"
[ "$fails" -eq 0 ]
