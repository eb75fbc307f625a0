# Terraform's defaults: every argument the Terraform AWS provider makes up
# when it is left out (a name: here cpstack- and a random suffix, at apply)
# is optional, so none of these is reported missing; a health_check block
# gets Terraform's defaults for what it leaves out (3 / 30 s / 3,
# traffic-port, HTTP, enabled), not AWS's; connectivity_type, which Terraform
# takes (default public), may be set.
resource "aws_s3_bucket" "logs" {}

resource "aws_sns_topic" "alerts" {}

resource "aws_cloudwatch_log_group" "app" {}

resource "aws_iam_role" "app" {
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_policy" "read" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_iam_instance_profile" "app" {
  role = aws_iam_role.app.name
}

resource "aws_key_pair" "ops" {
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGolden0000000000000000000000000000000000000 ops"
}

resource "aws_lb" "web" {
  subnets = ["subnet-0a", "subnet-0b"]
}

resource "aws_lb_target_group" "web" {
  port     = 80
  protocol = "HTTP"
  vpc_id   = "vpc-0a"
  health_check {
    path = "/health"
  }
}

resource "aws_lambda_permission" "s3" {
  action        = "lambda:InvokeFunction"
  function_name = "thumbnails"
  principal     = "s3.amazonaws.com"
}

resource "aws_db_subnet_group" "db" {
  subnet_ids = ["subnet-0a", "subnet-0b"]
}

resource "aws_db_instance" "db" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  skip_final_snapshot = true
}

resource "aws_nat_gateway" "out" {
  allocation_id     = "eipalloc-0a"
  subnet_id         = "subnet-0a"
  connectivity_type = "public"
}
