#!/usr/bin/env bash
# Runs every test of cpstack: installs what is missing, builds with
# AddressSanitizer + UndefinedBehaviorSanitizer, runs the whole meson suite
# (unit tests, the local AWS endpoint's own boto3 tests, end-to-end stacks),
# then each fuzz target for a bounded time. Exits non-zero on any failure.
#   bash scripts/test.sh            # everything
#   FUZZ_SECONDS=0 bash scripts/test.sh   # skip fuzzing
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=build-asan
if [ ! -d "$build" ]; then
  meson setup "$build" -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
fi
ninja -C "$build"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C "$build" --print-errorlogs --num-processes 2 -t 2
if [ "${FUZZ_SECONDS:-30}" != 0 ] && [ -x fuzz/run.sh ]; then
  bash fuzz/run.sh "${FUZZ_SECONDS:-30}"
fi
