resource "local_file" "a" {
  filename = "a.txt"
  content  = local_file.b.content
}

resource "local_file" "b" {
  filename = "b.txt"
  content  = local_file.a.content
}
