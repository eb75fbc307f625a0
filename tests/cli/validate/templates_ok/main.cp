variable "names" {
  type    = list(string)
  default = ["neo", "trinity"]
}

locals {
  greeting = "Hello, %{ if length(var.names) > 0 }${var.names[0]}%{ else }nobody%{ endif }!"
  listing  = <<-EOT
    %{~ for i, n in var.names ~}
    ${i}: ${n}
    %{~ endfor ~}
  EOT
  literal  = "%%{ not a directive } $${nor this}"
}

resource "random_id" "tag" {
  byte_length = 4
  keepers = {
    greeting = local.greeting
    hosts    = templatefile("hosts.tpl", { names = var.names })
  }
}

output "listing" {
  value = local.listing
}
