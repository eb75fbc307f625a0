variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "https_description" {
  type        = string
  default     = "HTTPS from anywhere"
  description = "Description of the HTTPS rule."
}

variable "app_port" {
  type        = number
  default     = 8080
  description = "Port the app group listens on."
}
