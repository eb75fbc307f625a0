# IAM: a deploy user with an access key, a managed policy, and an EC2 role with its instance profile.

locals {
  prefix = "iam-${terraform.workspace}"
}

resource "aws_iam_user" "deployer" {
  name          = "${local.prefix}-deployer"
  force_destroy = true
}

resource "aws_iam_access_key" "deployer" {
  user = aws_iam_user.deployer.name
}

resource "aws_iam_policy" "read_logs" {
  name        = "${local.prefix}-read-logs"
  description = "Read CloudWatch Logs"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:Get*", "logs:Describe*"], Resource = "*" }]
  })
}

resource "aws_iam_user_policy_attachment" "read_logs" {
  user       = aws_iam_user.deployer.name
  policy_arn = aws_iam_policy.read_logs.arn
}

data "aws_iam_policy_document" "ec2_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

data "aws_caller_identity" "me" {}

resource "aws_iam_role" "app" {
  name               = "${local.prefix}-app"
  assume_role_policy = data.aws_iam_policy_document.ec2_trust.json
}

resource "aws_iam_role_policy_attachment" "app_ssm" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

resource "aws_iam_instance_profile" "app" {
  name = "${local.prefix}-app"
  role = aws_iam_role.app.name
}

output "access_key_id" {
  value = aws_iam_access_key.deployer.id
}

output "secret_access_key" {
  value     = aws_iam_access_key.deployer.secret
  sensitive = true
}

output "account_id" {
  value = data.aws_caller_identity.me.account_id
}
