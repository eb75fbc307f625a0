"""The daily report job: writes a small summary into the job's data bucket
(which also tells the terminator Lambda that this instance is done)."""
import datetime
import json
import os

import boto3

now = datetime.datetime.now(datetime.timezone.utc)
report = {"job": os.environ["JOB"], "generated_at": now.isoformat()}
boto3.client("s3").put_object(
    Bucket=os.environ["DATA_BUCKET"],
    Key=f"reports/{now:%Y-%m-%d}.json",
    Body=json.dumps(report).encode(),
)
