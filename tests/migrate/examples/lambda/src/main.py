"""The example function: logs each uploaded object and greets it."""
import os


def handler(event, context):
    for record in event.get("Records", []):
        key = record["s3"]["object"]["key"]
        print(f"{os.environ['GREETING']}, {key}")
    return {"ok": True}
