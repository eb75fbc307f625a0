variable "mode" {
  type    = string
  default = "fast"
}

locals {
  count_of = 3
}

output "bad_condition" {
  value = "%{ if var.mode }fast%{ endif }"
}

output "bad_collection" {
  value = "%{ for x in local.count_of }${x}%{ endfor }"
}

output "bad_file" {
  value = templatefile("broken.tpl", { items = [1, 2] })
}
