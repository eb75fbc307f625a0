# Mistakes in moved, removed, import and check blocks.
resource "random_id" "a" {
  byte_length = 4
}

moved {
  from = random_id.a
  to   = random_id.b
}

moved {
  from = random_id.c
  to   = random_password.c
}

moved {
  from = "random_id.d"
  to   = random_id.e
  form = 1
}

removed {
  from = random_id.a
}

removed {
  lifecycle {
    destroy = "no"
  }
}

import {
  to = random_id.nowhere
  id = "x"
}

import {
  to = random_id.a
}

check "c" {
}

check "d" {
  assert {
    condition = random_id.aa.hex != ""
  }
}

chek "e" {
}
