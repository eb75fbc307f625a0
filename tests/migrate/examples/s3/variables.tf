variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "prefix" {
  type        = string
  default     = "s3"
  description = "First part of every name (bucket names are global: pick your own)."
}

variable "versioning_status" {
  type        = string
  default     = "Enabled"
  description = "Enabled (keep every version of every object) or Suspended."
  validation {
    condition     = contains(["Enabled", "Suspended"], var.versioning_status)
    error_message = "versioning_status is Enabled or Suspended."
  }
}
