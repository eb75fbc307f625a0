"""Input constraints from botocore's service models, checked on every request.

AWS's front end (Coral) rejects a request whose parameters break the
constraints its model declares, before any service logic runs.  This module
walks a parsed request (the dict protocol.py builds, keyed by member names)
against the operation's input shape, recursively through structures, lists
and maps, and reports every broken constraint:

  * string:  min / max length, pattern (a Java regex), enum
  * blob:    min / max length in bytes
  * list:    min / max number of items        map: min / max entries
  * integer, long, float, double: min / max value

Required members are checked by protocol.validation_error (they have their
own error codes); this module only sees values that are present.

Patterns are Java regexes matched against the whole value, as Java's
String.matches does (\\w, \\d and \\s are ASCII-only there, so here too).
java_regex() translates what Python's `re` cannot take (\\p{L}-style
classes, surrogate pairs, \\z, \\Q..\\E, named groups); a pattern it still
cannot compile is skipped and counted (SKIPPED_PATTERNS), never guessed at.

Enums come from botocore 1.29's models, older than AWS: ENUM_ADDITIONS lists
the values AWS has accepted since (newer Lambda runtimes, EC2 instance
types), so the emulator is never stricter than AWS on them.
"""

import functools
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SKIPPED_PATTERNS = set()

with open(os.path.join(HERE, 'enum_additions.json')) as _f:
    ENUM_ADDITIONS = {k: set(v) for k, v in json.load(_f).items() if not k.startswith('_')}


# ---------------------------------------------------------------- Java regex

_POSIX = {'Lower': 'a-z', 'Upper': 'A-Z', 'ASCII': '\\x00-\\x7F', 'Alpha': 'a-zA-Z',
          'Digit': '0-9', 'Alnum': 'a-zA-Z0-9', 'Punct': '!-/:-@\\[-`{-~',
          'Graph': '!-~', 'Print': ' -~', 'Blank': ' \\t', 'Cntrl': '\\x00-\\x1F\\x7F',
          'XDigit': '0-9a-fA-F', 'Space': ' \\t\\n\\x0B\\f\\r'}
_CATEGORY_ALIASES = {'IsAlphabetic': 'L', 'IsLetter': 'L', 'IsDigit': 'Nd', 'L&': 'LC',
                     'IsWhite_Space': 'Z', 'javaLowerCase': 'Ll', 'javaUpperCase': 'Lu'}


def _escape_cp(cp):
    return '\\U%08x' % cp


@functools.lru_cache(maxsize=None)
def _unicode_ranges():
    """{two-letter general category: [(first, last) code point ranges]}, one pass."""
    found = {}
    prev_cat, start = None, 0
    for cp in range(sys.maxunicode + 2):
        cat = unicodedata.category(chr(cp)) if cp <= sys.maxunicode else None
        if cat != prev_cat:
            if prev_cat is not None:
                found.setdefault(prev_cat, []).append((start, cp - 1))
            prev_cat, start = cat, cp
    return found


@functools.lru_cache(maxsize=None)
def _category_ranges(cat):
    """Class body (no brackets) of every code point in a Unicode general
    category ('L', 'Lu', 'Z' ...) or POSIX class, or None if unknown."""
    if cat in _POSIX:
        return _POSIX[cat]
    cat = _CATEGORY_ALIASES.get(cat, cat)
    if cat.startswith('Is'):
        cat = cat[2:]
    table = _unicode_ranges()
    if cat == 'LC':
        cats = ['Lu', 'Ll', 'Lt']
    else:
        cats = [c for c in table if c == cat or (len(cat) == 1 and c[0] == cat)]
    if not cats:
        return None
    ranges = sorted(r for c in cats for r in table[c])
    merged = []
    for a, b in ranges:
        if merged and a == merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return ''.join(_escape_cp(a) if a == b else '%s-%s' % (_escape_cp(a), _escape_cp(b))
                   for a, b in merged)


