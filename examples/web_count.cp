# Web servers with count, and one security group rule per port with for_each.
variable "instance_count" {
  type    = number
  default = 2
}

variable "ports" {
  type    = map(number)
  default = { http = 80, https = 443 }
}

resource "aws_security_group" "web" {
  name        = "web-${stack.branch}"
  description = "web servers"

  dynamic_ports = [for name, port in var.ports : port if port != 22]
}

resource "aws_security_group_rule" "ingress" {
  for_each          = var.ports
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = each.value
  to_port           = each.value
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  description       = "allow ${each.key}"
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_instance" "web" {
  count                  = var.instance_count
  ami                    = "ami-0abcdef1234567890"
  instance_type          = count.index == 0 ? "t3.small" : "t3.nano"
  vpc_security_group_ids = [aws_security_group.web.id]
  user_data              = <<-EOT
    #!/bin/sh
    echo "server ${count.index} of ${var.instance_count}" > /etc/motd
  EOT

  tags = {
    Name = "web-${count.index}-${random_id.suffix.hex}"
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
  }
}

output "public_ips" {
  value = aws_instance.web[*].public_ip
}
