#!/usr/bin/env python3
"""gen_aws_rules.py: write src/providers/aws/rules_generated.c from
src/providers/aws/rules_map.txt and botocore's service models.

Each mapped argument takes the constraints of the API member it becomes:
required, min/max (length of a string, range of a number, items of a list
or map), pattern, enum. Java patterns are translated to POSIX ERE (for
regcomp) or to a character set; those that cannot be translated are left
out and counted. Tag arguments also take AWS's documented tag rules.

Usage: python3 scripts/gen_aws_rules.py [--check] [--stats]
  --check  exit 1 when the committed file differs from what would be written
  --stats  print the number of rules by kind and of untranslated patterns
Runs on any python3 with botocore; the output is committed so the build
needs no Python.
"""
import ctypes
import ctypes.util
import os
import re
import sys

import botocore
import botocore.session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAP = os.path.join(ROOT, "src", "providers", "aws", "rules_map.txt")
OUT = os.path.join(ROOT, "src", "providers", "aws", "rules_generated.c")

# The tag characters AWS documents for S3, IAM, RDS and others: letters,
# digits, whitespace and _ . : / = + - @ (non-ASCII letters pass).
TAG_CHARSET = "+-./0123456789:=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz "

session = botocore.session.get_session()
models = {}
untranslated = []


def model(svc):
    if svc not in models:
        models[svc] = session.get_service_model(svc)
    return models[svc]


class Untranslatable(Exception):
    pass


# --- Java regex -> POSIX ERE or a character set ----------------------------

CLASS_ESC = {
    "d": set("0123456789"),
    "w": set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"),
    "s": set(" \t\n\r\f\v"),
}
# \p classes: their ASCII members, and whether they hold non-ASCII ones.
PROP = {
    "L": set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
    "N": set("0123456789"),
    "Z": set(" "),
    "Print": set(chr(c) for c in range(0x20, 0x7F)),
}
ESC_CHAR = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def parse_escape(p, i):
    """At p[i] == '\\': return (kind, payload, next index). kind: 'char' with
    a code point, 'set' with (ascii set, has_non_ascii)."""
    c = p[i + 1]
    if c == "u":
        return "char", int(p[i + 2:i + 6], 16), i + 6
    if c in CLASS_ESC:
        return "set", (CLASS_ESC[c], False), i + 2
    if c == "p":
        m = re.match(r"\{(\w+)\}", p[i + 2:])
        if not m or m.group(1) not in PROP:
            raise Untranslatable("\\p class")
        name = m.group(1)
        return "set", (PROP[name], name != "Print"), i + 2 + len(m.group(0))
    if c in ESC_CHAR:
        return "char", ord(ESC_CHAR[c]), i + 2
    if c.isalnum():
        raise Untranslatable("escape \\" + c)
    return "char", ord(c), i + 2


def parse_bracket(p, i):
    """p[i] == '['. Returns (ascii set, has_non_ascii, negated, next)."""
    i += 1
    neg = p[i] == "^"
    if neg:
        i += 1
    chars, non_ascii, first = set(), False, True
    while i < len(p) and (p[i] != "]" or first):
        first = False
        if p[i] == "[":
            raise Untranslatable("nested class")
        if p[i] == "\\":
            kind, val, i = parse_escape(p, i)
        else:
            kind, val, i = "char", ord(p[i]), i + 1
        if kind == "set":
            chars |= val[0]
            non_ascii |= val[1]
            continue
        lo = val
        if i + 1 < len(p) and p[i] == "-" and p[i + 1] != "]":
            if p[i + 1] == "\\":
                k2, hi, i = parse_escape(p, i + 1)
                if k2 != "char":
                    raise Untranslatable("range to a class")
            else:
                hi, i = ord(p[i + 1]), i + 2
        else:
            hi = lo
        for cp in range(lo, hi + 1):
            if cp < 0x80:
                chars.add(chr(cp))
            else:
                non_ascii = True
                break
        if hi >= 0x80:
            non_ascii = True
    if i >= len(p):
        raise Untranslatable("unclosed class")
    return chars, non_ascii, neg, i + 1


def compress(cs):
    """Sorted characters with runs of 3+ letters or digits written a-z."""
    out, i = [], 0
    while i < len(cs):
        j = i
        while (j + 1 < len(cs) and ord(cs[j + 1]) == ord(cs[j]) + 1 and cs[i].isalnum()
               and cs[j + 1].isalnum() and cs[i].isdigit() == cs[j + 1].isdigit()
               and cs[i].isupper() == cs[j + 1].isupper()):
            j += 1
        out.append(cs[i] + "-" + cs[j] if j - i >= 2 else "".join(cs[i:j + 1]))
        i = j + 1
    return "".join(out)


