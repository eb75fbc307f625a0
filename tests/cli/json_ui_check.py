#!/usr/bin/env python3
"""json_ui_check.py SCHEMA FILE [SECRET...]: every line of FILE (the output
of a `cpstack ... -json` run) must be one JSON object valid against SCHEMA
(docs/json-ui.schema.json), and no SECRET may appear anywhere in FILE.
Prints the types seen, one line, and exits 1 naming the first bad line.
Without the jsonschema module it checks the common fields by hand."""
import json
import sys


def main():
    schema = json.load(open(sys.argv[1]))
    text = open(sys.argv[2]).read()
    for secret in sys.argv[3:]:
        if secret in text:
            print(f"secret {secret!r} appears in the stream")
            return 1
    try:
        import jsonschema
        check = jsonschema.Draft202012Validator(schema).validate
    except ImportError:
        def check(obj):
            for k in schema["required"]:
                if k not in obj:
                    raise ValueError(f"no {k}")
            if obj["type"] not in schema["properties"]["type"]["enum"]:
                raise ValueError(f"unknown type {obj['type']}")
    seen = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            obj = json.loads(line)
            check(obj)
        except Exception as e:  # one line: where and why
            msg = str(e).splitlines()[0]
            print(f"line {n}: {msg}: {line[:200]}")
            return 1
        seen.append(obj["type"])
    print(" ".join(sorted(set(seen))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
