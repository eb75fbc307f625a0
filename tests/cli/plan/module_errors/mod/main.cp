variable "cidr" {
  type = string
}

variable "name" {
  type = string
}

variable "zones" {
  type = list(string)
}

output "vpc_id" {
  value = "${var.name}-${var.cidr}"
}