def _surrogate_pairs(pattern):
    r"""Java matches code points: \uD800\uDC00 is U+10000.  Python strings are
    code points already, so fold escaped surrogate pairs into one."""
    def fold(m):
        hi, lo = int(m.group(1), 16), int(m.group(2), 16)
        return _escape_cp(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
    return re.sub(r'\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})', fold, pattern,
                  flags=re.IGNORECASE)


def _translate(pattern):
    """Java regex source -> Python regex source (raises ValueError if it cannot)."""
    pattern = _surrogate_pairs(pattern)
    out, i, in_class = [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == '\\' and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if nxt in 'pP' and i + 2 < len(pattern):
                if pattern[i + 2] == '{':
                    end = pattern.index('}', i)
                    name = pattern[i + 3:end]
                else:
                    end, name = i + 2, pattern[i + 2]
                if name.startswith('Is') and name[2:] in _POSIX:
                    name = name[2:]
                body = _category_ranges(name)
                if body is None:
                    raise ValueError('unknown class \\p{%s}' % name)
                if in_class:
                    if nxt == 'P':
                        raise ValueError('\\P{..} inside a class')
                    out.append(body)
                else:
                    out.append('[%s%s]' % ('^' if nxt == 'P' else '', body))
                i = end + 1
                continue
            if nxt == 'Q':
                end = pattern.find('\\E', i + 2)
                end = len(pattern) if end < 0 else end
                out.append(re.escape(pattern[i + 2:end]))
                i = end + 2
                continue
            if nxt == 'z':
                out.append('\\Z')
                i += 2
                continue
            if nxt in 'hHRXGEk':
                raise ValueError('\\%s has no Python equivalent' % nxt)
            out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if c == '[' or pattern.startswith('&&', i):
                raise ValueError('class union or intersection')
            if c == ']' and not (out and out[-1] in ('[', '[^')):
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == '[':
            in_class = True
            if pattern.startswith('[^', i):
                out.append('[^')
                i += 2
            else:
                out.append('[')
                i += 1
            if i < len(pattern) and pattern[i] == ']':   # a leading ] is literal in Java too
                out.append('\\]')
                i += 1
            continue
        if pattern.startswith('(?<', i) and i + 3 < len(pattern) and \
                pattern[i + 3] not in '=!':
            out.append('(?P<')
            i += 3
            continue
        out.append(c)
        i += 1
    return ''.join(out)


@functools.lru_cache(maxsize=None)
def java_regex(pattern):
    """Compiled Python equivalent of a Java regex, or None (counted) if none."""
    try:
        return re.compile(_translate(pattern), re.ASCII)   # Java's \w \d \s are ASCII
    except (ValueError, re.error):
        SKIPPED_PATTERNS.add(pattern)
        return None


# ---------------------------------------------------------------- checking

class Violation:
    """One broken constraint: where (member path), the value, and the rule.
    A path is a list of member names, ('item', n) for the n-th (1-based) list
    item and ('key', k) for a map entry."""

    def __init__(self, path, value, rule, shape, kind):
        self.path = path
        self.value = value
        self.rule = rule
        self.shape = shape
        self.kind = kind      # length, range, pattern, enum


def java_text(value):
    """A value as Coral prints it in messages (Java's toString)."""
    if isinstance(value, bytes):
        return 'java.nio.HeapByteBuffer[pos=0 lim=%d cap=%d]' % (len(value), len(value))
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, list):
        return '[%s]' % ', '.join(java_text(v) for v in value)
    if isinstance(value, dict):
        return '{%s}' % ', '.join('%s=%s' % (k, java_text(v)) for k, v in value.items())
    if isinstance(value, float) and value == int(value):
        return str(value)
    return str(value)


def _bound(v):
    return int(v) if float(v) == int(float(v)) else v


def _enum_values(shape):
    extra = ENUM_ADDITIONS.get(shape.name, ())
    return list(shape.enum) + sorted(set(extra) - set(shape.enum))


def scalar_rules(shape, value):
    """[(kind, rule text)] broken by one scalar value."""
    meta = shape.metadata
    t = shape.type_name
    broken = []
    if t in ('string', 'blob'):
        if not isinstance(value, (str, bytes)):
            return broken
        n = len(value)
        if 'max' in meta and n > meta['max']:
            broken.append(('length', 'Member must have length less than or equal to %s'
                           % _bound(meta['max'])))
        if 'min' in meta and n < meta['min']:
            broken.append(('length', 'Member must have length greater than or equal to %s'
                           % _bound(meta['min'])))
        if t == 'string' and 'pattern' in meta:
            rx = java_regex(meta['pattern'])
            if rx is not None and rx.fullmatch(value) is None:
                broken.append(('pattern', 'Member must satisfy regular expression pattern: %s'
                               % meta['pattern']))
        if t == 'string' and shape.enum and value not in shape.enum and \
                value not in ENUM_ADDITIONS.get(shape.name, ()):
            broken.append(('enum', 'Member must satisfy enum value set: [%s]'
                           % ', '.join(_enum_values(shape))))
    elif t in ('integer', 'long', 'float', 'double'):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return broken
        if 'max' in meta and value > meta['max']:
            broken.append(('range', 'Member must have value less than or equal to %s'
                           % _bound(meta['max'])))
        if 'min' in meta and value < meta['min']:
            broken.append(('range', 'Member must have value greater than or equal to %s'
                           % _bound(meta['min'])))
    return broken


def _size_rules(shape, value):
    meta = shape.metadata
    n = len(value)
    broken = []
    if 'max' in meta and n > meta['max']:
        broken.append(('length', 'Member must have length less than or equal to %s'
                       % _bound(meta['max'])))
    if 'min' in meta and n < meta['min']:
        broken.append(('length', 'Member must have length greater than or equal to %s'
                       % _bound(meta['min'])))
    return broken


def _is_scalar(shape):
    return shape.type_name not in ('structure', 'list', 'map')


def _collection_member(holder, shape, items, path, out, label):
    """Scalar members of a list/map: Coral reports them on the collection,
    'Member must satisfy constraint: [...]'."""
    rules, kinds = [], []
    for item in items:
        for kind, rule in scalar_rules(shape, item):
            if rule not in rules:
                rules.append(rule)
                kinds.append(kind)
    if rules:
        out.append(Violation(path, holder, '%s must satisfy constraint: [%s]'
                             % (label, ', '.join(rules)), shape, kinds[0]))


def check(shape, value, path, out):
    """Append a Violation to out for every constraint value breaks."""
    if value is None:
        return
    t = shape.type_name
    if t == 'structure':
        if shape.is_document_type or not isinstance(value, dict):
            return
        for name, member in shape.members.items():
            if value.get(name) is not None:
                check(member, value[name], path + [name], out)
        return
    if t == 'list':
        if not isinstance(value, list):
            return
        for kind, rule in _size_rules(shape, value):
            out.append(Violation(path, value, rule, shape, kind))
        if _is_scalar(shape.member):
            _collection_member(value, shape.member, [v for v in value if v is not None],
                               path, out, 'Member')
        else:
            for i, item in enumerate(value):
                check(shape.member, item, path + [('item', i + 1)], out)
        return
    if t == 'map':
        if not isinstance(value, dict):
            return
        for kind, rule in _size_rules(shape, value):
            out.append(Violation(path, value, rule, shape, kind))
        _collection_member(value, shape.key, list(value), path, out, 'Map keys')
        if _is_scalar(shape.value):
            _collection_member(value, shape.value, [v for v in value.values()
                                                    if v is not None], path, out, 'Map value')
        else:
            for k, item in value.items():
                check(shape.value, item, path + [('key', k)], out)
        return
    for kind, rule in scalar_rules(shape, value):
        out.append(Violation(path, value, rule, shape, kind))


def coral_name(path):
    """How AWS (Coral) names a member in a validation message: roleName,
    tags.1.member.key."""
    parts = []
    for p in path:
        if isinstance(p, tuple):
            parts.append('%d.member' % p[1] if p[0] == 'item' else str(p[1]))
        else:
            parts.append(p[:1].lower() + p[1:])
    return '.'.join(parts)


def wire_name(shape, path, name_of):
    """The wire name of a member path: name_of(member shape, member name)
    gives one member's name; list items are numbered, map keys kept."""
    parts = []
    for p in path:
        if isinstance(p, tuple):
            parts.append(str(p[1]))
            shape = shape.member if p[0] == 'item' else shape.value
        else:
            shape = shape.members[p]
            parts.append(name_of(shape, p))
    return '.'.join(parts)


def violations(op, params):
    """Every constraint the parsed input of an operation breaks, in member order."""
    out = []
    if op.input_shape is not None:
        check(op.input_shape, params, [], out)
    return out


# ---------------------------------------------------------------- counting

def count_constraints(shape, stack=()):
    """{kind: n} of the constraints reachable from a shape (each member path
    once; recursion stops at a shape already on the path)."""
    counts = {}

    def add(kind, n=1):
        counts[kind] = counts.get(kind, 0) + n

    def walk(s, stack):
        if s.name in stack:
            return
        meta = s.metadata
        t = s.type_name
        if t in ('string', 'blob', 'list', 'map'):
            add('length', ('min' in meta) + ('max' in meta))
        if t in ('integer', 'long', 'float', 'double'):
            add('range', ('min' in meta) + ('max' in meta))
        if t == 'string' and 'pattern' in meta:
            add('pattern' if java_regex(meta['pattern']) is not None else 'pattern_skipped')
        if t == 'string' and s.enum:
            add('enum')
        stack = stack + (s.name,)
        if t == 'structure' and not s.is_document_type:
            add('required', len(s.required_members))
            for m in s.members.values():
                walk(m, stack)
        elif t == 'list':
            walk(s.member, stack)
        elif t == 'map':
            walk(s.key, stack)
            walk(s.value, stack)

    walk(shape, stack)
    return {k: v for k, v in counts.items() if v}


def summary(services):
    """What the emulator checks: operations served and constraints on their input."""
    total, per_service, ops = {}, {}, 0
    for name, handler in sorted(services.items()):
        svc = {}
        for op_name in handler.operations():
            op = handler.service_model.operation_model(op_name)
            ops += 1
            if op.input_shape is None:
                continue
            for k, v in count_constraints(op.input_shape).items():
                svc[k] = svc.get(k, 0) + v
                total[k] = total.get(k, 0) + v
        per_service[name] = svc
    return {'operations': ops, 'constraints': total,
            'checked': sum(v for k, v in total.items() if k != 'pattern_skipped'),
            'per_service': per_service, 'skipped_patterns': sorted(SKIPPED_PATTERNS)}
