# moved blocks rename what state holds, at plan: a resource renamed, count
# indexes turned into for_each keys; nothing is destroyed or created.
resource "random_id" "new" {
  byte_length = 4
}

moved {
  from = random_id.old
  to   = random_id.new
}

resource "random_id" "n" {
  for_each    = toset(["a", "b"])
  byte_length = 2
}

moved {
  from = random_id.n[0]
  to   = random_id.n["a"]
}

moved {
  from = random_id.n[1]
  to   = random_id.n["b"]
}
