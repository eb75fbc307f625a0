resource "random_id" "a" {
  byte_length = 8
  prefix      = "café-${stack.branch}"
}

resource "random_id" "b" {
  byte_length = 8
  prefix      = <<-EOT
    fine Ã© then a surrogate í €
    overlong À¯
    EOT
}

resource "random_id" "c" {
  byte_length = 8
  prefix      = "â‚¬ ok"
}
