resource "random_id" "a" {
  byte_length = 4
}

resource "random_id" "b" {
  byte_length = 4
  depends_on  = [random_id.c, "random_id.a"]
}
