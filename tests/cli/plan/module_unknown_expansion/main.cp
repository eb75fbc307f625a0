# count and for_each must be known at plan, as in Terraform: on a module
# and on a resource, a value known only after apply is an error that says
# what to do.
resource "random_id" "a" {
  byte_length = 2
}

module "m" {
  source   = "./mod"
  for_each = toset([random_id.a.hex])
}

module "c" {
  source = "./mod"
  count  = length(random_id.a.hex)
}

resource "random_id" "b" {
  count       = length(random_id.a.hex)
  byte_length = 2
}
