stack "demo" {
  region = "us-east-1"
}

variable "prefix" {
  type    = string
  default = "demo"
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "local_file" "greeting" {
  filename = "${path.root}/out/${var.prefix}-${random_id.suffix.hex}.txt"
  content  = "hello from ${stack.name} on ${stack.branch}\n"
}

output "file" {
  value = local_file.greeting.filename
}
