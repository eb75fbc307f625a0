# A false precondition, or a postcondition false on the planned value,
# stops the plan at its condition with its error_message; one that is
# known only after apply waits for apply.
variable "length" {
  default = 3
}

resource "random_password" "db" {
  length = var.length
  lifecycle {
    precondition {
      condition     = var.length >= 12
      error_message = "database passwords need at least 12 characters"
    }
  }
}

resource "random_id" "tag" {
  byte_length = 2
  prefix      = "tag-"
  lifecycle {
    postcondition {
      condition     = self.prefix == "app-"
      error_message = "tags must start with app-"
    }
    postcondition {
      condition     = length(self.hex) == 4
      error_message = "hex is known after apply: checked then"
    }
  }
}
