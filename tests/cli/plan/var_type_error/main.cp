variable "ports" {
  type = list(number)
}

resource "random_id" "x" {
  byte_length = length(var.ports)
}
