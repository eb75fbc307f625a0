resource "aws_s3_bucket" "logs" {
  bucket = "logs-bucket"
  arn    = "arn:aws:s3:::logs-bucket"
}
