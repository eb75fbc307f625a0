# Mistakes in import blocks with for_each, found without evaluating.
resource "random_id" "r" {
  for_each    = toset(["a", "b"])
  byte_length = 4
}

import {
  to = random_id.r[each.key]
  id = "AAAA"
}

import {
  to = random_id.r["a"]
  id = each.value
}

import {
  for_each = ["a"]
  to       = random_id.r[count.index]
  id       = each.val
}

import {
  for_each = ["a"]
  to       = random_id.nope[each.key]
  id       = each.value
}

import {
  for_each = each.key
  to       = random_id.r[each.key]
  id       = "BBBB"
}

import {
  for_each = var.missing
  to       = "random_id.r"
  id       = "CCCC"
}

# import blocks belong in the root; from there they reach into modules.
module "m" {
  source = "./m"
}

import {
  to = module.m.random_id.y
  id = "DDDD"
}
