# A logs bucket and a role that may write to it.
stack "logs" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "logs" {
  bucket        = "acme-logs-${stack.branch}"
  force_destroy = true

  tags = {
    Team = "platform"
    Env  = stack.branch
  }
}

resource "aws_iam_role" "writer" {
  name = "logs-writer-${stack.branch}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_iam_role_policy" "write_logs" {
  name = "write-logs"
  role = aws_iam_role.writer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject"]
      Resource = "${aws_s3_bucket.logs.arn}/*"
    }]
  })
}

output "bucket_arn" {
  value = aws_s3_bucket.logs.arn
}
