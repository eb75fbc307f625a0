#!/usr/bin/env bash
# Crash and fault recovery of one stack against a fresh local AWS endpoint
# (tests/emulator), as registered in tests/e2e/meson.build:
#
#   crash_recovery.sh CPSTACK STACKDIR --mode kill9|term|lost [--kills N] [--seed S]
#                     [--var K=V]... [--secret K=V]... [--certificate VAR]
#  --certificate VAR: a self-signed ACM certificate is imported first
#  (acm_cert.sh) and its ARN passed as -var VAR=ARN.
#
#  1. A clean apply and destroy of branch "ref": the census (census.py) of
#     what it made is the reference, and its destroy leaves the endpoint as
#     it was.
#  2. Branch "crash":
#     kill9 / term: N applies, each killed (kill -9, or SIGTERM) at a seeded
#       random moment within the clean apply's duration; each next apply
#       starts from what the last one left (pending creates, stale locks).
#       With SIGTERM every run must end by itself with exit 1 (or 0 when it
#       finished first), its lock released.
#     lost: every call has a 5% chance (seeded) that the endpoint performs
#       it and drops the answer; apply (and then destroy) are run until they
#       succeed, at most 8 times.
#  3. Then one apply must succeed (convergence), a plan show no changes, the
#     census hold no collection with more objects than the clean run made
#     (a duplicate), and destroy leave nothing (an orphan).
#  Never a crash: no run ends on a signal it was not sent, and no output
#  shows a sanitizer report or a segfault.
# Ends with a "figures:" line and "N passed, M failed"; exits 1 on failure.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { echo "usage: crash_recovery.sh CPSTACK STACKDIR --mode kill9|term|lost [--kills N] [--seed S] [--var K=V]... [--secret K=V]... [--certificate VAR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
cpstack_exe=$(readlink -f "$cpstack")
stackdir=$(cd "$2" 2>/dev/null && pwd) || { echo "no such stack folder: $2" >&2; exit 2; }
shift 2
mode="" kills=10 seed=1 cert_var=""
vars=()
# shellcheck disable=SC1091
. "$here/var_value.sh"
while [ $# -gt 0 ]; do
    case $1 in
        --mode) mode=$2; shift 2 ;;
        --kills) kills=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --var|--secret) vars+=(-var "$(file_value "$2")"); shift 2 ;;
        --certificate) cert_var=$2; shift 2 ;;
        *) usage ;;
    esac
done
case $mode in kill9|term|lost) ;; *) usage ;; esac

