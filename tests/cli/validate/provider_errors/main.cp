stack "perr" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

provider "aws" {
  alias  = "west"
  region = "us-west-1"
}

provider "aws" {
  regin = "eu-central-1"
}

provider "awz" {
}

provider "google" {
}

resource "aws_s3_bucket" "a" {
  provider = aws.wset
  bucket   = "perr-a"
}

resource "aws_s3_bucket" "b" {
  provider = aws.east
  bucket   = "perr-b"
}

resource "aws_s3_bucket" "c" {
  provider = random.west
  bucket   = "perr-c"
}

resource "aws_s3_bucket" "d" {
  provider = "aws.west"
  bucket   = "perr-d"
}

provider "aws" {
  alias  = "east"
  region = var.regon
}

variable "region" {
  type    = string
  default = "us-east-1"
}
