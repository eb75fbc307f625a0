# S3: a versioned private bucket with two objects, one from a file and one from a string.
stack "s3" {
  region = "eu-west-1"
}

variable "prefix" {
  type        = string
  default     = "s3"
  description = "First part of every name (bucket names are global: pick your own)."
}

variable "versioning_status" {
  type        = string
  default     = "Enabled"
  description = "Enabled (keep every version of every object) or Suspended."
  validation {
    condition     = contains(["Enabled", "Suspended"], var.versioning_status)
    error_message = "versioning_status is Enabled or Suspended."
  }
}

locals {
  bucket = "${var.prefix}-${stack.branch}-files"
}

resource "aws_s3_bucket" "files" {
  bucket        = local.bucket
  force_destroy = true
  tags          = { Branch = stack.branch }
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
  content      = jsonencode({ branch = stack.branch, debug = false })
  content_type = "application/json"
}

output "bucket_arn" {
  value = aws_s3_bucket.files.arn
}
