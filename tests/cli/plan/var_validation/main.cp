variable "size" {
  type    = number
  default = 4
  validation {
    condition     = var.size >= 2 && var.size <= 8
    error_message = "size must be between 2 and 8 bytes"
  }
}

resource "random_id" "x" {
  byte_length = var.size
}