export CPSTACK_WAIT_SCALE=${CPSTACK_WAIT_SCALE:-0.01}
# A queue deleted by the destroys of this test is made again at once: SQS's
# 60 s QueueDeletedRecently window, shorter than cpstack's scaled retry (70 s x
# the scale), as 60 s is shorter than 70 s on AWS.
export EMULATOR_SQS_DELETED_RECENTLY_SECONDS=${EMULATOR_SQS_DELETED_RECENTLY_SECONDS:-0.3}
export NO_COLOR=1
unset CPSTACK_BRANCH
EMULATOR_DIR=$(cd "$here/../emulator" && pwd)
export EMULATOR_DIR
EMULATOR_ARGS=${EMULATOR_ARGS:-}
# shellcheck disable=SC1091
. "$EMULATOR_DIR/env.sh" || { echo "the local AWS endpoint did not start" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-crash.XXXXXX")
cleanup() {
    emulator_stop
    if [ "${E2E_KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/stack" "$work/logs"
cp -R "$stackdir"/. "$work/stack"/
rm -rf "$work/stack/.cpstack"
passed=0 failed=0 step=0 crashes=0 landed=0 runs=0
# shellcheck disable=SC1091
. "$here/acm_cert.sh"
if [ -n "$cert_var" ]; then
    cert_arn=$(import_certificate "$EMULATOR_URL" "$(basename "$stackdir")" "$work/logs") ||
        { echo "import of a self-signed ACM certificate failed" >&2; cat "$work/logs/openssl.log" >&2; exit 1; }
    vars+=(-var "$cert_var=$cert_arn")
fi

pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/     | /' "$2" | tail -30; }
newlog() { step=$((step + 1)); log=$(printf '%s/logs/%03d-%s.log' "$work" "$step" "$1"); }
# A run that ended on a signal we did not send, or printed a crash report.
check_crash() { # LOG RC SENT(0/1)
    runs=$((runs + 1))
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation fault|Aborted' "$1" ||
        { [ "$2" -ge 128 ] && [ "$3" = 0 ]; }; then
        crashes=$((crashes + 1))
        fail "run ended in a crash (exit $2)" "$1"
    fi
}
# run BRANCH WHAT ARGS...: in the foreground; sets $rc and $log.
run() {
    local branch=$1 what=$2
    shift 2
    newlog "$branch-$what"
    (cd "$work/stack" && CPSTACK_BRANCH=$branch exec "$cpstack" "$@") >"$log" 2>&1
    rc=$?
    check_crash "$log" "$rc" 0
}
census() { /usr/bin/python3 "$here/census.py" "$EMULATOR_URL"; }
# more A B: the collections of census B holding more objects than in A.
more() {
    awk 'NR == FNR { a[$1] = $2; next } $2 > a[$1] + 0 { print $1, a[$1] + 0, "->", $2 }' "$1" "$2"
}
# minus A B: census B less census A (what B has on top of A).
minus() { awk 'NR == FNR { a[$1] = $2; next } $2 > a[$1] + 0 { print $1, $2 - a[$1] }' "$1" "$2"; }
faults() {
    /usr/bin/python3 -c 'import sys, urllib.request
r = urllib.request.Request(sys.argv[1] + "/_emulator/faults", data=sys.argv[2].encode(), method="POST")
urllib.request.urlopen(r, timeout=10).read()' "$EMULATOR_URL" "$1"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
lock_left() { ls "$work/stack/.cpstack/"*.lock > /dev/null 2>&1; }

# 1. the clean run
census > "$work/base.census"
t0=$(now_ms)
run ref apply apply -auto-approve "${vars[@]}"
dur=$(($(now_ms) - t0))
[ "$rc" = 0 ] && pass "clean apply (${dur} ms)" || { fail "clean apply" "$log"; exit 1; }
census > "$work/ref.all"
minus "$work/base.census" "$work/ref.all" > "$work/ref.census"
run ref destroy destroy -auto-approve "${vars[@]}"
[ "$rc" = 0 ] && pass "clean destroy" || fail "clean destroy" "$log"
census > "$work/ref.after"
left=$(more "$work/base.census" "$work/ref.after")
[ -z "$left" ] && pass "clean destroy leaves nothing" || fail "clean destroy leaves: $left"

# 2. the crash branch
if [ "$mode" = lost ]; then
    faults "{\"clear\": true, \"lost_rate\": 0.05, \"seed\": $seed}"
    tries=0
    rc=1
    while [ "$rc" != 0 ] && [ $tries -lt 8 ]; do
        tries=$((tries + 1))
        run crash apply apply -auto-approve "${vars[@]}"
    done
    [ "$rc" = 0 ] && pass "apply through 5% lost answers succeeds (run $tries)" ||
        fail "apply through 5% lost answers (8 runs)" "$log"
    faults '{"clear": true}'
    lost=$(/usr/bin/python3 -c 'import json, sys, urllib.request
print(sum(json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/calls"))["faults"].values()))' "$EMULATOR_URL")
    echo "answers lost: $lost"
else
    sig=KILL
    [ "$mode" = term ] && sig=TERM
    for k in $(seq 1 "$kills"); do
        delay=$(awk -v s="$seed" -v k="$k" -v d="$dur" 'BEGIN { srand(s * 1000 + k); printf "%.3f", rand() * d * 0.7 / 1000 }')
        newlog "crash-apply-$k"
        (cd "$work/stack" && CPSTACK_BRANCH=crash exec "$cpstack" apply -auto-approve "${vars[@]}") > "$log" 2>&1 &
        pid=$!
        # the delay counts from the exec of cpstack, not from the subshell's
        # start: a signal to the subshell before its exec is not one to cpstack
        for _ in $(seq 1 500); do
            [ "$(readlink "/proc/$pid/exe" 2> /dev/null)" = "$cpstack_exe" ] && break
            kill -0 "$pid" 2> /dev/null || break
            sleep 0.01
        done
        # SIGTERM: from the moment cpstack catches it (SigCgt bit 15 in
        # /proc/PID/status): before main, during the sanitizers' start-up, the
        # default action would end a process that has done nothing yet
        if [ "$mode" = term ]; then
            for _ in $(seq 1 500); do
                cgt=$(awk '/^SigCgt:/ { print $2 }' "/proc/$pid/status" 2> /dev/null)
                [ -n "$cgt" ] && [ $(( 0x$cgt & 0x4000 )) != 0 ] && break
                kill -0 "$pid" 2> /dev/null || break
                sleep 0.01
            done
        fi
        sleep "$delay"
        sent=0
        if kill -0 "$pid" 2> /dev/null && kill -s "$sig" "$pid" 2> /dev/null; then
            sent=1
            landed=$((landed + 1))
        fi
        { wait "$pid"; } 2> /dev/null
        rc=$?
        if [ "$mode" = kill9 ]; then
            check_crash "$log" "$rc" "$sent"
        else
            check_crash "$log" "$rc" 0
            if [ "$sent" = 1 ] && [ "$rc" != 1 ] && [ "$rc" != 0 ]; then
                fail "SIGTERM $k: apply exits 1 by itself (exit $rc)" "$log"
            fi
            if lock_left; then fail "SIGTERM $k: the lock is released" "$log"; fi
        fi
        # a run that finished before its kill: start over, so kills keep landing mid-apply
        if [ "$rc" = 0 ]; then
            run crash destroy destroy -auto-approve "${vars[@]}"
            [ "$rc" = 0 ] || fail "destroy between kills" "$log"
        fi
    done
    pass "$kills applies signalled ($landed landed mid-run)"
fi

# 3. convergence, no duplicate, no orphan
run crash converge apply -auto-approve "${vars[@]}"
[ "$rc" = 0 ] && pass "re-apply converges" || fail "re-apply converges (exit $rc)" "$log"
converged=$([ "$rc" = 0 ] && echo yes || echo no)
grep -q "released the stale lock\|Released the stale lock" "$work"/logs/*.log && echo "note: stale locks were released"
run crash replan plan -detailed-exitcode "${vars[@]}"
[ "$rc" = 0 ] && pass "then plan shows no changes" || fail "then plan shows no changes (exit $rc)" "$log"
census > "$work/crash.all"
minus "$work/ref.after" "$work/crash.all" > "$work/crash.census"
dups=$(more "$work/ref.census" "$work/crash.census")
ndup=$(printf '%s' "$dups" | grep -c . || true)
[ -z "$dups" ] && pass "no type made more objects than the clean run" ||
    fail "duplicates (collection, clean -> after crashes): $dups"
if [ "$mode" = lost ]; then
    faults "{\"clear\": true, \"lost_rate\": 0.05, \"seed\": $((seed + 1))}"
    tries=0
    rc=1
    while [ "$rc" != 0 ] && [ $tries -lt 8 ]; do
        tries=$((tries + 1))
        run crash destroy destroy -auto-approve "${vars[@]}"
    done
    faults '{"clear": true}'
else
    run crash destroy destroy -auto-approve "${vars[@]}"
fi
[ "$rc" = 0 ] && pass "destroy" || fail "destroy (exit $rc)" "$log"
census > "$work/end.census"
orphans=$(more "$work/base.census" "$work/end.census")
norph=$(printf '%s' "$orphans" | grep -c . || true)
[ -z "$orphans" ] && pass "destroy leaves nothing on the endpoint" || fail "orphans: $orphans"
echo "figures: mode=$mode stack=$(basename "$stackdir") signals=$([ "$mode" = lost ] && echo - || echo "$kills") landed=$landed runs=$runs crashes=$crashes converged=$converged duplicate_collections=$ndup orphan_collections=$norph"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
