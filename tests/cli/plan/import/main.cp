# import blocks: plan reads each object through its type's import function
# (nothing is saved until apply: tests/apply/blocks_test.sh applies them);
# objects matching their config will be imported, with no other change.
import {
  to = random_id.a
  id = "q9Zbg1Y"
}

resource "random_id" "a" {
  byte_length = 5
}

import {
  to = random_id.web
  id = "web-,q9Zbg1Y"
}

resource "random_id" "web" {
  byte_length = 5
  prefix      = "web-"
}