def ere_bracket(chars, neg):
    """A POSIX bracket expression for an ASCII set."""
    body = compress(sorted(c for c in chars if c not in "]-^\\"))
    if not chars:
        raise Untranslatable("empty class")
    out = "[" + ("^" if neg else "")
    if "]" in chars:
        out += "]"
    out += body
    if "\\" in chars:
        out += "\\"
    if "^" in chars:
        out += "^"
    if "-" in chars:
        out += "-"
    return out + "]"


def charset_form(p):
    """'^?[CLASS]{quant}$?' (maybe wrapped in one group): the class as
    (ascii set, non-ASCII allowed), or None when the pattern is not so."""
    s = p
    if s.startswith("^"):
        s = s[1:]
    if s.endswith("$") and not s.endswith("\\$"):
        s = s[:-1]
    while s.startswith("(") and s.endswith(")") and "(" not in s[1:-1]:
        s = s[1:-1]
    try:
        if s.startswith("\\p"):
            kind, (chars, non_ascii), i = parse_escape(s, 0)
            neg = False
        elif s.startswith("["):
            chars, non_ascii, neg, i = parse_bracket(s, 0)
        else:
            return None
    except (Untranslatable, IndexError, ValueError):
        return None
    if neg or not re.fullmatch(r"[*+]|\{\d+(,\d*)?\}|", s[i:]):
        return None
    return chars, non_ascii


def to_ere(p):
    """Translate a Java regex to POSIX ERE; raise Untranslatable."""
    out, i = [], 0
    while i < len(p):
        c = p[i]
        if c == "[":
            chars, non_ascii, neg, i = parse_bracket(p, i)
            if non_ascii:
                raise Untranslatable("non-ASCII class")
            out.append(ere_bracket(chars, neg))
            continue
        if c == "\\":
            kind, val, i = parse_escape(p, i)
            if kind == "set":
                if val[1]:
                    raise Untranslatable("non-ASCII class")
                out.append(ere_bracket(val[0], False))
            elif val >= 0x80 or val < 0x20:
                raise Untranslatable("non-printable literal")
            else:
                ch = chr(val)
                out.append("\\" + ch if ch in ".[]()*+?{}|^$\\" else ch)
            continue
        if c == "(" and p[i + 1:i + 2] == "?":
            if p[i + 2:i + 3] == ":":
                out.append("(")
                i += 3
                continue
            raise Untranslatable("lookaround")
        if c in "*+?}" and p[i + 1:i + 2] in ("?", "+"):
            out.append(c)
            i += 2
            if p[i - 1] == "+":
                raise Untranslatable("possessive quantifier")
            continue
        out.append(c)
        i += 1
    return "".join(out)


libc = ctypes.CDLL(ctypes.util.find_library("c"))


def regcomp_ok(ere):
    buf = ctypes.create_string_buffer(256)  # larger than regex_t
    rc = libc.regcomp(buf, ere.encode(), 1 | 4)  # REG_EXTENDED | REG_NOSUB
    if rc == 0:
        libc.regfree(buf)
    return rc == 0


def anchored(java, ere):
    """AWS checks its patterns against the whole value unless the model
    anchors them itself (decided on the Java source)."""
    if java.startswith("^") or (java.endswith("$") and not java.endswith("\\$")):
        return ere
    return "^(" + ere + ")$"


# --- rules -----------------------------------------------------------------

class Rules:
    def __init__(self):
        self.rows = []
        self.covered = []

    def add(self, typ, path, kind, src, lo="0", hi="0", text=None, values=None, flags="0"):
        self.rows.append((typ, path, kind, lo, hi, text, values, src, flags))


def resolve(svc, op, member):
    """The shape at a member path, and whether it is required all the way
    from the operation's input (or the nearest list/map element)."""
    shape = model(svc).operation_model(op).input_shape
    required = True
    for seg in re.findall(r"[^.\[\]{}]+|\[\]|\{key\}|\{value\}", member):
        if seg == "[]":
            shape, required = shape.member, True
        elif seg == "{key}":
            shape, required = shape.key, True
        elif seg == "{value}":
            shape, required = shape.value, True
        else:
            if shape.type_name != "structure" or seg not in shape.members:
                raise SystemExit(f"rules_map.txt: {svc} {op} has no member {member}")
            required = required and seg in shape.required_members
            shape = shape.members[seg]
    return shape, required


def num(v):
    return repr(float(v)) if isinstance(v, float) else str(v)


