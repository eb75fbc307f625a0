resource "random_id" "x" {
  byte_length = 4
  lifecycle {
    prevent_destory = true
    ignore_changes  = "all"
  }
}
