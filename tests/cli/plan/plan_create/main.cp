variable "n" {
  type    = number
  default = 2
}

resource "random_id" "ids" {
  count       = var.n
  byte_length = 4 + count.index
  keepers = {
    index = count.index
  }
}

resource "random_password" "db" {
  length  = 16
  special = false
}

output "first" {
  value = random_id.ids[0].hex
}

output "password" {
  value     = random_password.db.result
  sensitive = true
}
