resource "random_id" "x" {
  byte_length = 8
  prefix      = file("surrogate.txt")
}