def shape_rules(R, typ, path, svc, op, member, opts, list_ok=True):
    shape, required = resolve(svc, op, member)
    src = f"{svc} {op} {member}"
    m, t = shape.metadata, shape.type_name
    if required and "norequired" not in opts and not path.endswith(("[]", "}")):
        R.add(typ, path, "CP_AWS_RULE_REQUIRED", src)
    has_min, has_max = "min" in m, "max" in m
    if t == "string" and (has_min or has_max):
        R.add(typ, path, "CP_AWS_RULE_LENGTH", src, num(m.get("min", 0)), num(m.get("max", -1)))
    if t in ("integer", "long", "float", "double"):
        whole = t in ("integer", "long")
        if has_min or has_max or whole:
            R.add(typ, path, "CP_AWS_RULE_RANGE", src, num(m.get("min", "-1e300")),
                  num(m.get("max", "1e300")), flags="CP_AWS_RULE_WHOLE" if whole else "0")
    if t in ("list", "map") and (has_min or has_max) and list_ok:
        R.add(typ, path, "CP_AWS_RULE_ITEMS", src, num(m.get("min", 0)), num(m.get("max", -1)))
    if t == "string" and getattr(shape, "enum", None) and "noenum" not in opts:
        R.add(typ, path, "CP_AWS_RULE_ENUM", src, values=list(shape.enum))
    if t == "string" and "pattern" in m:
        pattern_rules(R, typ, path, src, m["pattern"])
    if path.endswith("[]") and member.endswith("[]"):
        shape_rules(R, typ, path[:-2], svc, op, member[:-2], opts)


def pattern_rules(R, typ, path, src, p):
    body = p
    if body.startswith("^(?!aws:)"):
        R.add(typ, path, "CP_AWS_RULE_NO_PREFIX", src, text="aws:")
        body = "^" + body[len("^(?!aws:)"):]
    cs = charset_form(body)
    if cs:
        chars, non_ascii = cs
        R.add(typ, path, "CP_AWS_RULE_CHARSET", src, text="".join(sorted(chars)), values=[p],
              flags="CP_AWS_RULE_NON_ASCII_OK" if non_ascii else "0")
        return
    try:
        ere = anchored(body, to_ere(body))
        if not regcomp_ok(ere):
            raise Untranslatable("regcomp refused")
    except (Untranslatable, IndexError, ValueError) as e:
        untranslated.append((typ, path, p, str(e)))
        return
    ascii_only = "." not in ere.replace("\\.", "") and "[^" not in ere
    R.add(typ, path, "CP_AWS_RULE_PATTERN", src, text=ere, values=[p],
          flags="CP_AWS_RULE_ASCII_SAFE" if ascii_only else "0")


def tag_rules(R, typ, attr, svc, op, container, key, value, opts):
    """A map argument sent as key/value pairs; with tags, AWS's tag rules."""
    sep = "" if container.endswith("}") or "{" in key else "[]."
    kpath = container + (key if key.startswith("{") else sep + key)
    vpath = container + (value if value.startswith("{") else sep + value)
    shape_rules(R, typ, attr, svc, op, container, opts)
    shape_rules(R, typ, attr + "{key}", svc, op, kpath, opts)
    shape_rules(R, typ, attr + "{value}", svc, op, vpath, opts)
    R.rows = [r for r in R.rows if not (r[0] == typ and r[2] == "CP_AWS_RULE_REQUIRED" and
                                        (r[1] == attr or r[1].startswith(attr + "{")))]
    if opts.get("kind") != "tags":
        return
    doc = f"{svc} tags"
    if "percall" in opts:  # the model's count limits one call; the type sends batches
        R.rows = [r for r in R.rows if not (r[0] == typ and r[1] == attr and
                                            r[2] == "CP_AWS_RULE_ITEMS")]
    kinds = {(r[1], r[2]) for r in R.rows if r[0] == typ}
    if (attr + "{key}", "CP_AWS_RULE_LENGTH") not in kinds:
        R.add(typ, attr + "{key}", "CP_AWS_RULE_LENGTH", doc, "1", "128")
    if (attr + "{value}", "CP_AWS_RULE_LENGTH") not in kinds:
        R.add(typ, attr + "{value}", "CP_AWS_RULE_LENGTH", doc, "0", "256")
    if (attr + "{key}", "CP_AWS_RULE_NO_PREFIX") not in kinds:
        R.add(typ, attr + "{key}", "CP_AWS_RULE_NO_PREFIX", doc, text="aws:")
    if "max" in opts and (attr, "CP_AWS_RULE_ITEMS") not in kinds:
        R.add(typ, attr, "CP_AWS_RULE_ITEMS", doc, "0", opts["max"])
    if "charset" in opts:
        for p in (attr + "{key}", attr + "{value}"):
            if (p, "CP_AWS_RULE_CHARSET") not in kinds:
                R.add(typ, p, "CP_AWS_RULE_CHARSET", doc, text=TAG_CHARSET,
                      values=["letters, digits, whitespace and _ . : / = + - @"],
                      flags="CP_AWS_RULE_NON_ASCII_OK")


