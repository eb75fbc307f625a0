# An import id must be known at plan time, and the object must exist.
resource "random_id" "seed" {
  byte_length = 4
}

import {
  to = random_id.a
  id = random_id.seed.b64_url
}

resource "random_id" "a" {
  byte_length = 4
}

import {
  to = random_id.b
  id = "not base64!"
}

resource "random_id" "b" {
  byte_length = 4
}
