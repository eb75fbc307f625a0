# The README demo: a small static-site setup across S3, IAM and CloudWatch Logs.
stack "demo" {
  region = "eu-west-1"
}

variable "site_name" {
  type        = string
  default     = "demo"
  description = "First part of every name."
}

variable "log_retention_days" {
  type        = number
  default     = 7
  description = "How long the publisher's logs are kept."
}

locals {
  prefix = "${var.site_name}-${stack.branch}"
  tags   = { Stack = stack.name, Branch = stack.branch }
}

# S3: the site bucket and its home page.
resource "aws_s3_bucket" "site" {
  bucket        = "${local.prefix}-site"
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "site" {
  bucket                  = aws_s3_bucket.site.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "index" {
  bucket       = aws_s3_bucket.site.id
  key          = "index.html"
  content      = templatefile("site/index.html.tftpl", { branch = stack.branch })
  content_type = "text/html"
}

# IAM: the role a publishing job assumes, allowed to write the site.
resource "aws_iam_role" "publisher" {
  name = "${local.prefix}-publisher"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "publish" {
  name = "publish-site"
  role = aws_iam_role.publisher.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:PutObject", "s3:DeleteObject"], Resource = "${aws_s3_bucket.site.arn}/*" },
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "${aws_cloudwatch_log_group.publisher.arn}:*" },
    ]
  })
}

# CloudWatch Logs: where the publisher writes.
resource "aws_cloudwatch_log_group" "publisher" {
  name              = "/${local.prefix}/publisher"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

output "bucket" {
  value = aws_s3_bucket.site.id
}

output "publisher_role_arn" {
  value = aws_iam_role.publisher.arn
}
