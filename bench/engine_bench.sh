#!/bin/sh
# engine_bench.sh: engine figures for a big stack (default 10,000 resources):
#   - full apply of N local resources (random_id; every 10th depends on the
#     one before through keepers), wall time and peak RSS;
#   - `plan -refresh=false` with no changes (targets: < 1 s, < 150 MB);
#   - `plan` with refresh (every object read through its provider);
#   - state file size.
# Usage: bench/engine_bench.sh [path/to/cpstack] [N]
# Uses bench/gen_stack.py when it can make a local-only stack; otherwise
# generates the stack itself. Peak RSS via /usr/bin/time -v.
set -eu
CP=${1:-build/src/cli/cpstack}
N=${2:-10000}
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
[ -x "$CP" ] || { echo "engine_bench: no cpstack at $CP; build it first (ninja -C build src/cli/cpstack)" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_BRANCH=bench NO_COLOR=1
cd "$T"

awk -v n="$N" 'BEGIN {
    for (i = 0; i < n; i++) {
        printf "resource \"random_id\" \"r%d\" {\n  byte_length = 8\n", i
        if (i % 10 == 9) printf "  keepers = {\n    prev = random_id.r%d.hex\n  }\n", i - 1
        printf "}\n\n"
    }
    printf "output \"last\" {\n  value = random_id.r%d.hex\n}\n", n - 1
}' > main.cp

measure() {   # label, command...
    label=$1; shift
    /usr/bin/time -v "$@" > out.txt 2> time.txt || { tail -n 5 out.txt; tail -n 5 time.txt; exit 1; }
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
    printf '%-44s wall %8s   peak RSS %6d MB\n' "$label" "$wall" $((rss / 1024))
}

echo "cpstack engine bench: $N resources ($(nproc) CPUs)"
measure "apply -auto-approve (create all)" "$CP" apply -auto-approve -parallelism 10
grep -q "Apply complete! Resources: $N added" out.txt || { echo "apply did not create $N"; tail -3 out.txt; exit 1; }
measure "plan -refresh=false (no changes)" "$CP" plan -refresh=false -detailed-exitcode
measure "plan (refresh every object)" "$CP" plan -detailed-exitcode
printf '%-44s %s bytes\n' "state file size" "$(stat -c %s .cpstack/bench.cpstate)"
sed -i 's/byte_length = 8/byte_length = 6/' main.cp
measure "plan -refresh=false ($N to replace)" "$CP" plan -refresh=false
measure "destroy -auto-approve (delete all)" "$CP" destroy -auto-approve -parallelism 10
