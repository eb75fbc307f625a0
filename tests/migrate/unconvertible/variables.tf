variable "region" {
  type    = string
  default = "us-west-2"
}

variable "token" {
  type      = string
  default   = "none"
  ephemeral = true
}

variable "owner" {
  type = string
}

variable "db_password" {
  type      = string
  sensitive = true
}
