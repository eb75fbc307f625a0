resource "aws_s3_bucket" "assets" {
  force_destroy = true
}
