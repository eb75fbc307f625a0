"""The weekly cleanup job: deletes reports older than 30 days from the
report job's bucket, then records what it did in its own data bucket."""
import datetime
import os

import boto3

s3 = boto3.client("s3")
cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=30)
report_bucket = os.environ["DATA_BUCKET"].replace("-cleanup-data", "-report-data")
deleted = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=report_bucket, Prefix="reports/"):
    for obj in page.get("Contents", []):
        if obj["LastModified"] < cutoff:
            s3.delete_object(Bucket=report_bucket, Key=obj["Key"])
            deleted.append(obj["Key"])
s3.put_object(
    Bucket=os.environ["DATA_BUCKET"],
    Key=f"cleanup/{datetime.date.today()}.txt",
    Body="\n".join(deleted).encode(),
)
