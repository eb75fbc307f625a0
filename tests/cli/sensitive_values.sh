#!/usr/bin/env bash
# sensitive_values.sh CPSTACK: a sensitive variable's value never appears in
# an error, whichever way it is given: CPSTACK_VAR_* (text and expression),
# a JSON -var-file, a .cpvars -var-file or -var (the golden case
# plan/var_sensitive_errors covers -var, .cpvars and default).
set -u
cpstack=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/main.cp" <<'CP'
variable "pin" {
  type      = number
  sensitive = true
}

variable "codes" {
  type      = list(number)
  sensitive = true
}

variable "tokens" {
  type      = map(number)
  sensitive = true
}

resource "random_id" "x" {
  byte_length = 8
}
CP
printf '{"tokens": {"a": "opensesame"}}\n' > "$work/vars.json"
out=$(cd "$work" && NO_COLOR=1 CPSTACK_BRANCH=t CPSTACK_VAR_pin=hunter2 \
    CPSTACK_VAR_codes='[1, "s3cret", nope]' "$cpstack" plan -var-file vars.json . 2>&1)
rc=$?
fail() { echo "FAIL: $*"; printf '%s\n' "$out"; exit 1; }
[ "$rc" -eq 1 ] || fail "exit $rc, want 1"
for secret in hunter2 s3cret nope opensesame; do
    case $out in *"$secret"*) fail "the error shows the secret \"$secret\"" ;; esac
done
printf '%s\n' "$out" | grep -q 'CPSTACK_VAR_pin: not a valid number for sensitive variable "pin"' ||
    fail "no error for CPSTACK_VAR_pin"
printf '%s\n' "$out" | grep -q 'CPSTACK_VAR_codes: not a valid list(number)' ||
    fail "no error for CPSTACK_VAR_codes"
printf '%s\n' "$out" | grep -q 'variable "tokens": .*(sensitive value)' || fail "no error for tokens"
[ "$(printf '%s\n' "$out" | tail -1)" = "3 errors" ] || fail "want 3 errors"
echo "ok"
