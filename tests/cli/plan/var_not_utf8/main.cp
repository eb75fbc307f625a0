variable "name" {
  type      = string
  sensitive = true
}

resource "random_id" "x" {
  byte_length = 8
  prefix      = var.name
}
