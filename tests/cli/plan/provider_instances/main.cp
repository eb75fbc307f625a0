# Two provider instances: the default one (its region from the stack
# block, default_tags from the unaliased provider block) and aws.west. A
# module gets aws.west through providers = { … }. Plans name the instance
# of every object that is not the default's; resource tags win over
# default_tags.
stack "pinst" {
  region = "eu-west-1"
}

provider "aws" {
  default_tags {
    tags = { Project = "pinst", Env = "dev" }
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
  default_tags {
    tags = { Replica = "true" }
  }
}

resource "aws_s3_bucket" "home" {
  bucket = "pinst-home"
  tags   = { Env = "prod" }
}

resource "aws_s3_bucket" "away" {
  provider = aws.west
  bucket   = "pinst-away"
}

module "replica" {
  source    = "./modules/store"
  providers = { aws = aws.west }
  name      = "pinst-replica"
}
