# Lambda: a Python function zipped from ./src, with its role, log group and a permission for S3.

locals {
  prefix = "lambda-${terraform.workspace}"
}

resource "aws_iam_role" "fn" {
  name = "${local.prefix}-fn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.fn.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_cloudwatch_log_group" "fn" {
  name              = "/aws/lambda/${local.prefix}-hello"
  retention_in_days = 14
}

resource "aws_lambda_function" "hello" {
  function_name = "${local.prefix}-hello"
  role          = aws_iam_role.fn.arn
  runtime       = "python3.12"
  handler       = "main.handler"
  source_dir    = "src"
  timeout       = 10

  environment {
    variables = { GREETING = var.greeting }
  }

  depends_on = [aws_cloudwatch_log_group.fn]
}

resource "aws_s3_bucket" "uploads" {
  bucket        = "${local.prefix}-uploads"
  force_destroy = true
}

resource "aws_lambda_permission" "s3" {
  statement_id  = "AllowS3"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.hello.function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.uploads.arn
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  lambda_function {
    lambda_function_arn = aws_lambda_function.hello.arn
    events              = ["s3:ObjectCreated:*"]
    filter_suffix       = ".csv"
  }

  depends_on = [aws_lambda_permission.s3]
}

output "function_arn" {
  value = aws_lambda_function.hello.arn
}
