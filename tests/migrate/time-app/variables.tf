variable "region" {
  type        = string
  default     = "eu-west-1"
  description = "AWS region of every object."
}

variable "image" {
  type        = string
  description = "Repository of the time app's image, built from app/ and pushed outside cpstack (e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/time-app)."
}

variable "image_tag" {
  type        = string
  default     = "latest"
  description = "Tag of var.image to run; a new tag registers a new task definition revision."
}

variable "container_port" {
  type        = number
  default     = 8080
  description = "Port the Flask app listens on inside the container."
}

variable "desired_count" {
  type        = number
  default     = 1
  description = "How many copies of the task the service keeps running."
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

variable "vpc_cidr" {
  type        = string
  default     = "10.30.0.0/16"
  description = "Address range of the VPC; the three subnets are its first three /24s."
}
