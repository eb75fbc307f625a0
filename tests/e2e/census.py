"""Counts what the local AWS endpoint holds, per collection, for the crash tests.

  /usr/bin/python3 census.py EMULATOR_URL          prints "service/…/collection COUNT" lines

Reads GET /_emulator/state (the endpoint's own view) and counts the live
resource records of every collection, leaving out what AWS keeps listing
after a delete (leftovers.kept_by_aws, leftovers.KEPT_COLLECTIONS).
crash_recovery.sh compares two censuses: objects a clean run made against
objects a run through kills made (more = a duplicate), and the endpoint
before a stack against after its destroy (more = an orphan).
"""
import json
import os
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import leftovers  # noqa: E402


def census(state):
    counts = {}
    for path, rec in leftovers.records(state):
        if set(path) & leftovers.KEPT_COLLECTIONS or leftovers.kept_by_aws(rec):
            continue
        key = '/'.join(path[:-1])
        counts[key] = counts.get(key, 0) + 1
    return counts


def main(argv):
    if len(argv) != 2:
        sys.exit('usage: census.py EMULATOR_URL')
    with urllib.request.urlopen(argv[1].rstrip('/') + '/_emulator/state', timeout=30) as r:
        state = json.load(r)
    for key, n in sorted(census(state).items()):
        print(key, n)


if __name__ == '__main__':
    main(sys.argv)
