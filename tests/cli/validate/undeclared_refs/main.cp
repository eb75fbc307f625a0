variable "name" {
  default = "x"
}

locals {
  greeting = "hi ${var.nmae}"
}

resource "local_file" "x" {
  filename = local.greting
  content  = random_id.missing.hex
}
