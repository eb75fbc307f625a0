module "gone" {
  source = "./missing"
}
