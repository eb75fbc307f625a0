# Network: a VPC with three public subnets, the internet gateway and route
# table the load balancer and the tasks reach the internet through, and the
# security groups of the load balancer (HTTP from anywhere) and the tasks
# (the app port from the load balancer only).

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(local.tags, { Name = local.prefix })
}

resource "aws_subnet" "public" {
  count = 3

  vpc_id                  = aws_vpc.main.id
  cidr_block              = cidrsubnet(var.vpc_cidr, 8, count.index)
  availability_zone       = element(local.zones, count.index)
  map_public_ip_on_launch = true
  tags                    = merge(local.tags, { Name = "${local.prefix}-${count.index}" })
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
  tags   = merge(local.tags, { Name = local.prefix })
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }

  tags = merge(local.tags, { Name = local.prefix })
}

resource "aws_route_table_association" "public" {
  count = 3

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "lb" {
  name        = "${local.prefix}-lb"
  description = "HTTP to the ${local.prefix} load balancer"
  vpc_id      = aws_vpc.main.id

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
  vpc_id      = aws_vpc.main.id

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
