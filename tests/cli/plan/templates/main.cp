variable "names" {
  type    = list(string)
  default = ["neo", "trinity", "morpheus"]
}

variable "admin" {
  type    = string
  default = ""
}

locals {
  ports = { http = 80, https = 443 }
}

resource "random_id" "suffix" {
  byte_length = 4
  keepers = {
    rules = "%{ for name, port in local.ports }${name}=${port};%{ endfor }"
  }
}

output "greeting" {
  value = "Hello, %{ if var.admin != "" }${var.admin}%{ else }(unnamed)%{ endif }!"
}

output "plain_for" {
  value = <<EOT
%{ for name in var.names }
  ${name}
%{ endfor }
EOT
}

output "stripped_for" {
  value = <<EOT
%{ for name in var.names ~}
  ${name}
%{ endfor ~}
EOT
}

output "flush" {
  value = <<-EOT
    [
    %{ for i, n in var.names ~}
      ${i}=${n}%{ if i < length(var.names) - 1 },%{ endif }
    %{ endfor ~}
    ]
  EOT
}

output "escapes" {
  value = "%%{ if } stays, $${x} stays, ${~ "  trimmed  " ~}  ."
}

output "pending" {
  value = "id: %{ if random_id.suffix.hex != "" }${random_id.suffix.hex}%{ endif }"
}

output "from_file" {
  value = templatefile("motd.tpl", { names = var.names, admin = var.admin })
}
