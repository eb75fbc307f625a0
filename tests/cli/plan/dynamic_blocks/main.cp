# dynamic blocks make one nested block per element of for_each: a list
# (key = index), a map (key = map key) with an iterator name, nested
# dynamics (a listener rule's conditions and their path patterns), and a
# for_each known only after apply (the blocks are then unknown).
variable "ports" {
  default = [80, 443]
}

locals {
  rules = {
    ssh = { port = 22, cidrs = ["10.0.0.0/8"] }
  }
  paths = [["/api/*"], ["/static/*", "/img/*"]]
}

resource "aws_security_group" "web" {
  name        = "web"
  description = "web"

  dynamic "ingress" {
    for_each = var.ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
      description = "port ${ingress.key}"
    }
  }

  dynamic "ingress" {
    for_each = local.rules
    iterator = rule
    content {
      protocol    = "tcp"
      from_port   = rule.value.port
      to_port     = rule.value.port
      cidr_blocks = rule.value.cidrs
      description = rule.key
    }
  }
}

resource "aws_lb_listener_rule" "api" {
  listener_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/x/1/2"
  priority     = 10
  action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/x/1"
  }
  dynamic "condition" {
    for_each = local.paths
    iterator = c
    content {
      dynamic "path_pattern" {
        for_each = [c.value]
        content {
          values = path_pattern.value
        }
      }
    }
  }
}

resource "random_id" "n" {
  byte_length = 2
}

resource "aws_security_group" "later" {
  name        = "later"
  description = "later"
  dynamic "egress" {
    for_each = split(",", random_id.n.hex)
    content {
      protocol    = "-1"
      from_port   = 0
      to_port     = 0
      cidr_blocks = [egress.value]
    }
  }
}
