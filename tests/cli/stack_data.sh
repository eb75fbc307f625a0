#!/usr/bin/env bash
# stack_data.sh CPSTACK: data "cpstack_stack" reads another stack's outputs
# through its backend, without its lock: local state (the sibling folder by
# default, or `dir`), S3 state (this stack's bucket with the other stack's
# name as key, on the emulator), sensitive outputs still hidden, and a
# stack or branch with no state is one error line naming where it looked.
set -u
cpstack=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1
fail() { echo "FAIL: $*"; printf '%s\n' "${out:-}"; exit 1; }
network() { # dir backend-block
    mkdir -p "$work/$1"
    cat > "$work/$1/main.cp" <<CP
stack "network" {
  region = "us-east-1"
  $2
}
output "vpc_id" {
  value = "vpc-0123"
}
output "subnets" {
  value = ["subnet-a", "subnet-b"]
}
output "db_password" {
  value     = "pw-never-shown"
  sensitive = true
}
CP
}
app() { # dir backend-block data-arguments
    mkdir -p "$work/$1"
    cat > "$work/$1/main.cp" <<CP
stack "app" {
  region = "us-east-1"
  $2
}
data "cpstack_stack" "net" {
  stack = "network"
  $3
}
output "vpc" {
  value = data.cpstack_stack.net.outputs.vpc_id
}
output "subnet" {
  value = data.cpstack_stack.net.outputs.subnets[1]
}
output "pw" {
  value = data.cpstack_stack.net.outputs.db_password
}
CP
}
expect_outputs() {
    case $out in *'vpc    = "vpc-0123"'*) ;; *) fail "$1: vpc_id not read" ;; esac
    case $out in *'subnet = "subnet-b"'*) ;; *) fail "$1: subnets not read" ;; esac
    case $out in *'pw     = (sensitive value)'*) ;; *) fail "$1: the sensitive output is not hidden" ;; esac
    case $out in *pw-never-shown*) fail "$1: a sensitive output was printed" ;; esac
}

# local state: the sibling folder ../network, branch main, its lock held
export AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y AWS_ENDPOINT_URL=http://127.0.0.1:9
network network ""
out=$(cd "$work/network" && "$cpstack" apply -auto-approve -branch main . 2>&1) || fail "apply network"
printf '{"ID":"held"}' > "$work/network/.cpstack/main.cpstate.lock"
app app "" 'branch = "main"'
out=$(cd "$work/app" && "$cpstack" plan -branch main . 2>&1) || fail "plan app (local)"
expect_outputs local
# `dir`, and a branch with no state
mv "$work/network" "$work/net-elsewhere"
app app "" 'dir = "../net-elsewhere"'
out=$(cd "$work/app" && "$cpstack" plan -branch main . 2>&1) || fail "plan app (dir)"
expect_outputs dir
out=$(cd "$work/app" && "$cpstack" plan -branch feature . 2>&1) && fail "a branch with no state was read"
case $out in
*'data.cpstack_stack.net: reading the data source failed: stack "network" has no state on branch "feature" (looked in '*'net-elsewhere/.cpstack/feature.cpstate)'*) ;;
*) fail "no-state message" ;;
esac
[ "$(printf '%s\n' "$out" | grep -c 'has no state')" = 1 ] || fail "no-state message is not one line"

# S3 state on the emulator: this stack's bucket, key = the other stack's name
. "$here/../emulator/env.sh" || exit 1
python3 -c "import boto3; boto3.client('s3', region_name='us-east-1').create_bucket(Bucket='team-state')" || fail "bucket"
s3='backend "s3" {
    bucket = "team-state"
    key    = "KEY"
  }'
network s3net "${s3/KEY/network}"
out=$(cd "$work/s3net" && "$cpstack" apply -auto-approve -branch main . 2>&1) || fail "apply network (s3)"
app s3app "${s3/KEY/app}" ''
out=$(cd "$work/s3app" && "$cpstack" plan -branch main . 2>&1) || fail "plan app (s3)"
expect_outputs s3
out=$(cd "$work/s3app" && "$cpstack" plan -branch other . 2>&1) && fail "s3: a branch with no state was read"
case $out in *'looked in s3://team-state/network/other.cpstate'*) ;; *) fail "s3 no-state message" ;; esac
echo ok
