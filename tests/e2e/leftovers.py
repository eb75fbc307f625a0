"""Lists what the local AWS endpoint still holds for one deployment.

  /usr/bin/python3 leftovers.py EMULATOR_URL TOKEN [TOKEN...]   prints "TOKEN COUNT" lines
  /usr/bin/python3 leftovers.py EMULATOR_URL --list TOKEN        prints the matching records
  /usr/bin/python3 leftovers.py EMULATOR_URL --secrets           prints every IAM secret key

Reads GET /_emulator/state (the endpoint's own view, not cpstack's) and
counts the resource records whose JSON mentions TOKEN (a branch-specific
name part such as "cronproj-e2e-one"). Things AWS itself keeps visible
after a delete are not counted (tests/emulator/README.md): terminated
instances, deleted NAT gateways, INACTIVE ECS objects, RDS snapshots, the
default VPC and its parts, the seeded AMIs, idempotency tokens and STS
sessions. Used by stack_cycle.sh to prove a destroy left nothing behind.
"""
import json
import sys
import urllib.request

KEPT_COLLECTIONS = {'images', 'client_tokens', 'sessions', 'snapshots', 'aws_policies'}


def kept_by_aws(rec):
    """True for a record AWS keeps listing after it was deleted."""
    if not isinstance(rec, dict):
        return False
    state = rec.get('State')
    if isinstance(state, dict) and state.get('Name') == 'terminated':
        return True
    if state == 'deleted':
        return True
    if rec.get('status') == 'INACTIVE' or rec.get('Status') == 'INACTIVE':
        return True
    return bool(rec.get('IsDefault') or rec.get('DefaultForAz') or rec.get('_default'))


def records(node, path=()):
    """Yields (path, record) for every resource record of the state dump:
    state[service][region][collection][id] or state[service][collection][id]."""
    if len(path) >= 2 and isinstance(node, dict) and all(isinstance(v, dict) for v in node.values()) \
            and path[-1] not in ('Tags',) and (len(path) == 3 or path[0] in GLOBAL_SERVICES):
        for key, rec in node.items():
            yield path + (key,), rec
        return
    if isinstance(node, dict):
        for key, value in node.items():
            yield from records(value, path + (key,))


GLOBAL_SERVICES = {'iam', 's3', 'sts'}


def leftovers(state, token):
    found = []
    for path, rec in records(state):
        if set(path) & KEPT_COLLECTIONS or kept_by_aws(rec):
            continue
        if token in path[-1] or token in json.dumps(rec):
            found.append('/'.join(path))
    return found


def secrets(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ('_secret', 'SecretAccessKey') and isinstance(value, str):
                yield value
            else:
                yield from secrets(value)
    elif isinstance(node, list):
        for value in node:
            yield from secrets(value)


def main(argv):
    if len(argv) < 3:
        sys.exit('usage: leftovers.py EMULATOR_URL [--list|--secrets] [TOKEN...]')
    with urllib.request.urlopen(argv[1].rstrip('/') + '/_emulator/state', timeout=30) as r:
        state = json.load(r)
    if argv[2] == '--secrets':
        for s in sorted(set(secrets(state))):
            print(s)
    elif argv[2] == '--list':
        for token in argv[3:]:
            for p in leftovers(state, token):
                print(p)
    else:
        for token in argv[2:]:
            print(token, len(leftovers(state, token)))


if __name__ == '__main__':
    main(sys.argv)
