variable "a" {}
variable "a" {}

resource "random_id" "x" {
  byte_length = 2
}

resource "random_id" "x" {
  byte_length = 3
}
