#!/usr/bin/env bash
# End-to-end life cycle of one stack against a fresh local AWS endpoint
# (tests/emulator), as registered in tests/e2e/meson.build:
#
#   stack_cycle.sh CPSTACK STACKDIR --adds N [--update K=V] [--replace K=V]
#                  [--replace-changes N] [--branch-builds] [--var K=V]... [--secret K=V]...
#                  [--moto-var K=V]... [--moto-update K=V] [--certificate VAR]
#
# E2E_ENDPOINT=emulator (default) runs against tests/emulator; E2E_ENDPOINT=moto
# against moto (python3 -m moto.server, started by tests/moto/env.sh), whose
# leftover listing goes through AWS's own List/Describe calls
# (tests/moto/listing.py). --moto-var K=V is a --var given on moto only, to
# work around a gap of moto named in tests/README.md; --moto-update K=V is the
# --update used on moto instead (for the same reason). --certificate VAR: an
# ACM certificate for HTTPS listeners: a self-signed one (openssl) is
# imported into the endpoint's ACM first (acm_cert.sh; AWS, moto and our
# emulator all refuse a listener whose certificate does not exist) and its
# ARN passed as -var VAR=ARN.
#
# The stack is copied to a temp dir and driven through cpstack itself:
#  (a) plan shows "Plan: N to add, 0 to change, 0 to destroy."; (b) apply
#  succeeds; (c) a second plan -detailed-exitcode exits 0 with no changes;
#  (d) -var --update gives exactly one in-place update; (e) -var --replace
#  exactly one replacement ("forces replacement"); (f) a second branch
#  applies side by side, and the first still plans no changes; (g) destroy of
#  each branch; (h) the endpoint's own listing (GET /_emulator/state, read by
#  leftovers.py) holds none of a destroyed branch's resources while the other
#  branch's are intact. Also: validate and fmt -check are clean, and no IAM
#  secret the endpoint issued ever shows in cpstack's output.
#
# --var values apply to every command; a value "@FILE" is read from FILE
# (relative to this script's folder). --replace-changes N: the replacement
# also updates N resources in place (e.g. an ECS service moving to the new
# task definition revision; default 0). --branch-builds: after one branch is
# destroyed, the other must still plan no changes and show its outputs.
# --secret K=V is a --var whose value (a sensitive variable's) must never
# show in any cpstack output, like the IAM secrets the endpoint issues.
# --update/--replace are optional (their
# checks are skipped without them). Branch names are e2e-one and e2e-two.
# Environment: CPSTACK_WAIT_SCALE (default 0.01), EMULATOR_ARGS (passed to
# the endpoint), E2E_KEEP=1 keeps the temp dir and its logs.
# Ends with "N passed, M failed"; exits 1 if anything failed.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC1091
. "$here/acm_cert.sh"
usage() { echo "usage: stack_cycle.sh CPSTACK STACKDIR --adds N [--update K=V] [--replace K=V] [--replace-changes N] [--branch-builds] [--var K=V]... [--secret K=V]... [--moto-var K=V]... [--moto-update K=V] [--certificate VAR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
stackdir=$(cd "$2" 2>/dev/null && pwd) || { echo "no such stack folder: $2" >&2; exit 2; }
shift 2
adds="" update="" moto_update="" replace="" replace_changes=0 branch_builds=0 cert_var=""
endpoint=${E2E_ENDPOINT:-emulator}
case $endpoint in emulator | moto) ;; *) echo "E2E_ENDPOINT must be emulator or moto" >&2; exit 2 ;; esac
vars=()
moto_vars=()
secret_vars=()
# shellcheck disable=SC1091
. "$here/var_value.sh"
while [ $# -gt 0 ]; do
    case $1 in
        --adds) adds=$2; shift 2 ;;
        --update) update=$(file_value "$2"); shift 2 ;;
        --replace) replace=$(file_value "$2"); shift 2 ;;
        --replace-changes) replace_changes=$2; shift 2 ;;
        --branch-builds) branch_builds=1; shift ;;
        --var) vars+=(-var "$(file_value "$2")"); shift 2 ;;
        --secret) kv=$(file_value "$2"); vars+=(-var "$kv"); secret_vars+=("${kv#*=}"); shift 2 ;;
        --moto-var) moto_vars+=(-var "$(file_value "$2")"); shift 2 ;;
        --moto-update) moto_update=$(file_value "$2"); shift 2 ;;
        --certificate) cert_var=$2; shift 2 ;;
        *) usage ;;
    esac
