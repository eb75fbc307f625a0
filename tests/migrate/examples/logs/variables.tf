variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "services" {
  type        = map(number)
  default     = { api = 30, worker = 7 }
  description = "Service name => days its logs are kept."
}
