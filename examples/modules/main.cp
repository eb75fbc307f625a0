# Modules: one local module (modules/site: a private, versioned S3 bucket
# with an index object) used twice — once for the access logs, once per
# site with for_each — plus a root object that lists what the module
# instances made, through their outputs.
stack "modules" {
  region = "eu-west-1"
}

variable "sites" {
  type        = set(string)
  default     = ["www", "docs"]
  description = "One site bucket per name."
}

variable "owner" {
  type        = string
  default     = "platform"
  description = "Owner tag of the log bucket."
}

variable "manifest_key" {
  type        = string
  default     = "manifest.json"
  description = "Key of the manifest object in the log bucket."
}

module "logs" {
  source = "./modules/site"
  name   = "${stack.name}-${stack.branch}-logs"
  tags   = { Owner = var.owner }
}

module "site" {
  source   = "./modules/site"
  for_each = var.sites
  name     = "${stack.name}-${stack.branch}-${each.key}"
  index    = "<h1>${each.key}</h1>"
  log_to   = module.logs.bucket
}

resource "aws_s3_object" "manifest" {
  bucket       = module.logs.bucket
  key          = var.manifest_key
  content      = jsonencode({ for k, s in module.site : k => s.bucket })
  content_type = "application/json"
}

output "site_buckets" {
  value = { for k, s in module.site : k => s.arn }
}

output "log_bucket" {
  value = module.logs.arn
}
