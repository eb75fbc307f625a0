# import blocks with for_each: each.key and each.value in to's keys and id.
variable "buckets" {
  default = { logs = "AAAA", data = "BBBB" }
}

resource "random_id" "r" {
  for_each    = var.buckets
  byte_length = 3
}

import {
  for_each = var.buckets
  to       = random_id.r[each.key]
  id       = "${each.value}"
}
