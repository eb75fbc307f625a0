#!/bin/bash
# Run by cron on the home instance: starts a temporary instance for one job.
# That instance fetches jobs/<job>/job.py from the code bucket, runs it with
# DATA_BUCKET set, and the job's put into its data bucket triggers the
# terminator Lambda, which terminates the instance recorded here.
#   run_job.sh JOB
set -euo pipefail
job=${1:?usage: run_job.sh JOB}
. /opt/cronproj/env
data_bucket=$(aws s3api list-buckets --query "Buckets[?ends_with(Name, '-$job-data')].Name | [0]" --output text)
boot=$(cat <<BOOT
#!/bin/bash
set -e
dnf -y install python3-boto3
aws s3 cp s3://$CODE_BUCKET/jobs/$job/job.py /opt/job.py
DATA_BUCKET=$data_bucket JOB=$job python3 /opt/job.py
BOOT
)
id=$(aws ec2 run-instances --image-id "$JOB_AMI" --instance-type "$JOB_INSTANCE_TYPE" \
    --iam-instance-profile "Name=$JOB_PROFILE" --security-group-ids "$SECURITY_GROUP_ID" \
    --instance-initiated-shutdown-behavior terminate --user-data "$boot" \
    --tag-specifications "ResourceType=instance,Tags=[{Key=Name,Value=cronproj-$job}]" \
    --query 'Instances[0].InstanceId' --output text)
printf '%s' "$id" | aws s3 cp - "s3://$INSTANCE_BUCKET/$job"
echo "$(date -u +%FT%TZ) started $id for $job"
