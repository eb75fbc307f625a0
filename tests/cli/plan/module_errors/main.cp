module "net" {
  source = "./mod"
  cidr   = "10.0.0.0/16"
  nmae   = "x"
}

module "remote" {
  source = "git::https://example.com/net.git"
}

output "a" {
  value = module.net.vpc_idd
}

output "b" {
  value = module.nett.vpc_id
}
