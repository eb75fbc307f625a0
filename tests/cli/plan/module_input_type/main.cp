module "m" {
  source = "./mod"
  size   = "big"
  zone   = "abc"
}

module "counted" {
  source = "./mod"
  count  = "two"
  size   = 2
}
