variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "email" {
  type        = string
  default     = "ops@example.com"
  description = "Who receives the notifications."
}