done
[ -n "$adds" ] || usage
[ -x "$cpstack" ] || { echo "cpstack binary not found: $cpstack" >&2; exit 2; }

export CPSTACK_WAIT_SCALE=${CPSTACK_WAIT_SCALE:-0.01}
export NO_COLOR=1
unset CPSTACK_BRANCH
if [ "$endpoint" = moto ]; then
    # shellcheck disable=SC1091
    . "$here/../moto/env.sh" || { echo "moto did not start" >&2; exit 1; }
    EMULATOR_URL=$MOTO_URL
    emulator_stop() { moto_stop; }
    list_py=(python3 "$here/../moto/listing.py")
    vars+=("${moto_vars[@]}")
    [ -z "$moto_update" ] || update=$moto_update
else
    EMULATOR_DIR=$(cd "$here/../emulator" && pwd)
    export EMULATOR_DIR
    EMULATOR_ARGS=${EMULATOR_ARGS:-}   # env.sh reads it unguarded (not set -u safe)
    # shellcheck disable=SC1091
    . "$EMULATOR_DIR/env.sh" || { echo "the local AWS endpoint did not start" >&2; exit 1; }
    list_py=(/usr/bin/python3 "$here/leftovers.py")
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-e2e.XXXXXX")
cleanup() {
    emulator_stop
    if [ "${E2E_KEEP:-0}" = 1 ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
mkdir -p "$work/stack" "$work/logs"
cp -R "$stackdir"/. "$work/stack"/
rm -rf "$work/stack/.cpstack"
name=$(basename "$stackdir")
one=e2e-one two=e2e-two
passed=0 failed=0 step=0
started=$(date +%s%N)

pass() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/     | /' "$2" | tail -40; }

# cp BRANCH LOGNAME ARGS... : runs cpstack in the stack copy; sets $log and $rc.
cp_run() {
    local branch=$1 what=$2
    shift 2
    step=$((step + 1))
    log=$(printf '%s/logs/%02d-%s-%s.log' "$work" "$step" "$branch" "$what")
    (cd "$work/stack" && CPSTACK_BRANCH=$branch "$cpstack" "$@") >"$log" 2>&1
    rc=$?
}
# expect_rc WANT DESC
expect_rc() { if [ "$rc" -eq "$1" ]; then pass "$2"; else fail "$2 (exit $rc, want $1)" "$log"; fi; }
# expect_text TEXT DESC
expect_text() { if grep -qF -- "$1" "$log"; then pass "$2"; else fail "$2 (no \"$1\" in output)" "$log"; fi; }
# expect_no_text TEXT DESC
expect_no_text() { if grep -qF -- "$1" "$log"; then fail "$2 (\"$1\" in output)" "$log"; else pass "$2"; fi; }
# count TOKEN: the endpoint's records that mention TOKEN (leftovers.py)
# note_secrets: remembers every IAM secret the endpoint holds now (checked at the end)
note_secrets() { "${list_py[@]}" "$EMULATOR_URL" --secrets "$work"/stack/.cpstack/*.cpstate >>"$work/secrets"; }
count() { "${list_py[@]}" "$EMULATOR_URL" "$1" | awk '{print $2}'; }
echo "== $name: e2e cycle against $endpoint at $EMULATOR_URL (work dir $work)"
if [ -n "$cert_var" ]; then
    cert_arn=$(import_certificate "$EMULATOR_URL" "$name" "$work/logs") && [ -n "$cert_arn" ] &&
        pass "ACM certificate imported: $cert_arn" ||
        { fail "import of a self-signed ACM certificate" "$work/logs/openssl.log"; cert_arn=none; }
    vars+=(-var "$cert_var=$cert_arn")
fi

# Static checks on the stack as committed.
(cd "$stackdir" && "$cpstack" fmt -check . >"$work/logs/00-fmt.log" 2>&1) && pass "fmt -check is clean" ||
    fail "fmt -check is clean" "$work/logs/00-fmt.log"
cp_run "$one" validate validate
expect_rc 0 "validate"

# (a)-(c): first branch, create and re-plan.
cp_run "$one" plan plan "${vars[@]}"
expect_rc 0 "plan ($one)"
expect_text "Plan: $adds to add, 0 to change, 0 to destroy." "(a) plan shows $adds to add"
cp_run "$one" apply apply -auto-approve "${vars[@]}"
expect_rc 0 "(b) apply ($one)"
expect_text "Resources: $adds added, 0 changed, 0 destroyed." "(b) apply reports $adds added"
cp_run "$one" replan plan -detailed-exitcode "${vars[@]}"
expect_rc 0 "(c) second plan -detailed-exitcode exits 0"
expect_text "No changes." "(c) second plan shows no changes"
expect_no_text "Objects changed outside cpstack" "(c) refresh finds nothing changed outside cpstack"
n_one=$(count "$name-$one")
if [ "${n_one:-0}" -gt 0 ]; then pass "endpoint lists $n_one records of $name-$one"; else
    fail "endpoint lists records of $name-$one (found none: the leftover check would prove nothing)"; fi

# Branch one keeps the --update/--replace values once applied.
vars1=("${vars[@]}")

# (d) one in-place update.
if [ -n "$update" ]; then
    vars1+=(-var "$update")
    cp_run "$one" update-plan plan -detailed-exitcode "${vars1[@]}"
    expect_rc 2 "(d) plan -var ${update%%=*}=… exits 2"
    expect_text "Plan: 0 to add, 1 to change, 0 to destroy." "(d) ${update%%=*} is one in-place update"
    cp_run "$one" update-apply apply -auto-approve "${vars1[@]}"
    expect_rc 0 "(d) apply of the update"
    expect_text "Resources: 0 added, 1 changed, 0 destroyed." "(d) apply reports 1 changed"
    cp_run "$one" update-replan plan -detailed-exitcode "${vars1[@]}"
    expect_rc 0 "(d) no changes after the update"
else
    echo "skip (d): no --update given"
fi

# (e) one replacement.
if [ -n "$replace" ]; then
    vars1+=(-var "$replace")
    cp_run "$one" replace-plan plan -detailed-exitcode "${vars1[@]}"
    expect_rc 2 "(e) plan -var ${replace%%=*}=… exits 2"
    expect_text "Plan: 1 to add, $replace_changes to change, 1 to destroy." "(e) ${replace%%=*} is one replacement ($replace_changes in-place)"
    expect_text "forces replacement" "(e) the plan says what forces the replacement"
    cp_run "$one" replace-apply apply -auto-approve "${vars1[@]}"
    expect_rc 0 "(e) apply of the replacement"
    note_secrets
    expect_text "Resources: 1 added, $replace_changes changed, 1 destroyed." "(e) apply reports 1 added, $replace_changes changed, 1 destroyed"
    cp_run "$one" replace-replan plan -detailed-exitcode "${vars1[@]}"
    expect_rc 0 "(e) no changes after the replacement"
else
    echo "skip (e): no --replace given"
fi

# (f) a second branch side by side (the base variable values).
cp_run "$two" plan plan "${vars[@]}"
expect_text "Plan: $adds to add, 0 to change, 0 to destroy." "(f) plan ($two) shows $adds to add"
cp_run "$two" apply apply -auto-approve "${vars[@]}"
expect_rc 0 "(f) apply ($two) side by side"
note_secrets
cp_run "$two" replan plan -detailed-exitcode "${vars[@]}"
expect_rc 0 "(f) $two plans no changes"
cp_run "$one" after-two plan -detailed-exitcode "${vars1[@]}"
expect_rc 0 "(f) $one still plans no changes with $two deployed"
n_two=$(count "$name-$two")
if [ "${n_two:-0}" -gt 0 ]; then pass "endpoint lists $n_two records of $name-$two"; else
    fail "endpoint lists records of $name-$two"; fi
[ -f "$work/stack/.cpstack/$one.cpstate" ] && [ -f "$work/stack/.cpstack/$two.cpstate" ] &&
    pass "(f) one state file per branch" || fail "(f) one state file per branch (.cpstack/<branch>.cpstate)"

# (g)+(h) destroy each branch; the endpoint must hold nothing of it.
cp_run "$one" destroy destroy -auto-approve "${vars1[@]}"
expect_rc 0 "(g) destroy ($one)"
expect_text "Destroy complete!" "(g) destroy ($one) completes"
left=$(count "$name-$one")
if [ "$left" = 0 ]; then pass "(h) endpoint holds nothing of $name-$one"; else
    fail "(h) endpoint still holds $left records of $name-$one:"
    "${list_py[@]}" "$EMULATOR_URL" --list "$name-$one" | sed 's/^/     | /'; fi
still=$(count "$name-$two")
[ "$still" = "$n_two" ] && pass "(h) $two untouched by the destroy of $one ($still records)" ||
    fail "(h) $two untouched by the destroy of $one ($still records, had $n_two)"
if [ "$branch_builds" = 1 ]; then
    cp_run "$two" survivor-replan plan -detailed-exitcode "${vars[@]}"
    expect_rc 0 "(h) $two still plans no changes after $one is destroyed"
    cp_run "$two" survivor-output output
    expect_rc 0 "(h) $two still shows its outputs"
fi
cp_run "$two" destroy destroy -auto-approve "${vars[@]}"
expect_rc 0 "(g) destroy ($two)"
left=$(count "$name-$two")
if [ "$left" = 0 ]; then pass "(h) endpoint holds nothing of $name-$two"; else
    fail "(h) endpoint still holds $left records of $name-$two:"
    "${list_py[@]}" "$EMULATOR_URL" --list "$name-$two" | sed 's/^/     | /'; fi
cp_run "$one" after-destroy plan -detailed-exitcode "${vars[@]}"
expect_rc 2 "(g) after destroy, a plan wants to create everything again"

# No secret the endpoint issued (IAM access keys) ever reached cpstack's output.
leaks=0
for secret in "${secret_vars[@]}"; do
    if grep -rlF -- "$secret" "$work/logs" >"$work/secret-hits"; then
        fail "a sensitive variable's value is printed by cpstack in: $(xargs -n1 basename <"$work/secret-hits" | tr '\n' ' ')"
        grep -rhF -- "$secret" "$work/logs" | head -3 | while IFS= read -r line; do
            line=${line//"$secret"/<the secret>}; printf '     | %s\n' "${line:0:300}"; done
    else
        pass "no sensitive variable's value in any cpstack output"
    fi
done
while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    if grep -rqF -- "$secret" "$work/logs"; then leaks=$((leaks + 1)); fi
done < <(sort -u "$work/secrets" 2>/dev/null)
nsecrets=$(sort -u "$work/secrets" 2>/dev/null | grep -c .)
[ "$leaks" = 0 ] && pass "no IAM secret in any cpstack output ($nsecrets checked)" || fail "$leaks IAM secret(s) printed by cpstack"

ms=$((($(date +%s%N) - started) / 1000000))
printf '== %s: %d cpstack runs in %d.%01d s\n' "$name" "$step" $((ms / 1000)) $((ms % 1000 / 100))
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
