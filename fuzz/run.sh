#!/bin/sh
# fuzz/run.sh SECONDS: build every libFuzzer target (fuzz/fuzz_*.c) with clang
# in build-fuzz and run each for SECONDS (default 60), seeded from
# fuzz/seeds/<target>/ or, for the front end, from examples/, the reference
# stacks (each stack's .cp files joined into one input), tests/lang/golden
# and fuzz/seeds/fuzz_frontend (template directives and strip markers).
# Inputs may grow to 64 KiB (-max_len), so whole real stacks are fuzzed.
# Exits non-zero on a crash or sanitizer report; the crashing input is left
# in build-fuzz/artifacts/.
set -eu
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
if [ ! -f "$build/build.ninja" ]; then
    mkdir -p "$build"
    if ! CC=clang meson setup "$build" "$root" -Dfuzz=true -Dtests=false \
        -Db_sanitize=address,undefined -Db_lundef=false >"${TMPDIR:-/tmp}/cpstack-fuzz-setup.log" 2>&1; then
        tail -30 "${TMPDIR:-/tmp}/cpstack-fuzz-setup.log"; echo "fuzz: meson setup failed"; exit 1
    fi
fi
if ! ninja -C "$build" >"$build/build.log" 2>&1; then
    grep -E "error|FAILED" "$build/build.log" | head -30; echo "fuzz: build failed"; exit 1
fi
mkdir -p "$build/artifacts"
status=0
for src in "$root"/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    corpus="$build/corpus-$name"
    mkdir -p "$corpus"
    # Seeds: fuzz/seeds/<target>/ when it exists; the front end also gets the
    # .cp examples and stacks (its own dir holds template inputs).
    if [ -d "$root/fuzz/seeds/$name" ] && [ "$name" != fuzz_frontend ]; then
        seeds="$root/fuzz/seeds/$name"
    else
        stacks="$build/seeds-stacks"
        mkdir -p "$stacks"
        for d in "$root"/stacks/*/ "$root"/examples/*/; do
            cat "$d"*.cp > "$stacks/$(basename "$d").cp" 2>/dev/null || true
        done
        seeds="$stacks $root/examples $root/tests/lang/golden/errors $root/tests/lang/golden/fmt"
        [ -d "$root/fuzz/seeds/$name" ] && seeds="$seeds $root/fuzz/seeds/$name"
    fi
    echo "fuzz: $name for ${secs}s"
    if ! "$build/fuzz/$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$build/artifacts/$name-" -print_final_stats=1 \
        "$corpus" $seeds \
        2>"$build/$name.log"; then
        tail -40 "$build/$name.log"
        echo "fuzz: $name FAILED (see $build/$name.log and $build/artifacts/)"
        status=1
    else
        grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb" "$build/$name.log" || true
        echo "fuzz: $name ok"
    fi
done
exit $status
