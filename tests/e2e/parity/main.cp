# Terraform language parity (issue 12) in one stack: a local module used
# twice (once plainly, once with for_each in a second region through
# providers = { aws = aws.west }), a dynamic block, a %{for} template
# directive, a data source of the second region, and two provider
# instances (the stack's region and provider "aws" { alias = "west" }),
# each with its default_tags. The e2e
# cycle (tests/e2e/meson.build) runs it on moto and on our emulator: a new
# owner updates the primary bucket's tags in place, a new index key
# replaces the primary index object.
stack "parity" {
  region = "eu-west-1"
}

provider "aws" {
  default_tags {
    tags = { Project = "parity" }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
  default_tags {
    tags = { Project = "parity", Role = "replica" }
  }
}

variable "owner" {
  type    = string
  default = "platform"
}

variable "index_key" {
  type    = string
  default = "index.txt"
}

variable "ports" {
  type    = list(number)
  default = [80, 443]
}

locals {
  prefix = "${stack.name}-${stack.branch}"
}

module "primary" {
  source    = "./modules/store"
  name      = "${local.prefix}-primary"
  owner     = var.owner
  index_key = var.index_key
  files     = ["app.js", "style.css"]
}

module "replica" {
  source    = "./modules/store"
  for_each  = toset(["one", "two"])
  providers = { aws = aws.west }
  name      = "${local.prefix}-replica-${each.key}"
  owner     = "replica"
  files     = [each.key]
}

resource "aws_security_group" "web" {
  name_prefix = "${local.prefix}-"
  description = "parity web ports"

  dynamic "ingress" {
    for_each = var.ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
      description = "port ${ingress.value}"
    }
  }
}

data "aws_availability_zones" "west" {
  provider = aws.west
  state    = "available"
}

output "west_zone" {
  value = data.aws_availability_zones.west.names[0]
}

output "primary_bucket" {
  value = module.primary.bucket
}

output "replica_buckets" {
  value = { for k, m in module.replica : k => m.bucket }
}
