# A Terraform root module full of constructs cpstack does not have; the
# golden test (tests/migrate/golden.sh) checks the report and the files.
stack "unconvertible" {
  region = var.region
  backend "s3" {
    bucket  = "acme-terraform-state"
    key     = "shop/terraform.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}

provider "aws" {
  region = var.region
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

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets-${stack.branch}"
}

resource "aws_s3_bucket" "edge_logs" {
  provider = aws.us
  bucket   = "shop-edge-logs"
}

resource "aws_instance" "bastion" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"

}

# No description: Terraform's default is written in (cpstack's differs and
# would replace the group); the one with a description keeps it.
resource "aws_security_group" "bastion" {
  description = "Managed by Terraform"
  name        = "shop-bastion"
}

resource "aws_security_group" "described" {
  name        = "shop-described"
  description = "Described"
}

module "queue" {
  source    = "./modules/queue"
  providers = { aws = aws.us }
  name      = "shop-${stack.branch}"
}

moved {
  from = aws_s3_bucket.static
  to   = aws_s3_bucket.assets
}

locals {
  applying = null
  legacy   = list("a", "b")
}
