module "m" {
  source = "./mod"
  size   = "big"
}

module "counted" {
  source = "./mod"
  count  = "two"
  size   = 2
}
