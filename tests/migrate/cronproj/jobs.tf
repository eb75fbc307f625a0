# One set per job (for_each over var.jobs): a private data bucket, the job's
# files in the code bucket, and a Lambda function that terminates the job's
# temporary instance as soon as the job puts its result in the data bucket.

resource "aws_s3_bucket" "data" {
  for_each = var.jobs

  bucket        = "${local.prefix}-${each.key}-data"
  force_destroy = true
  tags          = merge(local.tags, { Job = each.key })
}

resource "aws_s3_bucket_public_access_block" "data" {
  for_each = var.jobs

  bucket                  = aws_s3_bucket.data[each.key].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "job" {
  for_each = var.jobs

  bucket = aws_s3_bucket.code.id
  key    = "jobs/${each.key}/job.py"
  source = "jobs/${each.key}/job.py"
  etag   = filemd5("jobs/${each.key}/job.py")
  tags   = { Job = each.key } # the schedule lives in the crontab (S3 tags may not hold "*")
}

resource "aws_lambda_function" "terminator" {
  for_each = var.jobs

  function_name = "${local.prefix}-${each.key}-terminator"
  description   = "Terminates the ${each.key} job's instance once its result lands in S3"
  role          = aws_iam_role.terminator.arn
  runtime       = "python3.12"
  handler       = "main.handler"
  source_dir    = "lambda/terminator"
  timeout       = var.terminator_timeout

  environment {
    variables = {
      JOB             = each.key
      INSTANCE_BUCKET = aws_s3_bucket.instances.id
    }
  }

  tags = merge(local.tags, { Job = each.key })
}

resource "aws_lambda_permission" "from_s3" {
  for_each = var.jobs

  statement_id  = "AllowS3Invoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.terminator[each.key].function_name
  principal     = "s3.amazonaws.com"
  source_arn    = aws_s3_bucket.data[each.key].arn
}

resource "aws_s3_bucket_notification" "data" {
  for_each = var.jobs

  bucket = aws_s3_bucket.data[each.key].id

  lambda_function {
    lambda_function_arn = aws_lambda_function.terminator[each.key].arn
    events              = ["s3:ObjectCreated:*"]
  }

  depends_on = [aws_lambda_permission.from_s3]
}
