#!/usr/bin/env bash
# drift.sh CPSTACK STACKDIR: drift against our emulator. Applies one
# bucket, changes its tags behind cpstack's back with boto3 (as a person in
# the console would), and checks that plan reports it attribute by
# attribute in "Objects changed outside cpstack" before the change that
# undoes it, that plan -json streams a resource_drift line, and that
# refresh records it (after which plan -refresh-only finds nothing).
# Ends with "N passed, M failed"; exits 1 if anything failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
cp -r "$2"/. "$work/"
# shellcheck disable=SC1091
. "$here/../emulator/env.sh"
trap 'emulator_stop; rm -rf "$work"' EXIT
export CPSTACK_BRANCH=drift NO_COLOR=1
cd "$work" || exit 1
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; cat "$log"; fi; }
run() { log=$work/$1.log; shift; "$cpstack" "$@" >"$log" 2>&1; rc=$?; }

run apply apply -auto-approve
check "apply creates the bucket" '[ $rc = 0 ]'
run replan plan -detailed-exitcode
check "a re-plan reports no drift and no changes" '[ $rc = 0 ] && ! grep -q "changed outside" "$log"'
python3 - "$EMULATOR_URL" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
s3.put_bucket_tagging(Bucket="cpstack-drift-drift", Tagging={"TagSet": [
    {"Key": "team", "Value": "ops"}, {"Key": "owner", "Value": "alice"}]})
PY
run drift plan -detailed-exitcode
check "plan shows the drift, attribute by attribute" \
  'grep -q "Objects changed outside cpstack" "$log" && grep -q "# aws_s3_bucket.b has changed" "$log" && grep -q "~ \"team\"  = \"core\" -> \"ops\"" "$log" && grep -q "+ \"owner\" = \"alice\"" "$log"'
check "then plans to undo it (exit 2)" '[ $rc = 2 ] && grep -q "~ \"team\"  = \"ops\" -> \"core\"" "$log"'
run json plan -json
check "plan -json streams a resource_drift line" 'grep -q "\"type\":\"resource_drift\".*" "$log" && grep -q "aws_s3_bucket.b: Drift detected (update)" "$log"'
run refresh refresh
check "refresh reports and records the drift" '[ $rc = 0 ] && grep -q "1 changed outside cpstack" "$log"'
run ro plan -refresh-only -detailed-exitcode
check "after refresh, plan -refresh-only finds nothing" '[ $rc = 0 ]'
run destroy destroy -auto-approve
check "destroy" '[ $rc = 0 ]'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
