resource "local_file" "x" {
  filename = each.key
  content  = count.index
}
