variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}
