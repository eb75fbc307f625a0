locals {
  a = "%{ iff x }yes%{ endif }"
  b = "%{ whatever }"
}
