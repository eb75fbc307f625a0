variable "name" {
  type        = string
  description = "no default"
}

resource "random_id" "x" {
  byte_length = 4
  prefix      = var.name
}
