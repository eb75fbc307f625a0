# replace_triggered_by: a is replaced (its byte_length forces it), so b,
# which names a, is replaced too; c names b's byte_length, which stays 4
# through b's replacement, so c is kept.
resource "random_id" "a" {
  byte_length = 8
}

resource "random_id" "b" {
  byte_length = 4
  lifecycle {
    replace_triggered_by = [random_id.a]
  }
}

resource "random_id" "c" {
  byte_length = 4
  lifecycle {
    replace_triggered_by = [random_id.b.byte_length]
  }
}
