locals {
  a = “hello”
}
