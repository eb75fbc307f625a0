resource "random_id" "x" {
  byte_length = 
}

resource "random_id" "y" {
  byte_length = 4 +
}
