#!/usr/bin/env bash
# migrate_cycle.sh CPSTACK NAME [--certificate VAR] [--into MODULE:ADDR,…]
# [-var k=v]... : the
# migrate e2e test of one reference stack, on a fresh emulator (free port,
# its own temp dir: parallel-safe).
#   1. apply stacks/NAME (the cpstack version; NAME examples/X: examples/X)
#      on branch "mig";
#   2. write a terraform.tfstate (v4) of what exists into a copy of
#      tests/migrate/NAME (the Terraform version), tfstate_from_emulator.py
#      (--into: resources the Terraform version has in a local module);
#   3. cpstack migrate terraform on it, SRC checksummed before and after: every
#      object imported (read through the provider) but one added gone;
#   4. cpstack plan -detailed-exitcode on DEST exits 0: no changes.
set -u
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") name=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vars=() cert_var="" into=()
while [ $# -gt 0 ]; do
    case $1 in
    --certificate) cert_var=$2; shift 2 ;;
    --into) into+=("$2"); shift 2 ;;
    -var) v=$2; [[ $v == *=@* ]] && v="${v%%=@*}=$(cat "$root/tests/e2e/${v#*=@}")"; vars+=(-var "$v"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
export CPSTACK_WAIT_SCALE=${CPSTACK_WAIT_SCALE:-0.01} NO_COLOR=1 CPSTACK_BRANCH=mig
EMULATOR_DIR=$root/tests/emulator
export EMULATOR_DIR
EMULATOR_ARGS=${EMULATOR_ARGS:-}
# env.sh gives the emulator 10 s to start; on a loaded machine it may need
# more: a slow start is stopped and tried again (three times).
started=0
for _ in 1 2 3; do
    # shellcheck disable=SC1091
    if . "$EMULATOR_DIR/env.sh"; then started=1; break; fi
    kill "$EMULATOR_PID" 2>/dev/null
done
[ $started = 1 ] || { echo "the emulator did not start" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-migrate.XXXXXX")
trap 'emulator_stop; rm -rf "$work"' EXIT
failed=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { failed=1; printf 'FAIL %s\n' "$1"; [ -f "${2:-}" ] && sed 's/^/     | /' "$2" | tail -40; }

if [ -n "$cert_var" ]; then
    # shellcheck disable=SC1091
    . "$root/tests/e2e/acm_cert.sh"
    arn=$(import_certificate "$EMULATOR_URL" "$name" "$work") || { bad "ACM certificate" "$work/openssl.log"; exit 1; }
    vars+=(-var "$cert_var=$arn")
fi
case $name in */*) cpdir=$root/$name ;; *) cpdir=$root/stacks/$name ;; esac
cp -R "$cpdir" "$work/cp" && rm -rf "$work/cp/.cpstack"
# The objects as Terraform would have made them: where cpstack's default
# differs from the Terraform provider's (a group's description, a zone's
# comment), the copy applied says Terraform's; migrate sets the same.
python3 - "$work/cp" <<'PY'
import pathlib, re, sys
defaults = {"aws_security_group": "description", "aws_db_subnet_group": "description",
            "aws_route53_zone": "comment"}
for f in pathlib.Path(sys.argv[1]).rglob("*.cp"):
    s = f.read_text()
    def add(m):
        end = s.find("\n}", m.end())
        attr = defaults[m.group(1)]
        has = re.search(r"^\s*%s\s*=" % attr, s[m.end():end], re.M)
        return m.group(0) if has else '%s\n  %s = "Managed by Terraform"' % (m.group(0), attr)
    f.write_text(re.sub(r'^resource "(%s)" "[^"]+" \{' % "|".join(defaults), add, s, flags=re.M))
PY
cp -R "$here/$name" "$work/tf"
# The files the configuration reads (templates, Lambda sources, the site's
# image) are the cpstack stack's own: copied beside the .tf files, as a
# Terraform checkout would hold them.
(cd "$cpdir" && find . -type f ! -name '*.cp' ! -name 'README.md' ! -path './.cpstack/*' -print0 |
    xargs -0 -I{} cp --parents {} "$work/tf/")
if (cd "$work/cp" && "$cpstack" apply -auto-approve "${vars[@]}") >"$work/apply.log" 2>&1; then
    ok "apply ${cpdir#"$root/"} on the emulator"
else
    bad "apply ${cpdir#"$root/"}" "$work/apply.log"; exit 1
fi
CPSTACK=$cpstack python3 "$here/tfstate_from_emulator.py" "$work/cp/.cpstack/mig.cpstate" "$work/tf/terraform.tfstate" "${into[@]}" &&
    ok "terraform.tfstate written from what the emulator holds" || bad "tfstate"
# An object Terraform's state still lists but that is gone (deleted by hand):
# migrate must list it as not imported, and import every other one.
python3 - "$work/tf/terraform.tfstate" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["resources"].append({"mode": "managed", "type": "aws_s3_bucket", "name": "ghost",
                       "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                       "instances": [{"schema_version": 0, "attributes": {"id": "mig-ghost-bucket", "bucket": "mig-ghost-bucket"}}]})
json.dump(d, open(sys.argv[1], "w"))
PY
managed=$(python3 -c 'import json,sys; print(sum(len(r["instances"]) for r in json.load(open(sys.argv[1]))["resources"] if r["mode"] == "managed"))' "$work/tf/terraform.tfstate")
sum() { (cd "$work/tf" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
before=$(sum)
if "$cpstack" migrate terraform "${vars[@]}" "$work/tf" "$work/dest" >"$work/migrate.log" 2>&1; then
    ok "migrate terraform"
else
    bad "migrate terraform" "$work/migrate.log"
fi
[ "$(sum)" = "$before" ] && ok "SRC unchanged (checksum)" || bad "SRC was modified"
grep -q '^## Not converted' "$work/dest/MIGRATION.md" && ok "MIGRATION.md written" || bad "MIGRATION.md"
listed=$(grep -c 'not imported' "$work/dest/MIGRATION.md")
grep -q 'aws_s3_bucket.ghost | `aws_s3_bucket` | not imported: the object no longer exists' "$work/dest/MIGRATION.md" &&
    [ "$listed" -eq 1 ] && ok "the gone object is listed, no other" || bad "$listed object(s) not imported (want the ghost only)" "$work/dest/MIGRATION.md"
(cd "$work/dest" && "$cpstack" state list) >"$work/list" 2>"$work/list.err"
[ "$(wc -l <"$work/list")" -eq $((managed - 1)) ] && ok "state holds the $((managed - 1)) objects" ||
    bad "state list: $(wc -l <"$work/list") objects, want $((managed - 1))" "$work/list"
(cd "$work/dest" && "$cpstack" plan -detailed-exitcode "${vars[@]}") >"$work/plan.log" 2>&1
rc=$?
[ $rc -eq 0 ] && ok "plan on the migrated stack: no changes" || bad "plan -detailed-exitcode exit $rc (want 0)" "$work/plan.log"
exit $failed
