# A local module used three ways: once, with for_each, and (inside the
# "pair" module) with count, nested one level down.
module "one" {
  source = "./modules/pet"
  bytes  = 4
}

module "many" {
  source   = "./modules/pet"
  for_each = { a = 2, bb = 3 }
  bytes    = each.value
  label    = "many-${each.key}"
}

module "pair" {
  source = "./modules/pair"
  n      = 2
}

output "one_dir" {
  value = module.one.dir
}

output "labels" {
  value = { for k, m in module.many : k => m.label }
}

output "pair_bytes" {
  value = module.pair.bytes
}
