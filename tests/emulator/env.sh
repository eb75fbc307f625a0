# Source from a test script: starts the emulator, exports the AWS_* variables
# that point every SDK/CLI (and cpstack) at it, and stops it when the script exits.
#
#   . tests/emulator/env.sh        # needs a POSIX shell; uses $EMULATOR_DIR if set
#   aws s3 ls                      # talks to the emulator
#
# Exports AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION,
# AWS_DEFAULT_REGION, EMULATOR_URL and EMULATOR_PID.  Extra server options can be
# passed in EMULATOR_ARGS (e.g. "--state-file /tmp/s.json --pending-polls 0").
# POSIX sh cannot tell a sourced file its own path: bash's BASH_SOURCE is used,
# else $EMULATOR_DIR, else tests/emulator of the current git checkout.
_emu_dir=${EMULATOR_DIR:-}
[ -z "$_emu_dir" ] && [ -n "${BASH_SOURCE:-}" ] && _emu_dir=$(cd "$(dirname "$BASH_SOURCE")" && pwd)
[ -z "$_emu_dir" ] && _emu_dir="$(git rev-parse --show-toplevel 2>/dev/null)/tests/emulator"
_emu_tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-emu.XXXXXX")
# shellcheck disable=SC2086
/usr/bin/python3 "$_emu_dir/server.py" --port-file "$_emu_tmp/port" --parent-pid $$ \
    ${EMULATOR_ARGS:-} >"$_emu_tmp/log" 2>&1 &
EMULATOR_PID=$!
_emu_i=0
while [ ! -s "$_emu_tmp/port" ]; do
    _emu_i=$((_emu_i + 1))
    if [ "$_emu_i" -gt 100 ] || ! kill -0 "$EMULATOR_PID" 2>/dev/null; then
        echo "emulator did not start; its log:" >&2; cat "$_emu_tmp/log" >&2; return 1 2>/dev/null || exit 1
    fi
    sleep 0.1
done
EMULATOR_URL="http://127.0.0.1:$(cat "$_emu_tmp/port")"
AWS_ENDPOINT_URL=$EMULATOR_URL
AWS_ACCESS_KEY_ID=${EMULATOR_ACCESS_KEY_ID:-AKIDCPSTACKTEST}
AWS_SECRET_ACCESS_KEY=${EMULATOR_SECRET_ACCESS_KEY:-cpstack-test-secret}
AWS_REGION=${AWS_REGION:-eu-west-1}
AWS_DEFAULT_REGION=$AWS_REGION
export EMULATOR_URL EMULATOR_PID AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY \
    AWS_REGION AWS_DEFAULT_REGION
unset AWS_SESSION_TOKEN AWS_PROFILE
emulator_stop() {
    kill "$EMULATOR_PID" 2>/dev/null && wait "$EMULATOR_PID" 2>/dev/null
    rm -rf "$_emu_tmp"
}
trap emulator_stop EXIT
