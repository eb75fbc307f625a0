variable "greeting" {
  default = "from default"
}

output "greeting" {
  value = var.greeting
}
