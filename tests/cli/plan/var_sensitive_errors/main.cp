variable "pin" {
  type      = number
  sensitive = true
}

variable "codes" {
  type      = list(number)
  sensitive = true
}

variable "fallback" {
  type      = number
  sensitive = true
  default   = "pa55word"
}

variable "tokens" {
  type      = list(string)
  sensitive = true
}

variable "key" {
  type      = string
  sensitive = true
  validation {
    condition     = length(var.key) > 10
    error_message = "key ${var.key} is too short"
  }
}

resource "random_id" "x" {
  byte_length = 8
}
