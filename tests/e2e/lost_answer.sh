#!/usr/bin/env bash
# lost_answer.sh: the answer to one call is lost, operation by operation, and
# apply or destroy must still converge with no duplicate and no orphan
# (tests/e2e/meson.build registers it per example and reference stack):
#
#   lost_answer.sh CPSTACK STACKDIR [--var|--secret K=V]... [--certificate VAR]
#                  SERVICE:OPERATION...
#
# For each SERVICE:OPERATION, on its own branch of the stack against one
# emulator (tests/emulator): the emulator performs the first such call and
# drops its answer (a "lost" fault script).
#   - An operation of apply (Create*, Put*, Attach*, ...): apply must succeed
#     (the engine looks the object up by its recovery key and adopts it, or
#     the retry is answered "already exists" and the look-up adopts it then),
#     a plan must show no changes, and destroy must leave the endpoint as it
#     was (census.py: nothing made twice, nothing left behind).
#   - An operation of destroy (Delete*, Detach*, Remove*, Revoke*, Terminate*,
#     Deregister*, ...): after a clean apply, destroy must succeed though the
#     repeat is refused ("already being deleted", "not found") and leave the
#     endpoint as it was.
# The crash tests' "lost" mode drops answers at random; this one reaches
# every operation of the list. A value "@FILE" is read from FILE
# (var_value.sh); --certificate VAR imports a self-signed ACM certificate
# first and passes its ARN as -var VAR=ARN.
set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
usage() { echo "usage: lost_answer.sh CPSTACK STACKDIR [--var|--secret K=V]... [--certificate VAR] SERVICE:OPERATION..." >&2; exit 2; }
[ $# -ge 3 ] || usage
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
stackdir=$(cd "$2" 2>/dev/null && pwd) || { echo "no such stack folder: $2" >&2; exit 2; }
shift 2
vars=() ops=() cert_var=""
# shellcheck disable=SC1091
. "$here/var_value.sh"
while [ $# -gt 0 ]; do
    case $1 in
        --secret | --var) vars+=(-var "$(file_value "$2")"); shift 2 ;;
        --certificate) cert_var=$2; shift 2 ;;
        *:*) ops+=("$1"); shift ;;
        *) usage ;;
    esac
done
[ ${#ops[@]} -gt 0 ] || usage
export CPSTACK_WAIT_SCALE=${CPSTACK_WAIT_SCALE:-0.01}
export EMULATOR_SQS_DELETED_RECENTLY_SECONDS=${EMULATOR_SQS_DELETED_RECENTLY_SECONDS:-0.3}
export NO_COLOR=1
unset CPSTACK_BRANCH
EMULATOR_DIR=$(cd "$here/../emulator" && pwd)
export EMULATOR_DIR
. "$EMULATOR_DIR/env.sh" || { echo "the local AWS endpoint did not start" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-lost.XXXXXX")
trap 'emulator_stop; [ "${E2E_KEEP:-0}" = 1 ] && echo "kept: $work" || rm -rf "$work"' EXIT
mkdir -p "$work/stack"
cp -R "$stackdir"/. "$work/stack"/
rm -rf "$work/stack/.cpstack"
if [ -n "$cert_var" ]; then
    # shellcheck disable=SC1091
    . "$here/acm_cert.sh"
    cert_arn=$(import_certificate "$EMULATOR_URL" "$(basename "$stackdir")" "$work") ||
        { echo "import of a self-signed ACM certificate failed" >&2; cat "$work/openssl.log" >&2; exit 1; }
    vars+=(-var "$cert_var=$cert_arn")
fi
passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ -f "${2:-}" ] && sed 's/^/     | /' "$2" | tail -25; }
census() { /usr/bin/python3 "$here/census.py" "$EMULATOR_URL"; }
post() {
    /usr/bin/python3 -c 'import sys, urllib.request
r = urllib.request.Request(sys.argv[1] + "/_emulator/" + sys.argv[2], data=sys.argv[3].encode(), method="POST")
urllib.request.urlopen(r, timeout=10).read()' "$EMULATOR_URL" "$1" "$2"
}
# injected SERVICE OPERATION: how many answers of it the emulator dropped.
injected() {
    /usr/bin/python3 -c 'import json, sys, urllib.request
d = json.load(urllib.request.urlopen(sys.argv[1] + "/_emulator/calls", timeout=10))
print(d.get("faults", {}).get(sys.argv[2], 0))' "$EMULATOR_URL" "$1:$2"
}
run() { # BRANCH LOG ARGS...: sets rc
    local branch=$1 log=$2
    shift 2
    (cd "$work/stack" && CPSTACK_BRANCH=$branch exec "$cpstack" "$@") >"$log" 2>&1
    rc=$?
    if grep -qE 'AddressSanitizer|LeakSanitizer|runtime error:|Segmentation fault' "$log"; then rc=99; fi
}

# fault SERVICE OPERATION: the next such call is performed, its answer lost.
fault() {
    post faults "{\"clear\": true, \"next\": [{\"kind\": \"lost\", \"service\": \"$1\", \"operation\": \"$2\", \"count\": 1}]}"
}
# destroy_checked OP BRANCH LOG: destroy must leave the endpoint as base.census.
destroy_checked() {
    run "$2" "$3" destroy -auto-approve "${vars[@]}"
    census > "$work/after.census"
    if [ "$rc" = 0 ] && cmp -s "$work/base.census" "$work/after.census"; then
        pass "$1: destroy leaves the endpoint as it was (nothing made twice or left behind)"
    else
        fail "$1: destroy leaves the endpoint as it was (exit $rc)" "$3"
        diff "$work/base.census" "$work/after.census" | sed 's/^/     | /'
    fi
}

n=0
for op in "${ops[@]}"; do
    n=$((n + 1))
    census > "$work/base.census"
    svc=${op%%:*} name=${op#*:} branch=lost$n log=$work/$n
    case $name in
        Delete* | Detach* | Remove* | Disassociate* | Revoke* | Terminate* | Deregister* | \
            Unsubscribe* | Release* | Untag*)
            # an operation of destroy: its answer is lost there
            run "$branch" "$log.apply" apply -auto-approve "${vars[@]}"
            [ "$rc" = 0 ] || { fail "$op: the apply before the destroy (exit $rc)" "$log.apply"; continue; }
            fault "$svc" "$name"
            destroy_checked "$op" "$branch" "$log.destroy"
            got=$(injected "$svc" "$name")
            post faults '{"clear": true}'
            [ "$got" = 0 ] && fail "$op: no $name call was made (the list names an operation the stack does not use)"
            continue
            ;;
    esac
    fault "$svc" "$name"
    run "$branch" "$log.apply" apply -auto-approve "${vars[@]}"
    got=$(injected "$svc" "$name")
    post faults '{"clear": true}'
    if [ "$got" = 0 ]; then
        fail "$op: no $name call was made (the list names an operation the stack does not use)"
        continue
    fi
    [ "$rc" = 0 ] && pass "$op: apply converges though the answer was lost" ||
        { fail "$op: apply converges though the answer was lost (exit $rc)" "$log.apply"; }
    run "$branch" "$log.plan" plan -detailed-exitcode "${vars[@]}"
    [ "$rc" = 0 ] && pass "$op: then a plan shows no changes" ||
        fail "$op: then a plan shows no changes (exit $rc)" "$log.plan"
    destroy_checked "$op" "$branch" "$log.destroy"
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
