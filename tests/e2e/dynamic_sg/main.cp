# A security group whose rules come from dynamic blocks: one ingress rule
# per port of a list, egress rules from a map with a named iterator. The
# e2e cycle (tests/e2e/meson.build) adds a port (an update in place) and
# changes the description (a replacement), on both endpoints.
stack "dynamic_sg" {
  region = "eu-west-1"
}

variable "ports" {
  type    = list(number)
  default = [80, 443]
}

variable "description" {
  type    = string
  default = "web ports"
}

variable "egress" {
  type    = map(string)
  default = { all = "0.0.0.0/0" }
}

locals {
  prefix = "${stack.name}-${stack.branch}"
}

resource "aws_security_group" "web" {
  name_prefix = "${local.prefix}-"
  description = var.description

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

  dynamic "egress" {
    for_each = var.egress
    iterator = rule
    content {
      protocol    = "-1"
      from_port   = 0
      to_port     = 0
      cidr_blocks = [rule.value]
      description = rule.key
    }
  }

  tags = { Name = local.prefix }
}

output "group_id" {
  value = aws_security_group.web.id
}
