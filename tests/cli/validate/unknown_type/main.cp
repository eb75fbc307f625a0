resource "local_fil" "x" {
  filename = "a.txt"
  content  = "a"
}
