#!/usr/bin/env python3
"""tfstate_from_emulator.py CPSTATE TFSTATE [MODULE:ADDR,ADDR...]: a Terraform state (format 4)
describing the objects a cpstack apply made on the emulator, as Terraform's
AWS provider would record them: the real ids and attributes, Terraform's
made-up ids where it makes them up (policy attachments: "<role>-<timestamp>";
aws_db_instance: the resource id "db-…"; aws_acm_certificate_validation:
the time it was issued), the ids it composes (aws_route53_record
ZONEID_NAME_TYPE, aws_security_group_rule "sgrule-<crc32>" of the rule,
computed here as the provider's ipPermissionIDHash does, so a cpstack id
that differs fails the test), the values a StateFunc normalizes
(aws_route53_record's name: lower case, no final dot), the plugin SDK's
zero values ("", false, 0) for optional arguments left unset (every AWS type but the
plugin-framework ones; needs the cpstack binary in $CPSTACK for the types of
the attributes), "tags_all" beside "tags" and the
provider address every object carries. Used by migrate_cycle.sh to test
`cpstack migrate terraform` with a state produced by applying through the
emulator. MODULE:ADDR,… puts those root resources (e.g. aws_vpc.main) under
the module (module.network), where the Terraform version declares them."""
import json
import os
import subprocess
import sys
import uuid
import zlib

PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'


def tf_attrs(rtype, attrs, n):
    a = dict(attrs)
    if rtype in ("aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment"):
        owner = a.get("role") or a.get("user")
        a["id"] = "%s-2026120317%08d" % (owner, n)  # Terraform's PrefixedUniqueId
    if rtype == "aws_db_instance":
        a["id"] = a.get("resource_id") or "db-%s" % uuid.uuid4().hex[:26].upper()
    if rtype == "aws_acm_certificate_validation":
        a["id"] = "2026-12-03 17:%02d:%02d.%03d +0000 UTC" % (n % 60, n % 60, n)  # time.Time.String()
    if rtype == "aws_route53_record":
        # the name's StateFunc; the id joins zone, that name and the type
        a["name"] = a["name"].rstrip(".").lower()
        parts = [a["zone_id"], a["name"], a["type"]] + ([a["set_identifier"]] if a.get("set_identifier") else [])
        a["id"] = "_".join(parts)
    if rtype == "aws_security_group_rule":
        a["id"] = sgrule_id(a)
    if rtype in ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"):
        a["id"] = a["security_group_rule_id"]
    if rtype == "aws_cloudwatch_event_target":
        bus = a.get("event_bus_name") or "default"
        a["id"] = ("%s-%s" % (a["rule"], a["target_id"]) if bus == "default"
                   else "%s-%s-%s" % (bus, a["rule"], a["target_id"]))
    if rtype == "aws_secretsmanager_secret_version":
        a["id"] = "%s|%s" % (a["secret_id"], a["version_id"])
    if rtype == "aws_sqs_queue_policy":
        a["id"] = a["queue_url"]
    if rtype in ("aws_dynamodb_table", "aws_ssm_parameter"):
        a["id"] = a["name"]
    if rtype.startswith("aws_s3_bucket_") and rtype.endswith(("_configuration", "_controls")):
        a["id"] = a["bucket"]  # no expected_bucket_owner: the bucket alone
    if os.environ.get("CPSTACK") and rtype.startswith("aws_") and rtype not in FRAMEWORK:
        a = sdk_zero_values(a, primitives(rtype))
    if isinstance(a.get("tags"), dict):
        a["tags_all"] = dict(a["tags"])
    return a


# AWS types the provider (v5) implements on the plugin framework: null stays null.
FRAMEWORK = ("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")
ZERO = {"string": "", "bool": False, "number": 0}
_primitives = {}  # type -> {dotted path: "string" | "bool" | "number"}


