#!/usr/bin/env bash
# Prints cpstack's speed and memory figures on generated stacks.
#   bash bench/run.sh [N]      (N resources, default 10000)
# Builds a release binary in build-release, then measures:
#   - parse + validate of N resources (~30 lines each): wall time, lines/s, peak RSS
#   - instructions for the same run (valgrind --tool=callgrind, repeatable), when N <= 2000
# then state load/save (bench/state_bench.c), the engine figures (apply,
# plan, destroy) from bench/engine_bench.sh, the fsyncs and time of 1,000
# chained local creates from bench/fsync.sh and the AWS figures against the
# local emulator (refresh requests per resource, apply span against its
# bound) from bench/aws.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
[ -d build-release ] || meson setup build-release --buildtype=release -Dtests=false >/dev/null
ninja -C build-release src/cli/cpstack bench/state_bench >/dev/null
cp=./build-release/src/cli/cpstack
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
/usr/bin/python3 bench/gen_stack.py "$n" "$work/stack" >/dev/null
lines=$(wc -l < "$work/stack/main.cp")
best=""
for _ in 1 2 3; do
  /usr/bin/time -f '%e %M' -o "$work/t" "$cp" validate "$work/stack" >/dev/null
  read -r secs kb < "$work/t"
  if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; rss=$kb; fi
done
printf 'validate: %d resources, %d lines: %.2f s (best of 3), %.0f lines/s, peak RSS %.1f MB (targets: < 0.5 s, < 100 MB)\n' \
  "$n" "$lines" "$best" "$(awk "BEGIN{print $lines / ($best > 0 ? $best : 0.001)}")" "$(awk "BEGIN{print $rss / 1024}")"
# Bad references: 16,000 locals with 48,000 undeclared names (local, var,
# resource) and 16,000 good ones; linear since the check stopped searching
# every name per reference (it took 87 s).
awk 'BEGIN { n = 16000; print "locals {"
  for (i = 0; i < n; i++) printf "  a%d = [local.missing%d, var.v%d, aws_s3_bucket.b%d.id, %s]\n", i, i, i, i, i + 1 < n ? "local.a" (i + 1) : "1"
  print "}" }' > "$work/undeclared.cp"
mkdir -p "$work/undeclared" && mv "$work/undeclared.cp" "$work/undeclared/main.cp"
/usr/bin/time -f '%e %M' -o "$work/t" "$cp" validate "$work/undeclared" >/dev/null 2>&1 || true
read -r secs kb < <(tail -1 "$work/t")
printf 'validate: 16000 locals, 48000 undeclared references: %.2f s, peak RSS %.1f MB (target: < 1 s; was 87 s)\n' \
  "$secs" "$(awk "BEGIN{print $kb / 1024}")"
if command -v valgrind >/dev/null; then
  /usr/bin/python3 bench/gen_stack.py 1000 "$work/small" >/dev/null
  valgrind --tool=callgrind --callgrind-out-file="$work/cg" "$cp" validate "$work/small" >/dev/null 2>"$work/vg" || true
  ir=$(grep -o 'Collected : [0-9]*' "$work/vg" | grep -o '[0-9]*' || echo "?")
  echo "validate: 1000 resources: $ir instructions (callgrind; repeatable, compare across commits)"
fi
echo "state: 10000 resources x 15 attributes (bench/state_bench.c):"
./build-release/bench/state_bench | sed 's/^/  /'
[ -f bench/engine_bench.sh ] && sh bench/engine_bench.sh "$cp" "$n"
sh bench/fsync.sh "$cp" 1000
if /usr/bin/python3 -c 'import botocore' 2>/dev/null; then
  echo "AWS, against the local emulator (bench/aws.sh):"
  bash bench/aws.sh "$cp" | sed 's/^/  /'
else
  echo "AWS figures skipped: bench/aws.sh needs /usr/bin/python3 with botocore (the emulator)"
fi
exit 0
