variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
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
