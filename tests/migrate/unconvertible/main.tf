# A Terraform root module full of constructs cpstack does not have; the
# golden test (tests/migrate/golden.sh) checks the report and the files.
terraform {
  required_version = ">= 1.6.0"
  experiments      = []
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "shop/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region  = var.region
  profile = "shop-admin"
  assume_role {
    role_arn = "arn:aws:iam::123456789012:role/deploy"
  }
  default_tags {
    tags = { Team = "shop" }
  }
}

provider "aws" {
  alias  = "us"
  region = "us-east-1"
}

provider "google" {
  project = "shop"
}

provider "random" {}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-${terraform.workspace}"

  provisioner "local-exec" {
    command = "echo created ${self.bucket}"
  }
}

resource "aws_s3_bucket" "edge_logs" {
  provider = aws.us
  bucket   = "shop-edge-logs"
}

resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

  connection {
    type = "ssh"
    host = self.public_ip
  }
  provisioner "remote-exec" {
    inline = ["sudo yum -y update"]
  }
}

# No description: Terraform's default is written in (cpstack's differs and
# would replace the group); the one with a description keeps it.
resource "aws_security_group" "bastion" {
  name = "shop-bastion"
}

resource "aws_security_group" "described" {
  name        = "shop-described"
  description = "Described"
}

resource "aws_kinesis_stream" "events" {
  name        = "shop-events"
  shard_count = 1
}

data "aws_kms_key" "state" {
  key_id = "alias/terraform"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  cidr    = "10.0.0.0/16"
}

module "queue" {
  source    = "./modules/queue"
  version   = "1.0.0"
  providers = { aws = aws.us }
  name      = "shop-${terraform.workspace}"
}

moved {
  from = aws_s3_bucket.static
  to   = aws_s3_bucket.assets
}

ephemeral "random_password" "db" {
  length = 16
}

locals {
  applying = terraform.applying
  legacy   = list("a", "b")
}

data "terraform_remote_state" "network" {
  backend = "s3"
  config = {
    bucket = "acme-terraform-state"
    key    = "network/terraform.tfstate"
  }
}
