#!/usr/bin/env bash
# Team state in S3, against the local AWS endpoint, through the cpstack
# binary as a team would use it:
#   1. two applies of one branch at once: exactly one proceeds, the other
#      stops at once naming the holder;
#   2. a state write after someone else changed the object (bypassing the
#      lock) is refused, and nothing is overwritten;
#   3. encrypted state round-trips, is unreadable at rest, and a wrong or
#      missing passphrase fails with a clear message;
#   4. `cpstack branches` lists the deployments; force-unlock needs the
#      lock's ID.
# Usage: s3_team_test.sh CPSTACK_TEST   (build/tests/support/cpstack-test:
# cpstack with the test-only provider, whose test_thing it uses)
set -u
: "${EMULATOR_ARGS:=}"
cp=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/tests/emulator/env.sh" || exit 1
export AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 NO_COLOR=1
work=$(mktemp -d); trap 'rm -rf "$work"; emulator_stop' EXIT
export CPSTACK_TEST_WORLD=$work/world; mkdir -p "$CPSTACK_TEST_WORLD"
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -20; }
# held KEY: waits (up to 30 s) until the lock object KEY exists, i.e. the
# apply started in the background holds the lock (a fixed sleep is too short
# on a loaded machine under ASan)
held() {
  for _ in $(seq 300); do
    s3 get team-state "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
s3() { /usr/bin/python3 - "$@" <<'PY'
import os, sys, boto3
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='us-east-1',
                  config=Config(s3={'addressing_style': 'path'}))
op = sys.argv[1]
if op == 'mb': s3.create_bucket(Bucket=sys.argv[2])
elif op == 'get': sys.stdout.buffer.write(s3.get_object(Bucket=sys.argv[2], Key=sys.argv[3])['Body'].read())
elif op == 'put': s3.put_object(Bucket=sys.argv[2], Key=sys.argv[3], Body=sys.argv[4].encode())
elif op == 'putf': s3.put_object(Bucket=sys.argv[2], Key=sys.argv[3], Body=open(sys.argv[4], 'rb').read())
PY
}
s3 mb team-state
mkdir -p "$work/stack"
cat > "$work/stack/main.cp" <<'CP'
stack "team" {
  region = "us-east-1"
  backend "s3" {
    bucket = "team-state"
    key    = "team"
  }
}

variable "value" {
  default = "one"
}

variable "sleep_ms" {
  type    = number
  default = 0
}

resource "test_thing" "slow" {
  name     = "slow-${stack.branch}"
  value    = var.value
  sleep_ms = var.sleep_ms
}
CP
cd "$work/stack"

# 1. two applies at once
"$cp" apply -auto-approve -branch main -var sleep_ms=6000 > "$work/a.out" 2>&1 &
a=$!
held team/main.cpstate.lock || bad "the first apply takes the lock" "$work/a.out"
start=$(date +%s)
"$cp" apply -auto-approve -branch main > "$work/b.out" 2>&1; brc=$?
took=$(( $(date +%s) - start ))
wait $a; arc=$?
if [ $arc -eq 0 ]; then ok "first apply proceeds"; else bad "first apply proceeds" "$work/a.out"; fi
if [ $brc -ne 0 ] && grep -q "state is locked by" "$work/b.out" && grep -q "apply" "$work/b.out" && [ "$took" -le 4 ]; then
  ok "second apply stops at once naming the holder (${took}s)"
else bad "second apply stops at once naming the holder" "$work/b.out"; fi
s3 get team-state team/main.cpstate > "$work/state.json" && grep -q '"slow-main"' "$work/state.json" \
  && ok "state is in S3 at team/main.cpstate" || bad "state is in S3 at team/main.cpstate" "$work/state.json"

# 2. someone rewrites the state object behind the lock's back during an apply
"$cp" apply -auto-approve -branch main -var value=two -var sleep_ms=8000 > "$work/c.out" 2>&1 &
c=$!
held team/main.cpstate.lock || bad "the second apply takes the lock" "$work/c.out"
sed 's/"serial": \([0-9]*\)/"serial": 99/' "$work/state.json" > "$work/theirs.json"   # someone else's write
s3 putf team-state team/main.cpstate "$work/theirs.json"
wait $c; crc=$?
if [ $crc -ne 0 ] && grep -q "changed since this run read it" "$work/c.out"; then
  ok "a write after someone else's is refused"
