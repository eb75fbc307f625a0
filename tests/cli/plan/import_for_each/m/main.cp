resource "random_id" "x" {
  byte_length = 3
  prefix      = "web-"
}