def parse_opts(words):
    opts = {}
    for w in words:
        k, _, v = w.partition("=")
        opts[k] = v
    return opts


def build():
    R = Rules()
    with open(MAP) as f:
        for n, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            w = line.split()
            # data sources: data.TYPE.PATH (their rules apply to the data source only)
            kind, name = ("data.", w[0][5:]) if w[0].startswith("data.") else ("", w[0])
            typ, _, path = name.partition(".")
            typ = kind + typ
            R.covered.append(w[0])
            if w[1] == "local":
                continue
            if w[1] in ("tags", "map"):
                opts = parse_opts(w[7:])
                opts["kind"] = w[1]
                tag_rules(R, typ, path, w[2], w[3], w[4], w[5], w[6], opts)
            else:
                shape_rules(R, typ, path, w[1], w[2], w[3], parse_opts(w[4:]))
    return R


# --- C output --------------------------------------------------------------

def c_str(s):
    if s is None:
        return "NULL"
    out = []
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) > 0x7E:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def render(R):
    o = []
    o.append("/*\n * rules_generated.c: AWS's input rules for every argument a provider sends,\n"
             " * from botocore " + botocore.__version__ + "'s service models and rules_map.txt.\n"
             " * GENERATED by scripts/gen_aws_rules.py: do not edit; re-run it after\n"
             " * changing rules_map.txt (tests check the file is current).\n */\n")
    o.append('#include "providers/aws/rules.h"\n\n#include <stddef.h>\n\n')
    o.append("/* One rule a line, as the generator writes it. */\n/* clang-format off */\n")
    enums = {}
    for r in R.rows:
        vals = r[6]
        if vals and r[2] == "CP_AWS_RULE_ENUM":
            key = tuple(vals)
            if key not in enums:
                enums[key] = f"enum_{len(enums)}"
                o.append(f"static const char *const {enums[key]}[] = {{\n")
                for v in vals:
                    o.append(f"    {c_str(v)},\n")
                o.append("    NULL,\n};\n")
    o.append("\nconst cp_aws_rule cp_aws_rules[] = {\n")
    for typ, path, kind, lo, hi, text, vals, src, flags in R.rows:
        ev = enums[tuple(vals)] if vals and kind == "CP_AWS_RULE_ENUM" else "NULL"
        shown = c_str(vals[0]) if vals and kind != "CP_AWS_RULE_ENUM" else "NULL"
        o.append(f"    {{ {c_str(typ)}, {c_str(path)}, {kind}, {lo}, {hi}, {flags}, {c_str(text)}, "
                 f"{ev}, {shown}, {c_str(src)} }},\n")
    o.append("    { NULL, NULL, CP_AWS_RULE_REQUIRED, 0, 0, 0, NULL, NULL, NULL, NULL },\n};\n\n")
    o.append("/* Every argument rules_map.txt names (sent or local), for the coverage test. */\n")
    o.append("const char *const cp_aws_rules_covered[] = {\n")
    for c in R.covered:
        o.append(f"    {c_str(c)},\n")
    o.append("    NULL,\n};\n\n")
    o.append("/* clang-format on */\n\n")
    o.append(f"/* Patterns botocore has for mapped members that could not be translated\n"
             f" * to POSIX ERE and so are not checked. */\nconst int cp_aws_rules_untranslated = "
             f"{len(untranslated)};\n")
    return "".join(o)


def main():
    R = build()
    text = render(R)
    if "--stats" in sys.argv:
        counts = {}
        for r in R.rows:
            counts[r[2]] = counts.get(r[2], 0) + 1
        for k in sorted(counts):
            print(f"{k[len('CP_AWS_RULE_'):].lower():10} {counts[k]}")
        print(f"total      {len(R.rows)}")
        print(f"untranslated patterns {len(untranslated)}")
        for u in untranslated:
            print("  ", *u)
    if "--check" in sys.argv:
        with open(OUT) as f:
            if f.read() != text:
                print("rules_generated.c is out of date: run python3 scripts/gen_aws_rules.py")
                return 1
        print("rules_generated.c is current (botocore " + botocore.__version__ + ")")
        return 0
    if "--stats" not in sys.argv:
        with open(OUT, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
