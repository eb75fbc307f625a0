# Errors found by evaluating never show a sensitive value.
variable "token" {
  type      = number
  default   = "s3cr3t-t0ken"
  sensitive = true
}

locals {
  secret = sensitive("hunter2")
  bad    = cidrsubnet(sensitive("10.9.9.9"), 8, 1)
  fine   = nonsensitive(sensitive("shown"))
  count  = tonumber(sensitive("n0t-a-number"))
}
