locals {
  a = "\u12"
  b = "\uD800"
}
