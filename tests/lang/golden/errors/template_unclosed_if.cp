locals {
  flag = true
  a    = "on: %{ if local.flag }yes"
  b = <<-EOT
    %{ for x in [1, 2] ~}
      ${x}
    EOT
}
