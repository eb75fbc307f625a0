# Variables without a type take -var text as a string; HCL converts it
# where a number or bool is wanted: count = var.n with -var n=2.
variable "n" {}
variable "len" {}
variable "special" {}
variable "port" {}

resource "random_id" "ids" {
  count       = var.n
  byte_length = var.len
  keepers = {
    port = var.port
    next = var.port + 1
  }
}

resource "random_password" "p" {
  length  = var.len * 4
  special = var.special
}

output "count" {
  value = length(random_id.ids)
}
