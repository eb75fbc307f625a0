# import blocks with for_each: one import per element of a map (each.key,
# each.value), a list (each.key is the index) or toset(…) (each.key is the
# member); to may name a module instance's resource.
variable "ids" {
  default = { a = "q9Zbg1Y", b = "AAAAAAA" }
}

resource "random_id" "m" {
  for_each    = var.ids
  byte_length = 5
}

import {
  for_each = var.ids
  to       = random_id.m[each.key]
  id       = each.value
}

resource "random_id" "l" {
  count       = 2
  byte_length = 3
}

import {
  for_each = ["AAAA", "BBBB"]
  to       = random_id.l[each.key]
  id       = each.value
}

resource "random_id" "s" {
  for_each    = toset(["CCCC"])
  byte_length = 3
}

import {
  for_each = toset(["CCCC"])
  to       = random_id.s[each.key]
  id       = each.key
}

module "m" {
  source   = "./m"
  for_each = toset(["p", "q"])
}

import {
  for_each = { p = "web-,DDDD", q = "web-,EEEE" }
  to       = module.m[each.key].random_id.x
  id       = each.value
}

# without for_each, a key of to may still be an expression known at plan
variable "key" {
  default = "k"
}

resource "random_id" "v" {
  for_each    = toset(["k"])
  byte_length = 3
}

import {
  to = random_id.v[var.key]
  id = "FFFF"
}
