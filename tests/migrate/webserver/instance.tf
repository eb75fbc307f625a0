# The web server itself: key pair, security group and instance.

resource "aws_key_pair" "admin" {
  count = var.ssh_public_key == "" ? 0 : 1

  key_name   = "${local.prefix}-admin"
  public_key = var.ssh_public_key
  tags       = local.tags
}

resource "aws_security_group" "web" {
  name        = "${local.prefix}-sg"
  description = "SSH, HTTP and HTTPS to the ${local.prefix} web server"

  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = [var.ssh_cidr]
  }

  ingress {
    description = "HTTP"
    protocol    = "tcp"
    from_port   = 80
    to_port     = 80
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    description = "HTTPS"
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    description = "everything out (package updates)"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

resource "aws_instance" "web" {
  ami                    = data.aws_ami.amazon_linux.image_id
  instance_type          = var.instance_type
  key_name               = var.ssh_public_key == "" ? null : aws_key_pair.admin[0].key_name
  vpc_security_group_ids = [aws_security_group.web.id]
  monitoring             = true

  user_data = templatefile("user_data.sh.tftpl", {
    title     = var.site_title
    image_url = local.image_url
  })

  tags = merge(local.tags, { Name = local.prefix })
}
