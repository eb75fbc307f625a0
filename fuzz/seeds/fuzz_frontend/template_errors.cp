locals {
  a = "%{ if x }open"
  b = "%{ endfor }"
  c = "%{ if x }1%{ else }2%{ else }3%{ endif }"
  d = "%{ for x in y }%{ endif }"
  e = "%{ unknown }"
  f = "%{ }"
  g = "%{ for x y }%{ endfor }"
  h = "${ x ~}~}"
}
