variable "schedule" {
  default = "30 2 * * 0"
}

resource "aws_s3_bucket" "code" {
  bucket = "code-bucket"
}

resource "aws_s3_object" "job" {
  bucket  = aws_s3_bucket.code.id
  key     = "job.py"
  content = "print(1)"
  tags    = { Job = "nightly", Schedule = var.schedule }
}
