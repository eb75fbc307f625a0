locals {
greeting="Hello, %{ if var.name!="" }${ var.name }%{else}(unnamed)%{ endif }!"
    hosts = <<-EOT
      %{ for name,ip in var.hosts ~}
        ${ip}   ${name}
      %{~ endfor }
    EOT
  literal="%%{ not }  $${ this }"
pairs   = "%{for k, v in var.m}${k}=${v}%{endfor}"
}
