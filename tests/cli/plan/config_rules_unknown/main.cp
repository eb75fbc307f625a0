# A rule whose arguments are known only after apply cannot be told at plan
# time: the plan goes on (create checks the rule again).
resource "random_id" "x" {
  byte_length = 4
}

resource "local_file" "from_id" {
  filename = "out/id.txt"
  content  = random_id.x.hex
}

resource "random_password" "p" {
  length    = 8
  min_upper = length(random_id.x.hex)
}
