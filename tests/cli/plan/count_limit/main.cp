variable "n" {
  type    = number
  default = 100000000
}

resource "random_id" "many" {
  count       = var.n
  byte_length = 8
}

resource "random_id" "half" {
  count       = 2.5
  byte_length = 8
}

resource "random_id" "keys" {
  for_each    = toset([for i in range(10001) : "k${i}"])
  byte_length = 8
}

resource "random_id" "at_limit" {
  count       = 10000
  byte_length = 8
}
