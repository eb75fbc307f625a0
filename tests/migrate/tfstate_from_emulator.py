#!/usr/bin/env python3
"""tfstate_from_emulator.py CPSTATE TFSTATE [MODULE:ADDR,ADDR...]: a Terraform state (format 4)
describing the objects a cpstack apply made on the emulator, as Terraform's
AWS provider would record them: the real ids and attributes, Terraform's
made-up ids where it makes them up (policy attachments: "<role>-<timestamp>";
aws_db_instance: the resource id "db-…"), "tags_all" beside "tags" and the
provider address every object carries. Used by migrate_cycle.sh to test
`cpstack migrate terraform` with a state produced by applying through the
emulator. MODULE:ADDR,… puts those root resources (e.g. aws_vpc.main) under
the module (module.network), where the Terraform version declares them."""
import json
import sys
import uuid

PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]'


def tf_attrs(rtype, attrs, n):
    a = dict(attrs)
    if rtype in ("aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment"):
        owner = a.get("role") or a.get("user")
        a["id"] = "%s-2026120317%08d" % (owner, n)  # Terraform's PrefixedUniqueId
    if rtype == "aws_db_instance":
        a["id"] = a.get("resource_id") or "db-%s" % uuid.uuid4().hex[:26].upper()
    if isinstance(a.get("tags"), dict):
        a["tags_all"] = dict(a["tags"])
    return a


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
