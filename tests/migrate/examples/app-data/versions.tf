# The Terraform version of examples/app-data (tests/migrate: converted by
# `cpstack migrate terraform`, its state made from what the cpstack stack
# created on the emulator).
terraform {
  required_version = ">= 1.5.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

provider "aws" {
  region = var.region
}
