resource "random_id" "x" {
  byte_length = 4
}

import {
  to = random_id.x
  id = "AAAA"
}
