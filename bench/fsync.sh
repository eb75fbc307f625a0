#!/bin/sh
# fsync.sh: what durable state costs apply, on a chain of N local creates
# (default 1,000: random_id and local_file alternating, each made from the
# one before, so nothing runs in parallel and every create waits for its
# prerequisite). Prints, each against its goal:
#   - fsyncs per N chained local creates (strace -f -c -e trace=fsync,fdatasync
#     over the whole `apply -auto-approve`, plan and lock included; goal <= 50)
#   - the wall time of that apply without strace (best of 3; goal <= 0.5 s)
# Usage: bench/fsync.sh [path/to/cpstack] [N]   (called by bench/run.sh)
# The goals were set for N = 1000 (issue 14: it took ~3,800 fsyncs, 1.4 s).
set -eu
CP=${1:-build/src/cli/cpstack}
N=${2:-1000}
case $CP in /*) ;; *) CP=$PWD/$CP ;; esac
[ -x "$CP" ] || { echo "fsync: no cpstack at $CP; build it first" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export CPSTACK_BRANCH=bench NO_COLOR=1
mkdir "$T/s"
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) {
  if (i % 2 == 0) {
    printf "resource \"random_id\" \"r%d\" {\n  byte_length = 4\n", i
    if (i) printf "  keepers = { prev = local_file.r%d.id }\n", i - 1
    print "}\n"
  } else
    printf "resource \"local_file\" \"r%d\" {\n  filename = \"${path.module}/out/f%d\"\n  content  = random_id.r%d.hex\n}\n\n", i, i, i - 1
} }' > "$T/s/main.cp"
cd "$T/s"
fresh() { rm -rf .cpstack out; }

fresh
if command -v strace > /dev/null; then
    strace -f -c -e trace=fsync,fdatasync -o "$T/strace" "$CP" apply -auto-approve > "$T/out" 2>&1 ||
        { tail -3 "$T/out"; exit 1; }
    grep -q "Resources: $N added" "$T/out" || { echo "fsync: apply did not create $N"; exit 1; }
    # the total line is "100.00 SECONDS USECS/CALL CALLS [ERRORS] total"
    fsyncs=$(awk '$NF == "total" { print $4 }' "$T/strace")
    verdict=$([ "$fsyncs" -le 50 ] && echo ok || echo OVER)
    printf 'fsync: %d chained local creates: %d fsyncs (goal <= 50: %s)\n' "$N" "$fsyncs" "$verdict"
else
    echo "fsync: strace is missing (bash scripts/install-deps.sh); fsyncs not counted"
fi
# Wall time depends on the machine's load (the chain is CPU-bound once the
# fsyncs are gone); the CPU time (user + system) of the same run does not.
best=""
for _ in 1 2 3; do
    fresh
    /usr/bin/time -f '%e %U %S' -o "$T/t" "$CP" apply -auto-approve > "$T/out" 2>&1 || { tail -3 "$T/out"; exit 1; }
    read -r secs usr sys < "$T/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; cpu=$(awk "BEGIN{print $usr + $sys}"); fi
done
verdict=$(awk "BEGIN{print ($best <= 0.5) ? \"ok\" : \"OVER\"}")
printf 'fsync: %d chained local creates: apply %.2f s, best of 3 (goal <= 0.5 s: %s), CPU %.2f s (%d CPUs, load %s)\n' \
    "$N" "$best" "$verdict" "$cpu" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
