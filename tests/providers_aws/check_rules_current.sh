#!/usr/bin/env bash
# Checks that src/providers/aws/rules_generated.c is what
# scripts/gen_aws_rules.py writes now. Needs a python3 with botocore 1.43
# (the version the committed file was made from). Without it the test
# says so and is skipped (exit 77), except under CI=true, where it fails:
# CI must be able to tell.
root=${1:-$(dirname "$0")/../..}
py=${PYTHON3:-python3}
want=$(sed -n 's/.*from botocore \([0-9.]*\)'"'"'s service models.*/\1/p' "$root/src/providers/aws/rules_generated.c")
have=$("$py" -c 'import botocore; print(botocore.__version__)' 2>/dev/null)
if [ -z "$have" ] || [ "${have%.*}" != "${want%.*}" ]; then
  echo "cannot check rules_generated.c: it was made from botocore $want, $py has ${have:-no botocore}"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
exec "$py" "$root/scripts/gen_aws_rules.py" --check
