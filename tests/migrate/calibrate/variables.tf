variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "app_image_tag" {
  type        = string
  default     = "latest"
  description = "Tag of the Django app image in this branch's app ECR repository (pushed outside cpstack)."
}

variable "nginx_image_tag" {
  type        = string
  default     = "latest"
  description = "Tag of the nginx image in this branch's nginx ECR repository (pushed outside cpstack)."
}

variable "db_password" {
  type        = string
  sensitive   = true
  description = "Password of the database's master user (8 or more characters); never shown by cpstack."

  validation {
    condition     = length(var.db_password) >= 8
    error_message = "db_password must have at least 8 characters."
  }
}

variable "db_username" {
  type        = string
  default     = "calibrate"
  description = "Master user name of the database (changing it replaces the database)."
}

variable "db_name" {
  type        = string
  default     = "calibrate"
  description = "Name of the database the app uses."
}

variable "db_instance_class" {
  type        = string
  default     = "db.t3.micro"
  description = "RDS instance class (changed in place)."
}

variable "db_allocated_storage" {
  type        = number
  default     = 20
  description = "Database storage in GiB."
}

variable "host_instance_type" {
  type        = string
  default     = "t3.small"
  description = "EC2 instance type of the ECS hosts."
}

variable "host_count" {
  type        = number
  default     = 1
  description = "How many ECS hosts the Auto Scaling group keeps (it may grow to twice that)."
}

variable "health_check_grace_period_seconds" {
  type        = number
  default     = 60
  description = "Seconds the load balancer's health checks are ignored after a task starts (0: not set)."
}

variable "task_memory" {
  type        = number
  default     = 0
  description = "Hard memory limit of the whole task in MiB (0: none; the containers reserve 448)."
}

variable "desired_count" {
  type        = number
  default     = 1
  description = "How many copies of the app task the service keeps running."
}

variable "django_settings_module" {
  type        = string
  default     = "calibrate.settings.production"
  description = "DJANGO_SETTINGS_MODULE of the app container."
}

variable "log_retention_days" {
  type        = number
  default     = 30
  description = "How long both containers' logs are kept."
}

variable "vpc_cidr" {
  type        = string
  default     = "10.40.0.0/16"
  description = "Address range of the VPC: public subnets take its /24s 0-1, private ones 10-11."
}