def primitives(rtype):
    """rtype's primitive attributes (blocks' too, dotted), from `cpstack schema TYPE`."""
    if rtype not in _primitives:
        out = subprocess.run([os.environ["CPSTACK"], "schema", rtype], capture_output=True,
                             text=True, check=True).stdout
        fields = (line.split() for line in out.splitlines()[1:])
        _primitives[rtype] = {f[0]: f[1] for f in fields if len(f) >= 2 and f[1] in ZERO}
    return _primitives[rtype]


def sdk_zero_values(v, types, path=""):
    """v with every null primitive attribute its SDK zero value, in blocks too."""
    if isinstance(v, list):
        return [sdk_zero_values(x, types, path) for x in v]
    if not isinstance(v, dict):
        return v
    out = {}
    for k, x in v.items():
        p = path + k
        if x is None and p in types:
            out[k] = ZERO[types[p]]
        elif isinstance(x, (list, dict)) and k != "tags":
            out[k] = sdk_zero_values(x, types, p + ".")
        else:
            out[k] = x
    return out


def sgrule_id(a):
    """Terraform's aws_security_group_rule id: "sgrule-" and the CRC-32 of
    group-, from-, to- (ports above 0), protocol-, type-, then the sorted
    IPv4 / IPv6 ranges, prefix lists and the source group, each with "-"."""
    buf = "%s-" % a["security_group_id"]
    for port in (a.get("from_port"), a.get("to_port")):
        if port and port > 0:
            buf += "%d-" % port
    buf += "%s-%s-" % (a["protocol"], a["type"])
    for k in ("cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"):
        for v in sorted(a.get(k) or []):
            buf += "%s-" % v
    src = a.get("source_security_group_id") or (a["security_group_id"] if a.get("self") else None)
    if src:
        buf += "%s-" % src
    return "sgrule-%d" % zlib.crc32(buf.encode())


def moves():
    out = {}
    for arg in sys.argv[3:]:
        module, addrs = arg.split(":", 1)
        for a in addrs.split(","):
            out[a] = module
    return out


def moved_dep(dep, into):
    base = dep.split("[", 1)[0]
    return "%s.%s" % (into[base], dep) if base in into else dep


def main():
    cp = json.load(open(sys.argv[1]))
    into = moves()
    groups = {}
    n = 0
    for r in cp["resources"]:
        if r.get("status", "ok") != "ok" or r.get("deposed"):
            continue
        mode = r["mode"]
        if r["type"].split("_")[0] in ("random", "local") and mode == "managed":
            provider = 'provider["registry.terraform.io/hashicorp/%s"]' % r["type"].split("_")[0]
        else:
            provider = PROVIDER
        if not r.get("module") and "%s.%s" % (r["type"], r["name"]) in into:
            r["module"] = into["%s.%s" % (r["type"], r["name"])]
        key = (r.get("module", ""), mode, r["type"], r["name"])
        g = groups.setdefault(key, {"mode": mode, "type": r["type"], "name": r["name"],
                                    "provider": provider, "instances": []})
        if r.get("module"):
            g["module"] = r["module"]
        n += 1
        inst = {"schema_version": 0, "attributes": tf_attrs(r["type"], r["attributes"], n),
                "sensitive_attributes": [], "dependencies": [moved_dep(d, into) for d in r.get("dependencies", [])]}
        if "index_key" in r:
            inst["index_key"] = r["index_key"]
        g["instances"].append(inst)
    outputs = {k: {"value": v["value"], "type": "string" if isinstance(v["value"], str) else "dynamic",
                   **({"sensitive": True} if v.get("sensitive") else {})}
               for k, v in cp.get("outputs", {}).items()}
    doc = {"version": 4, "terraform_version": "1.9.8", "serial": 12, "lineage": str(uuid.uuid4()),
           "outputs": outputs, "resources": list(groups.values()), "check_results": None}
    json.dump(doc, open(sys.argv[2], "w"), indent=2)


main()
