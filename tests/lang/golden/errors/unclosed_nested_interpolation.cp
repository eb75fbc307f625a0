locals {
  ok = 1
}
name "web-${var.env "x-${