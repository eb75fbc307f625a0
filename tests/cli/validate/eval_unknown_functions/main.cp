# Unknown function names are found wherever they are, used or not.
variable "env" {
  type    = string
  default = "dev"
  validation {
    condition     = contians(["dev", "prod"], var.env)
    error_message = "env must be dev or prod"
  }
}

locals {
  unused  = nosuchfn(1)
  typo    = jsonencod({ a = 1 })
  nested  = [for s in ["a"] : uppr(s)]
  in_tmpl = "id-${md6(var.env)}"
}

resource "random_id" "x" {
  byte_length = 4
  keepers = {
    when = timestmp()
  }
}

output "o" {
  value = lenght(local.typo)
}
