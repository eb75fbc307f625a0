# Network: the VPC, its three public subnets and their way out (the local
# module modules/network), and the security groups of the load balancer
# (HTTP from anywhere) and the tasks (the app port from the load balancer
# only).

module "network" {
  source = "./modules/network"
  name   = local.prefix
  cidr   = var.vpc_cidr
  zones  = local.zones
  tags   = local.tags
}

resource "aws_security_group" "lb" {
  name        = "${local.prefix}-lb"
  description = "HTTP to the ${local.prefix} load balancer"
  vpc_id      = module.network.vpc_id

  ingress {
    description = "HTTP"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "to the tasks"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = [var.vpc_cidr]
  }

  tags = local.tags
}

resource "aws_security_group" "tasks" {
  name        = "${local.prefix}-tasks"
  description = "The app port of the ${local.prefix} tasks, from its load balancer only"
  vpc_id      = module.network.vpc_id

  ingress {
    description     = "app port from the load balancer"
    protocol        = "tcp"
    from_port       = var.container_port
    to_port         = var.container_port
    security_groups = [aws_security_group.lb.id]
  }

  egress {
    description = "everything out (image pulls)"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}
