variable "n" {
  default = 2
}

locals {
  names = [for i in range(var.n) : "n-${i}"]
}

resource "random_id" "a" {
  byte_length = 4
  keepers = {
    team = "core"
  }
}

output "names" {
  value = local.names
}

output "token" {
  value     = "s3cret-token"
  sensitive = true
}

output "count" {
  value = var.n
}
