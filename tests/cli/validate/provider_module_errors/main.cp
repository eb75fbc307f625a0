stack "pmod" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

module "ok" {
  source    = "./modules/m"
  providers = { aws = aws.west }
}

module "bad" {
  source    = "./modules/m"
  providers = { aws = aws.eats }
}
