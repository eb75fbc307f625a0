# webserver: one public Apache web server on a nano Amazon Linux instance,
# a public S3 bucket holding the home page's image, and a CloudWatch alarm
# that stops (or terminates) the instance once it has been idle for an hour.
# Reference deployment 3 in shared/reference-deployments.md.
stack "webserver" {
  region = "eu-west-1"
}

variable "instance_type" {
  type        = string
  default     = "t3.nano"
  description = "EC2 instance type of the web server."
}

variable "ssh_public_key" {
  type        = string
  default     = ""
  description = "OpenSSH public key allowed to log in as ec2-user; empty means no key pair."
}

variable "ssh_cidr" {
  type        = string
  default     = "0.0.0.0/0"
  description = "Addresses allowed to reach port 22."
}

variable "site_title" {
  type        = string
  default     = "Hello from cpstack"
  description = "Heading of the home page."
}

variable "idle_action" {
  type        = string
  default     = "stop"
  description = "What the idle alarm does to the instance: stop or terminate."

  validation {
    condition     = contains(["stop", "terminate"], var.idle_action)
    error_message = "idle_action must be \"stop\" or \"terminate\"."
  }
}

variable "idle_cpu_percent" {
  type        = number
  default     = 1
  description = "Average CPU (percent) under which the instance counts as idle."
}

locals {
  prefix    = "webserver-${stack.branch}"
  image_key = "images/logo.png"
  image_url = "https://${aws_s3_bucket.images.bucket_regional_domain_name}/${local.image_key}"

  tags = {
    Stack  = stack.name
    Branch = stack.branch
  }
}

data "aws_ami" "amazon_linux" {
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}
