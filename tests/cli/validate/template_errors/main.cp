locals {
  flag = true
  a    = "%{ if local.flag }on"
  b    = "x%{ endfor }"
  c    = "%{ if local.flag }1%{ else }2%{ else }3%{ endif }"
  d    = "%{ elseif local.flag }"
  e    = <<EOT
%{ for x in [1, 2] }
${x}
EOT
}

output "a" {
  value = "done"
}
