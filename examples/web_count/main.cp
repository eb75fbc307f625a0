# Web servers with count, and one security group per port with for_each.
stack "web_count" {
  region = "eu-west-1"
}

variable "instance_count" {
  type    = number
  default = 2
}

variable "ports" {
  type    = map(number)
  default = { http = 80, https = 443 }
}

variable "first_instance_type" {
  type        = string
  default     = "t3.small"
  description = "Instance type of server 0 (the others are t3.nano)."
}

variable "https_description" {
  type        = string
  default     = "HTTPS from anywhere"
  description = "Description of the https security group (a change replaces it)."
}

locals {
  prefix = "web_count-${stack.branch}"
}

data "aws_ami" "amazon_linux" {
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}

resource "aws_security_group" "port" {
  for_each    = var.ports
  name_prefix = "${local.prefix}-${each.key}-"
  description = each.key == "https" ? var.https_description : "${upper(each.key)} from anywhere"

  ingress {
    protocol    = "tcp"
    from_port   = each.value
    to_port     = each.value
    cidr_blocks = ["0.0.0.0/0"]
    description = "allow ${each.key}"
  }

  tags = { Name = "${local.prefix}-${each.key}" }

  # The instances use it: a replacement must exist before the old one goes.
  lifecycle {
    create_before_destroy = true
  }
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_instance" "web" {
  count                  = var.instance_count
  ami                    = data.aws_ami.amazon_linux.id
  instance_type          = count.index == 0 ? var.first_instance_type : "t3.nano"
  vpc_security_group_ids = [for sg in aws_security_group.port : sg.id]
  user_data              = <<-EOT
    #!/bin/sh
    echo "server ${count.index} of ${var.instance_count}" > /etc/motd
  EOT

  tags = {
    Name = "${local.prefix}-${count.index}-${random_id.suffix.hex}"
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
  }
}

output "public_ips" {
  value = aws_instance.web[*].public_ip
}
