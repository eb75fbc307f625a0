# App data: a work queue with its dead-letter queue, a configuration
# parameter, a database password in Secrets Manager, a DynamoDB table of
# sessions with a global index by user, a bucket with the split S3
# configuration resources and an EventBridge rule that queues a nightly job.

locals {
  prefix = "app-data-${terraform.workspace}"
}

resource "aws_sqs_queue" "dead" {
  name                      = "${local.prefix}-jobs-dlq"
  message_retention_seconds = 1209600
}

resource "aws_sqs_queue" "jobs" {
  name                       = "${local.prefix}-jobs"
  visibility_timeout_seconds = var.visibility_timeout
  receive_wait_time_seconds  = 20
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead.arn
    maxReceiveCount     = 5
  })
  tags = { app = "app-data" }
}

resource "aws_ssm_parameter" "config" {
  name = "${var.config_path}/${terraform.workspace}"
  type = "String"
  value = jsonencode({
    queue_url = aws_sqs_queue.jobs.url
    bucket    = aws_s3_bucket.files.bucket
    secret    = aws_secretsmanager_secret.db.arn
  })
  tags = { app = "app-data" }
}

resource "aws_secretsmanager_secret" "db" {
  name                    = "${local.prefix}/db"
  description             = "Database password of app-data"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode({ password = var.db_password })
}

resource "aws_dynamodb_table" "sessions" {
  name         = "${local.prefix}-sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }

  attribute {
    name = "user_id"
    type = "S"
  }

  global_secondary_index {
    name            = "by-user"
    hash_key        = "user_id"
    projection_type = "KEYS_ONLY"
  }

  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  tags = { app = "app-data" }
}

resource "aws_s3_bucket" "files" {
  bucket = "${local.prefix}-files"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_ownership_controls" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_website_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  index_document {
    suffix = "index.html"
  }

  error_document {
    key = "error.html"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "files" {
  bucket = aws_s3_bucket.files.id

  rule {
    id     = "expire-tmp"
    status = "Enabled"

    filter {
      prefix = "tmp/"
    }

    expiration {
      days = 7
    }
  }

  rule {
    id     = "abort-uploads"
    status = "Enabled"

    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "${local.prefix}-nightly"
  description         = "Queues the nightly clean-up job"
  schedule_expression = var.nightly_schedule
  tags                = { app = "app-data" }
}

resource "aws_cloudwatch_event_target" "nightly" {
  rule  = aws_cloudwatch_event_rule.nightly.name
  arn   = aws_sqs_queue.jobs.arn
  input = jsonencode({ job = "clean-up" })
}

# EventBridge delivers to the queue only when its policy lets
# events.amazonaws.com send, and only for this rule.
data "aws_iam_policy_document" "jobs" {
  statement {
    sid       = "NightlyRuleSends"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.jobs.arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.nightly.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "jobs" {
  queue_url = aws_sqs_queue.jobs.id
  policy    = data.aws_iam_policy_document.jobs.json
}
