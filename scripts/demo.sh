#!/usr/bin/env bash
# The main job: installs what is missing, builds cpstack, starts the bundled
# local AWS endpoint, and runs a real validate / plan / apply / plan / destroy
# of an example stack against it. No AWS account needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -d build ] || meson setup build -Dtests=false >/dev/null
ninja -C build >/dev/null
cp=./build/src/cli/cpstack
stack=${1:-examples/demo}
echo "== cpstack validate $stack"
$cp validate "$stack"
echo "== cpstack graph $stack (DOT)"
$cp graph "$stack" | head -20
if [ -f tests/emulator/env.sh ] && $cp plan -help >/dev/null 2>&1; then
  # shellcheck disable=SC1091
  source tests/emulator/env.sh
  emulator_start
  trap emulator_stop EXIT
  work=$(mktemp -d)
  cp -r "$stack"/. "$work"/
  echo "== cpstack plan";    $cp plan "$work" -branch demo
  echo "== cpstack apply";   $cp apply -auto-approve "$work" -branch demo
  echo "== cpstack plan (no changes expected)"; $cp plan -detailed-exitcode "$work" -branch demo
  echo "== cpstack destroy"; $cp destroy -auto-approve "$work" -branch demo
fi
