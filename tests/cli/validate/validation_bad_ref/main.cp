variable "a" {
  default = "x"
}

variable "b" {
  default = "y"
  validation {
    condition     = var.a == "x"
    error_message = "b must be y"
  }
}
