terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name" {
  type = string
}

resource "aws_sqs_queue" "q" {
  name = var.name
}

output "name" {
  value = var.name
}
