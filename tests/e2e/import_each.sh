#!/usr/bin/env bash
# import_each.sh CPSTACK STACKDIR: an import block with for_each against a
# local AWS endpoint (E2E_ENDPOINT=emulator, the default, or moto). Two
# buckets are made with boto3 (as a person in the console would); plan
# imports both through one block, each at its own key; apply saves them
# without creating anything; a re-plan is a no-op; destroy removes them.
# Ends with "N passed, M failed"; exits 1 if anything failed.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$(mktemp -d)
cp -r "$2"/. "$work/"
case ${E2E_ENDPOINT:-emulator} in
    # shellcheck disable=SC1091
    emulator) . "$here/../emulator/env.sh"; trap 'emulator_stop; rm -rf "$work"' EXIT ;;
    # shellcheck disable=SC1091
    moto) . "$here/../moto/env.sh"; trap 'moto_stop; rm -rf "$work"' EXIT ;;
    *) echo "E2E_ENDPOINT must be emulator or moto" >&2; exit 2 ;;
esac
export CPSTACK_BRANCH=importeach NO_COLOR=1
cd "$work" || exit 1
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); echo "ok: $1"; else failed=$((failed + 1)); echo "FAIL: $1"; cat "$log"; fi; }
run() { log=$work/$1.log; shift; "$cpstack" "$@" >"$log" 2>&1; rc=$?; }
buckets() {
    python3 - "$AWS_ENDPOINT_URL" "$1" <<'PY'
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
if sys.argv[2] == "make":
    for b in ("cpstack-import-each-logs", "cpstack-import-each-data"):
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": s3.meta.region_name})
else:
    print(" ".join(sorted(b["Name"] for b in s3.list_buckets()["Buckets"])))
PY
}

buckets make
run plan plan
check "plan imports both buckets through one block, each at its key" \
  '[ $rc = 0 ] && grep -q "# aws_s3_bucket.b\[\"logs\"\] will be imported" "$log" && grep -q "# aws_s3_bucket.b\[\"data\"\] will be imported" "$log" && grep -q "Plan: 2 to import, 0 to add, 0 to change, 0 to destroy." "$log"'
run apply apply -auto-approve
check "apply saves them, creating nothing" '[ $rc = 0 ] && grep -q "Apply complete! Resources: 2 imported, 0 added, 0 changed, 0 destroyed." "$log"'
run list state list
check "state holds both keys" 'grep -qx "aws_s3_bucket.b\[\"logs\"\]" "$log" && grep -qx "aws_s3_bucket.b\[\"data\"\]" "$log"'
run replan plan -detailed-exitcode
check "a re-plan is a no-op (the import block may stay)" '[ $rc = 0 ] && grep -q "No changes." "$log"'
run destroy destroy -auto-approve
check "destroy removes both" '[ $rc = 0 ] && ! buckets list | grep -q cpstack-import-each'
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
