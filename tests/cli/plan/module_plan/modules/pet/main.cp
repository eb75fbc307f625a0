variable "bytes" {
  type = number
}

variable "label" {
  type    = string
  default = "single"
}

locals {
  keep = "${var.label}:${var.bytes}"
}

resource "random_id" "this" {
  byte_length = var.bytes
  keepers = {
    keep = local.keep
  }
}

output "hex" {
  value = random_id.this.hex
}

output "label" {
  value = local.keep
}

output "dir" {
  value = path.module
}
