output "hosts" {
  value = <<EOT
%{ for name, ip in var.hosts ~}
${ip} ${name}
%{ endfor ~}
EOT
}

output "flush" {
  value = <<-EOT
    [
    %{~ for i, n in var.names ~}
      ${i}=${n}%{ if i < 2 },%{ endif }
    %{~ endfor ~}
    ]
  EOT
}

output "quoted" {
  value = "a  ${~ "b" ~}  c %{~ if true ~}  d  %{~ endif ~} e"
}
