# provider = on an import block: it must be the provider instance of the
# resource it imports into (the import reads through that one).
stack "ip" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_s3_bucket" "a" {
  provider = aws.west
  bucket   = "acme-ip-a"
}

resource "aws_s3_bucket" "b" {
  bucket = "acme-ip-b"
}

resource "aws_s3_bucket" "c" {
  bucket = "acme-ip-c"
}

import {
  to       = aws_s3_bucket.a
  id       = "acme-ip-a"
  provider = aws.west
}

import {
  to       = aws_s3_bucket.b
  id       = "acme-ip-b"
  provider = aws.west
}

import {
  to       = aws_s3_bucket.c
  id       = "acme-ip-c"
  provider = random
}
