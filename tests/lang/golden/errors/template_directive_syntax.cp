locals {
  a = "%{ }"
  b = "%{ for x [1] }%{ endfor }"
  c = "%{ if }x%{ endif }"
  d = "%{ if true
}
