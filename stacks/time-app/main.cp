# time-app: a small Flask service answering the current UTC time on /now,
# one Fargate container behind an application load balancer in a VPC with
# three subnets. Every name carries the branch.
# Reference deployment 5 in shared/reference-deployments.md.
stack "time-app" {
  region = "eu-west-1"
}

variable "image" {
  type        = string
  description = "Repository of the time app's image, built from app/ and pushed outside cpstack (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/time-app)."
}

variable "image_tag" {
  type        = string
  default     = "latest"
  description = "Tag of var.image to run; a new tag registers a new task definition revision."
}

variable "container_port" {
  type        = number
  default     = 8080
  description = "Port the Flask app listens on inside the container."
}

variable "desired_count" {
  type        = number
  default     = 1
  description = "How many copies of the task the service keeps running."
}

variable "task_cpu" {
  type        = number
  default     = 256
  description = "Fargate task CPU units (256 = 0.25 vCPU)."
}

variable "task_memory" {
  type        = number
  default     = 512
  description = "Fargate task memory in MiB."
}

variable "vpc_cidr" {
  type        = string
  default     = "10.30.0.0/16"
  description = "Address range of the VPC; the three subnets are its first three /24s."
}

locals {
  prefix = "time-app-${stack.branch}"
  # Load balancer and target group names may hold at most 32 characters.
  short = length(local.prefix) <= 28 ? local.prefix : "${substr(local.prefix, 0, 21)}-${substr(sha256(local.prefix), 0, 6)}"

  container_name = "time-app"
  # Three subnets, spread over the region's zones.
  zones = data.aws_availability_zones.available.names

  tags = {
    Stack  = stack.name
    Branch = stack.branch
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}
