variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "visibility_timeout" {
  type        = number
  default     = 30
  description = "Seconds a received job stays hidden from other workers."
}

variable "config_path" {
  type        = string
  default     = "/app-data/config"
  description = "Where the app's configuration parameter lives (per workspace below it)."
}

variable "nightly_schedule" {
  type        = string
  default     = "cron(0 3 * * ? *)"
  description = "When EventBridge queues the nightly job (UTC)."
}

variable "db_password" {
  type        = string
  default     = "change-me-please"
  sensitive   = true
  description = "The app's database password (kept in Secrets Manager)."
}
