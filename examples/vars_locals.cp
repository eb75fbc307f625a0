// Variables, locals and outputs; a local file written from them.
variable "env" {
  type        = string
  default     = "dev"
  description = "deployment environment"

  validation {
    condition     = contains(["dev", "staging", "prod"], var.env)
    error_message = "env must be dev, staging or prod."
  }
}

variable "owners" {
  type    = list(string)
  default = ["alice", "bob"]
}

variable "db_password" {
  type      = string
  sensitive = true
}

locals {
  prefix     = "app-${var.env}"
  is_prod    = var.env == "prod"
  replicas   = local.is_prod ? 3 : 1
  owner_tags = { for i, o in var.owners : "owner_${i}" => upper(o) }
  all_tags   = merge(local.owner_tags, { Env = var.env })
  /* a multi-line
     comment */
  summary = format("%s has %d replicas", local.prefix, local.replicas * 1)
}

resource "local_file" "config" {
  filename = "${path.module}/out/${local.prefix}.json"
  content = jsonencode({
    prefix   = local.prefix
    replicas = local.replicas
    tags     = local.all_tags
  })
}

output "prefix" {
  value       = local.prefix
  description = "name prefix"
}

output "password" {
  value     = var.db_password
  sensitive = true
}
