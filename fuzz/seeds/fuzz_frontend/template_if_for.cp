locals {
  greeting = "Hello, %{ if var.name != "" }${var.name}%{ else }(unnamed)%{ endif }!"
  pairs    = "%{ for k, v in var.tags }${k}=${v};%{ endfor }"
  nested   = "%{ for x in var.xs }%{ if x > 1 }${x}%{ else }-%{ endif }%{ endfor }"
  inner    = "%{ if a }${"%{ for y in b }${y}%{ endfor }"}%{ endif }"
}
