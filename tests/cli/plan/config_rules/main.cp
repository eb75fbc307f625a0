# Rules between arguments (validate_config) fail the plan at the resource
# block, with the instance address, before anything is created.
resource "local_file" "both" {
  filename = "out/both.txt"
  content  = "hello"
  source   = "main.cp"
}

resource "local_file" "none" {
  filename = "out/none.txt"
}

resource "random_password" "short" {
  count       = 2
  length      = 4
  min_upper   = 2
  min_numeric = 3
}

resource "local_file" "fine" {
  filename = "out/fine.txt"
  content  = "ok"
}
