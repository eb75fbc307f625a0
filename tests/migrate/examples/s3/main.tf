# S3: a versioned private bucket with two objects, one from a file and one from a string.

locals {
  bucket = "${var.prefix}-${terraform.workspace}-files"
}

resource "aws_s3_bucket" "files" {
  bucket        = local.bucket
  force_destroy = true
  tags          = { Branch = terraform.workspace }
}

resource "aws_s3_bucket_versioning" "files" {
  bucket = aws_s3_bucket.files.id

  versioning_configuration {
    status = var.versioning_status
  }
}

resource "aws_s3_bucket_public_access_block" "files" {
  bucket                  = aws_s3_bucket.files.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "readme" {
  bucket       = aws_s3_bucket.files.id
  key          = "docs/README.txt"
  source       = "README.txt"
  etag         = filemd5("README.txt")
  content_type = "text/plain"
}

resource "aws_s3_object" "settings" {
  bucket       = aws_s3_bucket.files.id
  key          = "config/settings.json"
  content      = jsonencode({ branch = terraform.workspace, debug = false })
  content_type = "application/json"
}

output "bucket_arn" {
  value = aws_s3_bucket.files.arn
}
