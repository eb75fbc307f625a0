# HCL's conversions of literals: "2" where a number is wanted is 2, a
# number or bool where a string is wanted is its text, "true" is true.
resource "random_id" "ids" {
  count       = "2"
  byte_length = "4"
  keepers = {
    n    = 5
    half = 0.5
    flag = true
  }
}

resource "random_password" "p" {
  length  = "12"
  special = "false"
}

resource "random_id" "each" {
  for_each    = toset([1, 2])
  byte_length = 2
  keepers = {
    key = each.key
  }
}
