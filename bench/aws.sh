#!/usr/bin/env bash
# aws.sh: cpstack's AWS figures against the local emulator
# (tests/emulator/env.sh starts it; its /_emulator/calls counters and
# latency_ms fault give the numbers), each printed against its goal:
#   (a) requests per resource of a refresh (plan) of a mix of 20 buckets,
#       20 roles, 20 role policies, 80 security groups, 20 log groups and
#       20 topics (goal <= 0.3);
#   (b) apply of N independent buckets with injected latency L:
#       span / (ceil(requests / parallelism) * L) (goal <= 1.1);
#   (c) apply of a chain of 10 security groups, each naming the one before:
#       span / critical path (goal <= 1.1); every request is on the chain, so
#       the critical path is requests * L plus the time the endpoint spent
#       answering them (the emulator's busy_ms: Python under load is no
#       faster than AWS, and that time is the API's, not cpstack's).
# Usage: bench/aws.sh [path/to/cpstack]   (BENCH_LATENCY_MS, default 100;
# BENCH_BUCKETS, default 100). The latency is the brief's 100 ms; lower it
# for a quicker, noisier run. Needs /usr/bin/python3 with botocore.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CP=${1:-$ROOT/build/src/cli/cpstack}
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
[ -x "$CP" ] || { echo "bench/aws.sh: no cpstack at $CP; build it first" >&2; exit 1; }
LAT=${BENCH_LATENCY_MS:-100}
NB=${BENCH_BUCKETS:-100}
PAR=10
PARTS=${BENCH_PARTS:-abc} # e.g. BENCH_PARTS=a: only the refresh figure
EMULATOR_DIR=$ROOT/tests/emulator
export EMULATOR_DIR
# shellcheck source=/dev/null
. "$ROOT/tests/emulator/env.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"; emulator_stop' EXIT
export CPSTACK_BRANCH=bench NO_COLOR=1 CPSTACK_WAIT_SCALE=0.01

admin() { # method path [json]
    /usr/bin/python3 - "$EMULATOR_URL" "$@" <<'PY'
import json, sys, urllib.request
url, method, path = sys.argv[1], sys.argv[2], sys.argv[3]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
req = urllib.request.Request(url + "/_emulator/" + path, data=body, method=method,
                             headers={"Content-Type": "application/json"})
out = json.load(urllib.request.urlopen(req))
if path == "calls" and method == "GET":
    print(out["total"])
if path == "calls/busy" and method == "GET":
    print(out["busy_ms"])
PY
}
now() { date +%s.%N; }
ratio() { awk "BEGIN { printf \"%.2f\", $1 / $2 }"; }
verdict() { awk "BEGIN { exit !($1 <= $2) }" && echo "ok" || echo "MISSED"; }
run() { # dir, cpstack args...
    local d=$1; shift
    (cd "$d" && "$CP" "$@" >"$T/out.txt" 2>&1) || { tail -n 20 "$T/out.txt"; exit 1; }
}

# ---- (a) refresh of the mix --------------------------------------------------------
part_a() {
mkdir -p "$T/mix"
cat > "$T/mix/main.cp" <<'CP'
stack "mix" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "b" {
  count  = 20
  bucket = "bench-mix-${count.index}"
  tags   = { n = "${count.index}" }
}
resource "aws_iam_role" "r" {
  count = 20
  name  = "bench-role-${count.index}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ec2.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = { n = "${count.index}" }
}
resource "aws_iam_role_policy" "p" {
  count = 20
  name  = "bench-policy"
  role  = aws_iam_role.r[count.index].id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "${aws_s3_bucket.b[count.index].arn}/*" }]
  })
}
resource "aws_security_group" "g" {
  count       = 80
  name        = "bench-sg-${count.index}"
  description = "bench"
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_cloudwatch_log_group" "l" {
  count             = 20
  name              = "/bench/mix/${count.index}"
  retention_in_days = 7
  tags              = { n = "${count.index}" }
}
resource "aws_sns_topic" "t" {
  count = 20
  name  = "bench-topic-${count.index}"
  tags  = { n = "${count.index}" }
}
CP
MIX=180
run "$T/mix" apply -auto-approve -parallelism $PAR
admin DELETE calls
run "$T/mix" plan -parallelism $PAR
grep -q "No changes" "$T/out.txt" || { echo "(a) the plan after apply is not empty:"; tail -n 30 "$T/out.txt"; }
reqs=$(admin GET calls)
per=$(ratio "$reqs" $MIX)
printf '(a) refresh of %d resources (20 buckets, 20 roles, 20 role policies, 80 security groups, 20 log groups, 20 topics): %d requests, %s per resource (goal <= 0.3): %s\n' \
    $MIX "$reqs" "$per" "$(verdict "$per" 0.3)"
