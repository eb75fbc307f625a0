locals {
  a = "x%{ endfor }y"
  b = "%{ if true }a%{ else }b%{ else }c%{ endif }"
  c = "%{ for x in [1] }${x}%{ endif }"
  d = "%{ for x in [1] }${x}%{ else }%{ endfor }"
  e = "%{ endif }"
}
