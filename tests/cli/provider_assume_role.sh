#!/usr/bin/env bash
# provider "aws" { assume_role { role_arn … } } against a local AWS
# endpoint, through the cpstack binary:
#   1. a bucket of the aliased instance is made with the role's temporary
#      credentials (the endpoint counts sts:AssumeRole calls), the default
#      instance's bucket with the base ones; state records the instance;
#   2. a role that cannot be assumed fails the plan in one line naming the
#      role and printing no secret;
#   3. an object of the aliased instance (in us-west-2) removed from config
#      is destroyed through the instance state records; with its provider
#      block gone too, plan says what to do.
# Usage: provider_assume_role.sh CPSTACK. E2E_ENDPOINT=moto runs it on moto
# (tests/moto/env.sh) instead of our emulator (moto has no call counter:
# only the bucket and the state are checked there).
set -u
cp=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
endpoint=${E2E_ENDPOINT:-emulator}
if [ "$endpoint" = moto ]; then
    . "$root/tests/moto/env.sh" || exit 1
    stop() { moto_stop; }
else
    : "${EMULATOR_ARGS:=}"
    . "$root/tests/emulator/env.sh" || exit 1
    stop() { emulator_stop; }
fi
export NO_COLOR=1 CPSTACK_WAIT_SCALE=0.01 CPSTACK_BRANCH=ar
work=$(mktemp -d); trap 'rm -rf "$work"; stop' EXIT
pass=0; fail=0
ok()  { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ -n "${2:-}" ] && sed 's/^/    /' "$2" | head -20; }
py() { /usr/bin/python3 - "$@"; }

role_arn=$(py <<'PY'
import json, os, boto3
iam = boto3.client('iam', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='us-east-1')
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
         "Principal": {"AWS": "arn:aws:iam::123456789012:root"}}]}
print(iam.create_role(RoleName='deployer', AssumeRolePolicyDocument=json.dumps(trust))['Role']['Arn'])
PY
)
[ -n "$role_arn" ] || { echo "could not create the role"; exit 1; }
calls() { curl -s "$AWS_ENDPOINT_URL/_emulator/calls" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"].get("sts:AssumeRole", 0))'; }

mkdir -p "$work/stack"
cat > "$work/stack/main.cp" <<'CP'
stack "arole" {
  region = "eu-west-1"
}

variable "role_arn" {
  type = string
}

provider "aws" {
  alias  = "ops"
  region = "us-west-2"
  assume_role {
    role_arn     = var.role_arn
    session_name = "cpstack-test"
  }
}

resource "aws_s3_bucket" "base" {
  bucket = "arole-base"
}

resource "aws_s3_bucket" "ops" {
  provider = aws.ops
  bucket   = "arole-ops"
}
CP
cd "$work/stack" || exit 1

# 1. the aliased instance assumes the role
"$cp" apply -auto-approve -var "role_arn=$role_arn" . >"$work/apply.log" 2>&1 \
    && ok "apply with assume_role" || bad "apply with assume_role" "$work/apply.log"
grep -q 'aws_s3_bucket.ops (provider aws.ops) will be created' "$work/apply.log" \
    && ok "the plan names the instance" || bad "the plan names the instance" "$work/apply.log"
if [ "$endpoint" = emulator ]; then
    n=$(calls)
    [ "${n:-0}" -ge 1 ] && ok "sts:AssumeRole was called ($n)" || bad "sts:AssumeRole was called (${n:-0})"
fi
buckets() { py <<'PY'
import os, boto3
s3 = boto3.client('s3', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name='eu-west-1')
print(' '.join(sorted('%s@%s' % (b['Name'], s3.get_bucket_location(Bucket=b['Name']).get('LocationConstraint'))
                      for b in s3.list_buckets()['Buckets'])))
PY
}
owners=$(buckets)
[ "$owners" = "arole-base@eu-west-1 arole-ops@us-west-2" ] && ok "each bucket in its instance's region" \
    || bad "each bucket in its instance's region (got: $owners)"

grep -q '"provider": "aws.ops"' .cpstack/ar.cpstate && ok "state records provider aws.ops" \
    || bad "state records provider aws.ops" .cpstack/ar.cpstate
"$cp" plan -detailed-exitcode -var "role_arn=$role_arn" . >"$work/plan.log" 2>&1
[ $? -eq 0 ] && ok "no changes after apply" || bad "no changes after apply" "$work/plan.log"

# 2. a role that cannot be assumed (the emulator knows no such role; moto
# assumes any role, so this check is the emulator's)
if [ "$endpoint" = emulator ]; then
    missing=arn:aws:iam::123456789012:role/nobody
    "$cp" plan -var "role_arn=$missing" . >"$work/bad.log" 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q "AccessDenied.*role/nobody" "$work/bad.log" \
        && ok "an unassumable role fails naming it" || bad "an unassumable role fails naming it" "$work/bad.log"
    if grep -qE 'FwoG|SecretAccessKey' "$work"/*.log; then bad "a secret showed"; else ok "no secret shows"; fi
fi

# 3. orphans go through the instance state records
cp main.cp "$work/main.full"
py main.cp <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'resource "aws_s3_bucket" "ops" \{.*?\n\}\n', '', s, flags=re.S)
open(p, 'w').write(s)
PY
"$cp" apply -auto-approve -var "role_arn=$role_arn" . >"$work/orphan.log" 2>&1 \
    && grep -q 'aws_s3_bucket.ops (provider aws.ops) will be destroyed' "$work/orphan.log" \
    && [ "$(buckets)" = "arole-base@eu-west-1" ] \
    && ok "an orphan of aws.ops is destroyed in us-west-2" \
    || bad "an orphan of aws.ops is destroyed in us-west-2 ($(buckets))" "$work/orphan.log"
cp "$work/main.full" main.cp
"$cp" apply -auto-approve -var "role_arn=$role_arn" . >"$work/again.log" 2>&1 || bad "apply again" "$work/again.log"
py main.cp <<'PY'
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'resource "aws_s3_bucket" "ops" \{.*?\n\}\n', '', s, flags=re.S)
s = re.sub(r'provider "aws" \{.*?\n\}\n', '', s, flags=re.S)
open(p, 'w').write(s)
PY
"$cp" plan -var "role_arn=$role_arn" . >"$work/gone.log" 2>&1
[ $? -eq 1 ] && grep -q 'provider aws.ops is not declared in the stack (state names it)' "$work/gone.log" \
    && ok "a removed provider block with objects in state is an error saying what to do" \
    || bad "a removed provider block with objects in state is an error saying what to do" "$work/gone.log"
cp "$work/main.full" main.cp

"$cp" destroy -auto-approve -var "role_arn=$role_arn" . >"$work/destroy.log" 2>&1 \
    && ok "destroy through both instances" || bad "destroy through both instances" "$work/destroy.log"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
