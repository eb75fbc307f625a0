variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "image_tag" {
  type        = string
  default     = "latest"
  description = "Tag of the app image in this branch's ECR repository (pushed by CI, outside cpstack)."
}

variable "certificate_arn" {
  type        = string
  description = "ARN of the ACM certificate the HTTPS listener presents."
}

variable "alarm_email" {
  type        = string
  description = "E-mail address the high-CPU alarm notifies (the address must confirm the SNS subscription)."
}

variable "container_port" {
  type        = number
  default     = 5000
  description = "Port the Flask app listens on inside the container."
}

variable "task_cpu" {
  type        = number
  default     = 256
  description = "Fargate task CPU units (256 = 0.25 vCPU)."
}

variable "task_memory" {
  type        = number
  default     = 512
  description = "Fargate task memory in MiB."
}

variable "health_check_grace_period_seconds" {
  type        = number
  default     = 30
  description = "Seconds the load balancer's health checks are ignored after a task starts (0: not set)."
}

variable "desired_count" {
  type        = number
  default     = 1
  description = "Tasks started at first; autoscaling moves it between min_tasks and max_tasks."
}

variable "min_tasks" {
  type        = number
  default     = 1
  description = "Fewest tasks autoscaling keeps."
}

variable "max_tasks" {
  type        = number
  default     = 4
  description = "Most tasks autoscaling starts."
}

variable "scaling_cpu_target" {
  type        = number
  default     = 50
  description = "Average service CPU (percent) autoscaling aims for."
}

variable "alarm_cpu_percent" {
  type        = number
  default     = 70
  description = "Average service CPU (percent) above which the alarm mails alarm_email."
}

variable "log_retention_days" {
  type        = number
  default     = 14
  description = "How long the app's CloudWatch logs are kept."
}

variable "vpc_cidr" {
  type        = string
  default     = "10.20.0.0/16"
  description = "Address range of the VPC; the two public subnets are its first two /24s."
}
