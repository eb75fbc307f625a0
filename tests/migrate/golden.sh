#!/usr/bin/env bash
# golden.sh CPSTACK: `cpstack migrate terraform` on folders without AWS.
#   unconvertible/  every Terraform-only construct: MIGRATION.md and the
#                   converted main.cp equal golden/unconvertible.*; SRC unchanged
#   offline/        a state converted -offline: golden/offline.md, the objects
#                   in cpstack state, Terraform-only attributes dropped
#   tfdata/         terraform_data, null_resource, random_id and their state,
#                   objects read through the built-in providers: Terraform's
#                   {"value","type"} form of any-typed attributes unwrapped,
#                   the first plan empty, a new input planned as Terraform would
#   DEST            SRC-cpstack by default; a non-empty one is refused
#   refusals        a tfstate of format 3
# UPDATE_GOLDEN=1 rewrites the golden files.
set -u
cpstack=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cpstack-migrate-golden.XXXXXX")
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1 CPSTACK_BRANCH=default
failed=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { failed=1; printf 'FAIL %s\n' "$1"; [ -f "${2:-}" ] && sed 's/^/     | /' "$2" | tail -40; }
sum() { (cd "$here/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum); }
golden() { # golden FILE NAME
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then cp "$1" "$here/golden/$2"; fi
    if diff -u "$here/golden/$2" "$1" >"$work/diff" 2>&1; then ok "$2 as golden"; else bad "$2 differs from golden/$2" "$work/diff"; fi
}
cd "$here" || exit 1

before=$(sum unconvertible)
"$cpstack" migrate terraform unconvertible "$work/unc" >"$work/unc.log" 2>"$work/unc.err"
[ $? -eq 0 ] && ok "unconvertible: migrate exits 0 (the converted stack loads)" || bad "unconvertible: migrate" "$work/unc.err"
[ "$(sum unconvertible)" = "$before" ] && ok "unconvertible: SRC unchanged" || bad "unconvertible: SRC modified"
golden "$work/unc/MIGRATION.md" unconvertible.md
golden "$work/unc/main.cp" unconvertible.main.cp
grep -qF "$(tail -1 "$work/unc/MIGRATION.md")" "$work/unc.log" && ok "the report is printed too" || bad "report not printed" "$work/unc.log"
! grep -rq hunter2 "$work/unc" && ok "a sensitive tfvars value is written nowhere in DEST" || bad "sensitive tfvars value copied"
[ ! -e "$work/unc/terraform.tfvars" ] && [ -f "$work/unc/modules/queue/main.cp" ] &&
    ok "tfvars not copied, the local module converted" || bad "files in DEST"

before=$(sum offline)
"$cpstack" migrate terraform -offline offline "$work/off" >"$work/off.log" 2>&1 && ok "offline: migrate exits 0" ||
    bad "offline: migrate" "$work/off.log"
[ "$(sum offline)" = "$before" ] && ok "offline: SRC unchanged" || bad "offline: SRC modified"
golden "$work/off/MIGRATION.md" offline.md
(cd "$work/off" && "$cpstack" state list) >"$work/list" 2>&1
printf 'aws_s3_bucket.assets\naws_s3_bucket.gone["a"]  # tainted\naws_s3_bucket.west\naws_sqs_queue.jobs\n' | diff - "$work/list" >/dev/null &&
    ok "offline: state holds the objects of known types, a tainted one tainted" || bad "offline: state list" "$work/list"
(cd "$work/off" && "$cpstack" state show aws_s3_bucket.assets) >"$work/show" 2>&1
grep -q 'shop-assets-default' "$work/show" && ! grep -q 'tags_all' "$work/show" &&
    ok "offline: attributes kept, Terraform-only ones (tags_all) dropped" || bad "offline: state show" "$work/show"
(cd "$work/off" && "$cpstack" state show aws_sqs_queue.jobs) >"$work/show-q" 2>&1
grep -q 'name = "shop-jobs"' "$work/show-q" && ! grep -q 'name_prefix\|policy' "$work/show-q" &&
    ok 'offline: the "" Terraform records for an unset optional string is kept as null' ||
    bad "offline: state show aws_sqs_queue.jobs" "$work/show-q"
grep -q '"provider": "aws.west"' "$work/off/.cpstack/"*.cpstate && grep -q '^  alias  = "west"' "$work/off/main.cp" &&
    grep -q 'provider = aws.west' "$work/off/main.cp" &&
    ok "offline: an aliased provider, its resource and its object's instance carry over" ||
    bad "offline: aliased provider" "$work/off/main.cp"
(cd "$work/off" && "$cpstack" output assets_bucket) >"$work/out" 2>&1
grep -q 'shop-assets-default' "$work/out" && ok "offline: outputs imported" || bad "offline: output" "$work/out"

before=$(sum tfdata)
"$cpstack" migrate terraform tfdata "$work/td" >"$work/td.log" 2>&1 &&
    grep -q "4 resource(s)" "$work/td.log" && grep -q "state: 4 object(s) imported, 0 listed" "$work/td.log" &&
    grep -q 'provider "null"' "$work/td/MIGRATION.md" && ! grep -q '^provider' "$work/td/main.cp" &&
    ok "tfdata: terraform_data and null_resource kept, their objects imported, provider \"null\" removed" || bad "tfdata: migrate" "$work/td.log"
[ "$(sum tfdata)" = "$before" ] && ok "tfdata: SRC unchanged" || bad "tfdata: SRC modified"
(cd "$work/td" && "$cpstack" plan -detailed-exitcode) >"$work/td.plan" 2>&1 &&
    ok "tfdata: the first plan after migrate shows no change" || bad "tfdata: first plan" "$work/td.plan"
(cd "$work/td" && "$cpstack" state show terraform_data.settings) >"$work/td.show" 2>&1
grep -q '^ *output = { name = "web", ports = \[80, 443\] }$' "$work/td.show" && grep -q '^ *triggers_replace = \[3\]$' "$work/td.show" &&
    grep -q '7d0e4c2b-1a3f-4b5c-9d6e-8f7a6b5c4d3e' "$work/td.show" && ! grep -q '"type"\|type =' "$work/td.show" &&
    ok "tfdata: any-typed attributes unwrapped, the id kept" || bad "tfdata: state show" "$work/td.show"
(cd "$work/td" && "$cpstack" plan -var revision=4) >"$work/td.plan" 2>&1
grep -q "# terraform_data.revision will be updated in-place" "$work/td.plan" && grep -q "# terraform_data.settings must be replaced" "$work/td.plan" &&
    grep -q "# null_resource.gate must be replaced" "$work/td.plan" &&
    grep -q "# (replace triggered by terraform_data.revision)" "$work/td.plan" &&
    ok "tfdata: a new input updates, triggers_replace and replace_triggered_by replace" || bad "tfdata: plan -var" "$work/td.plan"

cp -R offline "$work/o2"
(cd "$work" && "$cpstack" migrate terraform -offline o2/) >"$work/o2.log" 2>&1 && [ -f "$work/o2-cpstack/main.cp" ] &&
    ok "DEST defaults to SRC-cpstack" || bad "default DEST" "$work/o2.log"
"$cpstack" migrate terraform -offline -branch feature-x offline "$work/fx" >"$work/fx.log" 2>&1 &&
    [ -f "$work/fx/.cpstack/feature-x.cpstate" ] && grep -q 'state written for branch "feature-x"' "$work/fx.log" &&
    ok "-branch names the branch written, and migrate says so" || bad "-branch" "$work/fx.log"
mkdir -p "$work/brk" && printf 'resource "aws_s3_bucket" "b" {\n  bucket = var.nope\n}\n' >"$work/brk/main.tf"
"$cpstack" migrate terraform "$work/brk" "$work/brk-out" >"$work/brk.log" 2>&1
[ $? -eq 1 ] && grep -q 'main.cp:[0-9]*:[0-9]*: reference to undeclared variable "nope"' "$work/brk.log" && grep -q "does not load yet (above); fix it" "$work/brk.log" &&
    [ -f "$work/brk-out/main.cp" ] && ok "a converted stack that does not load: written, its errors shown, exit 1" ||
    bad "a stack that does not load" "$work/brk.log"
mkdir -p "$work/full" && touch "$work/full/keep"
"$cpstack" migrate terraform offline "$work/full" >"$work/full.log" 2>&1
[ $? -eq 1 ] && grep -q "is not empty; give a new folder" "$work/full.log" && [ "$(ls "$work/full")" = keep ] &&
    ok "a non-empty DEST is refused, untouched" || bad "non-empty DEST" "$work/full.log"
printf '{"version": 3, "serial": 1, "modules": []}\n' >"$work/v3.tfstate"
"$cpstack" migrate terraform -state "$work/v3.tfstate" offline "$work/v3" >"$work/v3.log" 2>&1
[ $? -eq 1 ] && grep -q "format version 3; cpstack reads version 4" "$work/v3.log" &&
    ok "a format 3 tfstate is refused with the way out" || bad "tfstate v3" "$work/v3.log"
"$cpstack" migrate cloudformation x >"$work/cf.log" 2>&1
[ $? -eq 1 ] && grep -q 'give `terraform SRC \[DEST\]`' "$work/cf.log" && ok "migrate of anything but terraform: one line, exit 1" ||
    bad "migrate cloudformation" "$work/cf.log"
"$cpstack" migrate -help >"$work/help.log" 2>&1 && grep -q "Usage: cpstack migrate terraform" "$work/help.log" &&
    "$cpstack" --help | grep -q "^  migrate " && ok "migrate -help, and listed in cpstack --help" || bad "help" "$work/help.log"
"$cpstack" migrate terraform "$work/none" "$work/none-dest" >"$work/none.log" 2>&1
[ $? -eq 1 ] && grep -q "is not a folder; give the Terraform root module's folder" "$work/none.log" &&
    ok "a missing SRC: one line, exit 1" || bad "missing SRC" "$work/none.log"
printf '{"version": 4, "resources": [\n' >"$work/bad.tfstate"
"$cpstack" migrate terraform -state "$work/bad.tfstate" offline "$work/bad" >"$work/bad.log" 2>&1
[ $? -eq 1 ] && grep -q "bad.tfstate:2: not a Terraform state (JSON: " "$work/bad.log" && [ ! -e "$work/bad" ] &&
    ok "a broken tfstate: file:line, nothing written" || bad "broken tfstate" "$work/bad.log"
exit $failed
