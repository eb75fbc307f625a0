# import for_each must be known at plan; two elements importing into one
# address are an error naming both; a key must be a string or a number.
resource "random_id" "seed" {
  byte_length = 4
}

resource "random_id" "r" {
  for_each    = toset(["a", "b"])
  byte_length = 3
}

import {
  for_each = { x = random_id.seed.hex }
  to       = random_id.r[each.key]
  id       = "AAAA"
}

import {
  for_each = { x = "a", y = "a" }
  to       = random_id.r[each.value]
  id       = "BBBB"
}

import {
  to = random_id.r["b"]
  id = "CCCC"
}

import {
  for_each = ["b"]
  to       = random_id.r[each.value]
  id       = "DDDD"
}

import {
  for_each = { k = true }
  to       = random_id.r[each.value]
  id       = "EEEE"
}

import {
  for_each = "a"
  to       = random_id.r[each.key]
  id       = "FFFF"
}
