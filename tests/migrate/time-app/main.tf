# time-app: a small Flask service answering the current UTC time on /now,
# one Fargate container behind an application load balancer in a VPC with
# three subnets. Every name carries the branch.
# Reference deployment 5 in shared/reference-deployments.md.

locals {
  prefix = "time-app-${terraform.workspace}"
  # Load balancer and target group names may hold at most 32 characters.
  short = length(local.prefix) <= 28 ? local.prefix : "${substr(local.prefix, 0, 21)}-${substr(sha256(local.prefix), 0, 6)}"

  container_name = "time-app"
  # Three subnets, spread over the region's zones.
  zones = data.aws_availability_zones.available.names

  tags = {
    Stack  = "time-app"
    Branch = terraform.workspace
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}