if [ -n "${BENCH_CALLS:-}" ]; then
    /usr/bin/python3 -c "import json,urllib.request;c=json.load(urllib.request.urlopen('$EMULATOR_URL/_emulator/calls'))['calls'];[print('    %5d %s'%(n,k)) for k,n in sorted(c.items(),key=lambda x:-x[1])]"
fi
run "$T/mix" destroy -auto-approve -parallelism $PAR
admin POST reset '{}'
}

# ---- (b) N independent buckets under latency -----------------------------------------
part_b() {
mkdir -p "$T/buckets"
cat > "$T/buckets/main.cp" <<CP
stack "buckets" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "b" {
  count  = $NB
  bucket = "bench-lat-\${count.index}"
}
CP
admin POST faults "{\"clear\": true, \"latency_ms\": $LAT}"
admin DELETE calls
t0=$(now)
run "$T/buckets" apply -auto-approve -parallelism $PAR
t1=$(now)
reqs=$(admin GET calls)
span=$(awk "BEGIN { print $t1 - $t0 }")
bound=$(awk "BEGIN { r = $reqs / $PAR; c = int(r); if (c < r) c++; print c * $LAT / 1000 }")
rb=$(ratio "$span" "$bound")
printf '(b) apply of %d independent buckets, %d ms latency, parallelism %d: %d requests, span %.2f s, bound ceil(requests/parallelism) x latency %.2f s, ratio %s (goal <= 1.1): %s\n' \
    "$NB" "$LAT" $PAR "$reqs" "$span" "$bound" "$rb" "$(verdict "$rb" 1.1)"
admin DELETE faults
run "$T/buckets" destroy -auto-approve -parallelism $PAR
admin POST reset '{}'
}

# ---- (c) a chain of 10 security groups -----------------------------------------------
part_c() {
mkdir -p "$T/chain"
{
    printf 'stack "chain" {\n  region = "eu-west-1"\n}\n'
    for i in 0 1 2 3 4 5 6 7 8 9; do
        printf 'resource "aws_security_group" "s%d" {\n  name = "bench-chain-%d"\n' "$i" "$i"
        if [ "$i" -gt 0 ]; then
            printf '  description = "after ${aws_security_group.s%d.id}"\n' $((i - 1))
        else
            printf '  description = "first"\n'
        fi
        printf '}\n'
    done
} > "$T/chain/main.cp"
admin POST faults "{\"clear\": true, \"latency_ms\": $LAT}"
admin DELETE calls
t0=$(now)
run "$T/chain" apply -auto-approve -parallelism $PAR
t1=$(now)
reqs=$(admin GET calls)
busy=$(admin GET calls/busy)
span=$(awk "BEGIN { print $t1 - $t0 }")
crit=$(awk "BEGIN { print ($reqs * $LAT + $busy) / 1000 }")
rc=$(ratio "$span" "$crit")
printf '(c) apply of a chain of 10 security groups, %d ms latency: %d requests (all on the chain), span %.2f s, critical path %.2f s (requests x latency + %.2f s the endpoint spent answering), ratio %s (goal <= 1.1): %s\n' \
    "$LAT" "$reqs" "$span" "$crit" "$(awk "BEGIN { print $busy / 1000 }")" "$rc" "$(verdict "$rc" 1.1)"
admin DELETE faults
run "$T/chain" destroy -auto-approve -parallelism $PAR
}

case $PARTS in *a*) part_a ;; esac
case $PARTS in *b*) part_b ;; esac
case $PARTS in *c*) part_c ;; esac
exit 0
