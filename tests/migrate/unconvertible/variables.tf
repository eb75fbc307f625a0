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
