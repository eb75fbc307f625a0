locals {
  name = "web-${var.env"
  ok   = 1
}
