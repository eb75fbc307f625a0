variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "cpu_high_percent" {
  type    = number
  default = 80
}
