# Source from a test script: starts moto (python3 -m moto.server, the
# independent AWS mock) on a free loopback port, exports the AWS_* variables
# that point cpstack and boto3 at it, and stops it when the script exits.
#
#   . tests/moto/env.sh
#
# Exports AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_REGION, AWS_DEFAULT_REGION, MOTO_URL and MOTO_PID, and defines
# moto_stop (also run by the EXIT trap). Uses the python3 on PATH (moto
# with its server extras; scripts/install-deps.sh installs it) and
# MOTO_IAM_LOAD_MANAGED_POLICIES=true so AWS managed policies exist.
_moto_tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-moto.XXXXXX")
_moto_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
_moto_try=0
while :; do
    _moto_try=$((_moto_try + 1))
    MOTO_PORT=$(_moto_port)
    MOTO_IAM_LOAD_MANAGED_POLICIES=true python3 -m moto.server -H 127.0.0.1 -p "$MOTO_PORT" \
        >"$_moto_tmp/log" 2>&1 &
    MOTO_PID=$!
    _moto_i=0
    while ! curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/"; do
        _moto_i=$((_moto_i + 1))
        if [ "$_moto_i" -gt 300 ] || ! kill -0 "$MOTO_PID" 2>/dev/null; then break; fi
        sleep 0.1
    done
    if kill -0 "$MOTO_PID" 2>/dev/null && [ "$_moto_i" -le 300 ]; then break; fi
    kill "$MOTO_PID" 2>/dev/null
    wait "$MOTO_PID" 2>/dev/null
    if [ "$_moto_try" -ge 3 ]; then
        echo "moto did not start (python3 -m moto.server); its log:" >&2
        cat "$_moto_tmp/log" >&2
        rm -rf "$_moto_tmp"
        return 1 2>/dev/null || exit 1
    fi
done
MOTO_URL="http://127.0.0.1:$MOTO_PORT"
AWS_ENDPOINT_URL=$MOTO_URL
AWS_ACCESS_KEY_ID=AKIDCPSTACKTEST
AWS_SECRET_ACCESS_KEY=cpstack-test-secret
AWS_REGION=${AWS_REGION:-eu-west-1}
AWS_DEFAULT_REGION=$AWS_REGION
export MOTO_URL MOTO_PID AWS_ENDPOINT_URL AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY \
    AWS_REGION AWS_DEFAULT_REGION
unset AWS_SESSION_TOKEN AWS_PROFILE
moto_stop() {
    kill "$MOTO_PID" 2>/dev/null && wait "$MOTO_PID" 2>/dev/null
    rm -rf "$_moto_tmp"
}
trap moto_stop EXIT
