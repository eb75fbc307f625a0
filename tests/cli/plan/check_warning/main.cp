# check blocks never stop a plan: a false assert is a warning naming the
# check and its error_message; one known only after apply says nothing.
variable "env" {
  default = "staging"
}

resource "random_id" "x" {
  byte_length = 4
}

check "env_is_prod" {
  assert {
    condition     = var.env == "prod"
    error_message = "this stack is meant for prod, not ${var.env}"
  }
  assert {
    condition     = length(random_id.x.hex) == 8
    error_message = "known after apply"
  }
}
