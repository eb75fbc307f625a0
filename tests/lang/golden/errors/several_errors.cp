locals {
  a = = 1
  b = [1 2]
  c = f(1 2)
  d = { x = 1 y = 2 }
  e = 1 +
  f = "ok"
}
output "x" {
  value = )
}
