variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "owner" {
  type        = string
  default     = "web"
  description = "Owner tag of the certificate."
}
