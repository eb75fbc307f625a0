# hello-world-fargate: an HTTPS-only Flask app on ECS Fargate behind an
# application load balancer, scaled on CPU, with a CPU alarm mailed through
# SNS. Branch builds: every name carries the branch, so one account holds
# one deployment per branch side by side.
# Reference deployment 2 in shared/reference-deployments.md.

locals {
  prefix = "hello-world-fargate-${terraform.workspace}"
  # Load balancer and target group names may hold at most 32 characters:
  # long branch names are cut and keep a hash so two never collide.
  short = length(local.prefix) <= 28 ? local.prefix : "${substr(local.prefix, 0, 21)}-${substr(sha256(local.prefix), 0, 6)}"

  container_name = "web"
  azs            = slice(data.aws_availability_zones.available.names, 0, 2)

  tags = {
    Stack  = "hello-world-fargate"
    Branch = terraform.workspace
  }
}

data "aws_availability_zones" "available" {
  state = "available"
}
