# Type errors on values known without state, and count/for_each that can never work.
variable "port" {
  type    = number
  default = "http"
}

locals {
  abs_of_text = abs("x")
  join_map    = join(",", { a = 1 })
  bad_date    = formatdate("YYYY", "yesterday")
  bad_yaml    = yamldecode("a: [1")
}

resource "random_id" "literal" {
  byte_length = "four"
}

resource "random_id" "computed" {
  byte_length = upper("x")
}

resource "random_id" "counted" {
  count       = "two"
  byte_length = 4
}

resource "random_id" "fraction" {
  count       = 1.5
  byte_length = 4
}

resource "random_id" "each" {
  for_each    = "a"
  byte_length = 4
}
