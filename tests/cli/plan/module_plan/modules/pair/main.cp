variable "n" {
  type = number
}

module "pets" {
  source = "../pet"
  count  = var.n
  bytes  = 8 + count.index
  label  = "pair-${count.index}"
}

output "bytes" {
  value = [for p in module.pets : p.label]
}
