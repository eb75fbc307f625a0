locals {
  a = 1.2.3
  b = 10.0.0.0
  c = 1e
  d = 0x1f
}
