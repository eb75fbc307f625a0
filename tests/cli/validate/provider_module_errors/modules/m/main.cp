provider "aws" {
  region = "us-east-2"
}

resource "aws_s3_bucket" "x" {
  bucket = "pmod-x"
}

resource "aws_s3_bucket" "y" {
  provider = aws.other
  bucket   = "pmod-y"
}
