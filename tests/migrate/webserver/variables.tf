variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "instance_type" {
  type        = string
  default     = "t3.nano"
  description = "EC2 instance type of the web server."
}

variable "ssh_public_key" {
  type        = string
  default     = ""
  description = "OpenSSH public key allowed to log in as ec2-user; empty means no key pair."
}

variable "ssh_cidr" {
  type        = string
  default     = "0.0.0.0/0"
  description = "Addresses allowed to reach port 22."
}

variable "site_title" {
  type        = string
  default     = "Hello from cpstack"
  description = "Heading of the home page."
}

variable "idle_action" {
  type        = string
  default     = "stop"
  description = "What the idle alarm does to the instance: stop or terminate."

  validation {
    condition     = contains(["stop", "terminate"], var.idle_action)
    error_message = "idle_action must be \"stop\" or \"terminate\"."
  }
}

variable "idle_cpu_percent" {
  type        = number
  default     = 1
  description = "Average CPU (percent) under which the instance counts as idle."
}
