resource "random_id" "x" {
  count       = 2
  for_each    = { a = 1 }
  byte_length = 2
}