else bad "a write after someone else's is refused" "$work/c.out"; fi
s3 get team-state team/main.cpstate > "$work/after.json"
cmp -s "$work/theirs.json" "$work/after.json" && ok "the other writer's state was not overwritten" \
  || bad "the other writer's state was not overwritten" "$work/after.json"
"$cp" force-unlock -branch main "$(grep -o 'lock ID [0-9a-f-]*' "$work/c.out" | head -1 | cut -d' ' -f3)" >/dev/null 2>&1
rm -f "$CPSTACK_TEST_WORLD"/* 2>/dev/null

# 3. encrypted state
export CPSTACK_STATE_PASSPHRASE="correct horse battery staple"
"$cp" apply -auto-approve -branch enc -var value=secret-value-xyz > "$work/e.out" 2>&1 \
  && ok "apply with an encrypted state" || bad "apply with an encrypted state" "$work/e.out"
s3 get team-state team/enc.cpstate > "$work/enc.bin"
if head -c 19 "$work/enc.bin" | grep -q "CPSTATE-AES256GCM-1" && ! grep -q "secret-value-xyz" "$work/enc.bin"; then
  ok "state at rest is encrypted"
else bad "state at rest is encrypted" "$work/enc.bin"; fi
"$cp" plan -detailed-exitcode -branch enc -var value=secret-value-xyz > "$work/p.out" 2>&1 \
  && ok "encrypted state reads back: no changes" || bad "encrypted state reads back: no changes" "$work/p.out"
CPSTACK_STATE_PASSPHRASE="wrong horse battery staple" "$cp" plan -branch enc > "$work/w.out" 2>&1
[ $? -eq 1 ] && grep -q "wrong passphrase" "$work/w.out" && ok "a wrong passphrase fails clearly" \
  || bad "a wrong passphrase fails clearly" "$work/w.out"
CPSTACK_STATE_PASSPHRASE= "$cp" plan -branch enc > "$work/n.out" 2>&1
[ $? -eq 1 ] && grep -q "is encrypted; set CPSTACK_STATE_PASSPHRASE" "$work/n.out" && ok "no passphrase fails clearly" \
  || bad "no passphrase fails clearly" "$work/n.out"

# 4. branches and force-unlock
"$cp" branches > "$work/br.out" 2>&1
grep -q "enc .*1 resource" "$work/br.out" && grep -q "main .*1 resource" "$work/br.out" \
  && ok "branches lists both deployments" || bad "branches lists both deployments" "$work/br.out"
unset CPSTACK_STATE_PASSPHRASE
"$cp" branches > "$work/br2.out" 2>&1
grep -q "enc .*encrypted" "$work/br2.out" && ok "branches without the passphrase says encrypted" \
  || bad "branches without the passphrase says encrypted" "$work/br2.out"
s3 put team-state team/main.cpstate.lock '{"id":"11111111-2222-3333-4444-555555555555","who":"alice","host":"build-7","pid":4242,"operation":"apply","created":"2026-11-23T18:00:00Z"}'
"$cp" plan -branch main > "$work/l.out" 2>&1
grep -q "locked by alice" "$work/l.out" && ok "a held lock names its holder" || bad "a held lock names its holder" "$work/l.out"
"$cp" force-unlock -branch main 00000000-0000-0000-0000-000000000000 > "$work/f1.out" 2>&1 \
  && bad "force-unlock with a wrong ID is refused" "$work/f1.out" || ok "force-unlock with a wrong ID is refused"
"$cp" force-unlock -branch main 11111111-2222-3333-4444-555555555555 > "$work/f2.out" 2>&1 \
  && "$cp" plan -branch main > "$work/l2.out" 2>&1 && ok "force-unlock with the right ID frees the branch" \
  || bad "force-unlock with the right ID frees the branch" "$work/f2.out"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
