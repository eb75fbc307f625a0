# cronproj: scheduled Python jobs, each run on a throwaway EC2 instance.
# A "home" instance holds the crontab; at each job's time it starts a
# temporary instance that fetches the job's files from the code bucket and
# runs them; when the job writes its result to its data bucket, a Lambda
# function terminates that temporary instance.
# Reference deployment 1 in shared/reference-deployments.md.

locals {
  prefix = "cronproj-${terraform.workspace}"

  tags = {
    Stack  = "cronproj"
    Branch = terraform.workspace
  }

  # One crontab line per job; the home instance installs this file.
  crontab = join("", [
    for name, schedule in var.jobs : "${schedule} /opt/cronproj/run_job.sh ${name} >> /var/log/cronproj-${name}.log 2>&1\n"
  ])
}

data "aws_ami" "amazon_linux" {
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}
