#!/usr/bin/env bash
# plan_out_mode.sh CPSTACK: `plan -out FILE` leaves FILE mode 0600 even when
# it existed before with another mode (it is written as a new file and
# renamed over the old one), with no temporary file left beside it.
set -u
cpstack=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/main.cp" <<'CP'
resource "random_id" "x" {
  byte_length = 8
}
CP
fail() { echo "FAIL: $*"; exit 1; }
cd "$work" || exit 1
export NO_COLOR=1 CPSTACK_BRANCH=t
printf 'old text, longer than nothing\n' > saved.plan
chmod 0644 saved.plan
umask 022
"$cpstack" plan -out saved.plan . >/dev/null 2>&1 || fail "plan -out failed"
mode=$(stat -c %a saved.plan)
[ "$mode" = 600 ] || fail "saved.plan has mode $mode, want 600"
grep -q cpstack-plan saved.plan || fail "saved.plan does not hold the plan"
left=$(ls -A | grep -c '^saved.plan.tmp' || true)
[ "$left" = 0 ] || fail "a temporary file was left: $(ls -A)"
"$cpstack" plan -out fresh.plan . >/dev/null 2>&1 || fail "plan -out (new file) failed"
[ "$(stat -c %a fresh.plan)" = 600 ] || fail "fresh.plan is not 600"
echo ok
