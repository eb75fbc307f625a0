resourc "random_id" "x" {
  byte_length = 2
}

name = "top"
