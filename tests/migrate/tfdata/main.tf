# terraform_data and null_resource with their Terraform state, migrated
# (not -offline) by
# tests/migrate/golden.sh: the resources are kept, their objects imported
# with Terraform's {"value", "type"} wrapping of any-typed attributes
# removed, and the first plan shows no change.
variable "revision" {
  default = 3
}

resource "terraform_data" "revision" {
  input = var.revision
}

resource "terraform_data" "settings" {
  input            = { name = "web", ports = [80, 443] }
  triggers_replace = [var.revision]
}

resource "random_id" "suffix" {
  byte_length = 4
  lifecycle {
    replace_triggered_by = [terraform_data.revision]
  }
}

resource "null_resource" "gate" {
  triggers = { revision = tostring(var.revision) }
}

provider "null" {
}

output "settings_name" {
  value = terraform_data.settings.output.name
}
