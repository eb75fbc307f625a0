# A private, versioned S3 bucket with an index object.
variable "name" {
  type        = string
  description = "Bucket name (names are global: the caller adds the branch)."
}

variable "index" {
  type        = string
  default     = "<h1>logs</h1>"
  description = "Content of index.html."
}

variable "log_to" {
  type        = string
  default     = ""
  description = "Bucket that receives this bucket's logs, tagged (empty: none)."
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  tags = merge(var.tags, { Module = path.module, LogTo = var.log_to })
}

resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_object" "index" {
  bucket       = aws_s3_bucket.this.id
  key          = "index.html"
  content      = var.index
  content_type = "text/html"
}

output "bucket" {
  value = aws_s3_bucket.this.id
}

output "arn" {
  value = aws_s3_bucket.this.arn
}
