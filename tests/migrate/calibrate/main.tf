# calibrate: a Django app (with an nginx front container) on ECS with the
# EC2 launch type, its hosts from an Auto Scaling group, and a PostgreSQL
# RDS instance in private subnets whose endpoint flows into the task
# definition. Every name carries the branch.
# Reference deployment 4 in shared/reference-deployments.md.

locals {
  prefix = "calibrate-${terraform.workspace}"
  # Load balancer and target group names may hold at most 32 characters.
  short = length(local.prefix) <= 28 ? local.prefix : "${substr(local.prefix, 0, 21)}-${substr(sha256(local.prefix), 0, 6)}"
  azs   = slice(data.aws_availability_zones.available.names, 0, 2)

  tags = {
    Stack  = "calibrate"
    Branch = terraform.workspace
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}

# The newest ECS-optimized Amazon Linux 2 AMI for the hosts.
data "aws_ami" "ecs" {
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["amzn2-ami-ecs-hvm-*-x86_64-ebs"]
  }
}
