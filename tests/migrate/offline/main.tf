# A small Terraform stack with a state of its own, converted -offline by
# tests/migrate/golden.sh: objects of types cpstack lacks are listed, data
# sources left to the next plan, the rest imported with Terraform's
# attributes filtered by cpstack's schema.
terraform {
  backend "local" {
    path = "terraform.tfstate"
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-${terraform.workspace}"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_s3_bucket" "west" {
  provider = aws.west
  bucket   = "shop-west-${terraform.workspace}"
}

# Terraform's state holds "" for its unset optional strings (name_prefix,
# policy …): cpstack keeps null
resource "aws_sqs_queue" "jobs" {
  name = "shop-jobs"
}

resource "aws_kinesis_stream" "events" {
  name        = "shop-events"
  shard_count = 1
}

output "assets_bucket" {
  value = aws_s3_bucket.assets.bucket
}
