# Security group rules as resources of their own: a web group open on
# HTTPS and an app group reachable from it, no inline ingress / egress.

locals {
  prefix = "sg_rules-${terraform.workspace}"
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
  tags       = { Name = local.prefix }
}

resource "aws_security_group" "web" {
  name   = "${local.prefix}-web"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "app" {
  name   = "${local.prefix}-app"
  vpc_id = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  description       = var.https_description
  tags              = { Name = "${local.prefix}-https" }
}

resource "aws_vpc_security_group_egress_rule" "web_to_app" {
  security_group_id            = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.app.id
}

# The older rule type: the app group admits the VPC's own range.
resource "aws_security_group_rule" "app_from_vpc" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = var.app_port
  to_port           = var.app_port
  cidr_blocks       = [aws_vpc.main.cidr_block]
  description       = "from inside the VPC"
}
