variable "size" {
  type = number
}

resource "random_id" "x" {
  byte_length = var.size
}

variable "zone" {
  type    = string
  default = "a"
  validation {
    condition     = length(var.zone) == 1
    error_message = "zone is one letter"
  }
}
