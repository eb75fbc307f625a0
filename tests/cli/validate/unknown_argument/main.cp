resource "local_file" "x" {
  filename = "a.txt"
  contnet  = "a"
}
