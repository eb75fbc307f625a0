locals {
  ports = [80, 443]
}

resource "random_id" "x" {
  byte_length = local.ports[5]
  prefix      = "p-${local.ports}"
}
