#!/usr/bin/env bash
# The main job: installs what is missing, builds cpstack, starts the bundled
# local AWS endpoint (tests/emulator/env.sh), and runs a real validate / plan /
# apply / plan (no changes expected) / destroy of an example stack against it,
# in a temp copy of the stack. No AWS account needed. Exits non-zero as soon
# as any step fails.
#   bash scripts/demo.sh [STACKDIR]      (default examples/demo)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
stack=${1:-examples/demo}
[ -d "$stack" ] || { echo "demo: no stack folder $stack" >&2; exit 1; }

heading() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
[ -t 1 ] && [ -z "${NO_COLOR:-}" ] || heading() { printf '\n== %s\n' "$*"; }

heading "install missing Debian packages"
bash scripts/install-deps.sh
heading "build (meson + ninja, in build/)"
[ -d build ] || meson setup build -Dtests=false >/dev/null
ninja -C build >/dev/null
cp_bin=$root/build/src/cli/cpstack

heading "start the local AWS endpoint"
EMULATOR_ARGS=${EMULATOR_ARGS:-}
EMULATOR_DIR=$root/tests/emulator
export EMULATOR_DIR
# shellcheck disable=SC1091
. tests/emulator/env.sh          # exports AWS_ENDPOINT_URL etc.; stops it on exit
echo "AWS_ENDPOINT_URL=$AWS_ENDPOINT_URL"

work=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-demo.XXXXXX")
trap 'emulator_stop; rm -rf "$work"' EXIT
cp -R "$stack"/. "$work"/
rm -rf "$work/.cpstack"
cd "$work"
export CPSTACK_BRANCH=${CPSTACK_BRANCH:-demo}
echo "stack $stack copied to $work, branch $CPSTACK_BRANCH"

heading "cpstack validate"
"$cp_bin" validate
heading "cpstack plan"
"$cp_bin" plan
heading "cpstack apply -auto-approve"
"$cp_bin" apply -auto-approve
heading "cpstack plan -detailed-exitcode (no changes expected)"
"$cp_bin" plan -detailed-exitcode
heading "cpstack destroy -auto-approve"
"$cp_bin" destroy -auto-approve
heading "demo finished: every step succeeded"
