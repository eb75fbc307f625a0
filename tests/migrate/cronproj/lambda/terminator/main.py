"""Terminates a cronproj job's temporary instance once the job has put its
result into its data bucket (an S3 ObjectCreated notification). The id of
the instance is in the instance bucket, under the job's name."""
import os

import boto3

s3 = boto3.client("s3")
ec2 = boto3.client("ec2")


def handler(event, context):
    job = os.environ["JOB"]
    bucket = os.environ["INSTANCE_BUCKET"]
    try:
        body = s3.get_object(Bucket=bucket, Key=job)["Body"].read()
    except s3.exceptions.NoSuchKey:
        print(f"{job}: no instance recorded, nothing to terminate")
        return {"terminated": None}
    instance_id = body.decode().strip()
    ec2.terminate_instances(InstanceIds=[instance_id])
    s3.delete_object(Bucket=bucket, Key=job)
    print(f"{job}: terminated {instance_id}")
    return {"terminated": instance_id}
