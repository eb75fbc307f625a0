# Functions over values known only at plan time, and literals that convert
# as HCL converts them ("3" to 3, 5 to "5"), all validate.
variable "n" {}

variable "names" {
  type    = list(string)
  default = ["a", "b"]
}

locals {
  subnets = cidrsubnets("10.0.0.0/16", 4, 4, 8)
  when    = formatdate("YYYY-MM-DD", "2024-05-01T12:00:00Z")
  doc     = yamldecode(yamlencode({ a = [1, 2] }))
  later   = cidrsubnet("10.0.0.0/16", 8, var.n)
}

resource "random_id" "count_string" {
  count       = "3"
  byte_length = "4"
  keepers = {
    n    = 5
    flag = true
    net  = local.subnets[count.index]
  }
}

resource "random_id" "count_var" {
  count       = var.n
  byte_length = length(local.doc.a) + 2
}

resource "random_id" "each" {
  for_each    = toset(var.names)
  byte_length = 4
  keepers = {
    name = upper(each.key)
  }
}

output "first" {
  value = random_id.count_string[0].hex
}
