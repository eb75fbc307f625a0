locals {
  a = "%{ if x }yes%{ endif }"
}
