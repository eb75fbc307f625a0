# cronproj: scheduled Python jobs, each run on a throwaway EC2 instance.
# A "home" instance holds the crontab; at each job's time it starts a
# temporary instance that fetches the job's files from the code bucket and
# runs them; when the job writes its result to its data bucket, a Lambda
# function terminates that temporary instance.
# Reference deployment 1 in shared/reference-deployments.md.
stack "cronproj" {
  region = "eu-west-1"
}

variable "jobs" {
  type = map(string)
  default = {
    report  = "0 6 * * *"
    cleanup = "30 2 * * 0"
  }
  description = "Job name => cron schedule (UTC). Each job needs a folder jobs/<name>/ holding its job.py."
}

variable "home_instance_type" {
  type        = string
  default     = "t3.nano"
  description = "Instance type of the home instance that runs cron."
}

variable "job_instance_type" {
  type        = string
  default     = "t3.small"
  description = "Instance type of the temporary instances that run the jobs."
}

variable "cron_timezone" {
  type        = string
  default     = "UTC"
  description = "Time zone of the home instance (and so of the schedules)."
}

variable "ssh_cidr" {
  type        = string
  default     = "0.0.0.0/0"
  description = "Addresses allowed to reach port 22 of the instances."
}

variable "user_managed_policy_arns" {
  type        = list(string)
  default     = ["arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess"]
  description = "AWS-managed policies attached to the IAM user, by ARN."
}

variable "role_managed_policy_arns" {
  type = list(string)
  default = [
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
  ]
  description = "AWS-managed policies attached to the job instances' role, by ARN."
}

variable "terminator_timeout" {
  type        = number
  default     = 30
  description = "Timeout (seconds) of the Lambda functions that terminate finished job instances."
}

locals {
  prefix = "cronproj-${stack.branch}"

  tags = {
    Stack  = stack.name
    Branch = stack.branch
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
