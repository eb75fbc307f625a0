variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "greeting" {
  type    = string
  default = "hello"
}
