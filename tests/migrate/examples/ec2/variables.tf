variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "instance_type" {
  type    = string
  default = "t3.nano"
}
