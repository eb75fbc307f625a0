# Mistakes in lifecycle conditions and replace_triggered_by.
resource "random_id" "a" {
  byte_length = 4
  lifecycle {
    replace_triggered_by = [random_id.b, "random_id.c", random_id.zz.hex]
    precondition {
      condition = self.hex != ""
    }
    precondition {
      condition     = self.hex != ""
      error_message = "no self in a precondition"
    }
    postcondition {
      condition     = self.hex != ""
      error_mesage  = "typo"
    }
    postcondtion {
    }
  }
}

resource "random_id" "b" {
  byte_length = 4
  lifecycle {
    replace_triggered_by = random_id.a
  }
}
