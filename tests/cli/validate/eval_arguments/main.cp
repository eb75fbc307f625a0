# Wrong argument counts and literal arguments out of range, without state.
variable "cidr" {
  default = "10.0.0.0/16"
}

locals {
  too_many   = upper("a", "b")
  too_few    = cidrsubnet("10.0.0.0/16", 8)
  netnum     = cidrsubnet("10.0.0.0/16", 8, 256)
  newbits    = cidrsubnet("10.0.0.0/30", 8, 0)
  bad_prefix = cidrhost("10.0.0.0", 1)
  empty      = element([], 0)
  noroom     = cidrsubnets("10.0.0.0/30", 1, 1, 1)
  # depends on a variable: not known until plan, so not checked here
  later      = cidrsubnet(var.cidr, 8, 256)
  caught     = try(cidrsubnet("10.0.0.0/16", 8, 256), "fallback")
}
