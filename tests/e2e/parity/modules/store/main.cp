# A bucket with an index object that lists its files (a %{for} template).
# Its provider instance is the caller's: the default one, or the one
# passed with providers = { aws = … }.
variable "name" {
  type = string
}

variable "owner" {
  type = string
}

variable "index_key" {
  type    = string
  default = "index.txt"
}

variable "files" {
  type = list(string)
}

resource "aws_s3_bucket" "this" {
  bucket        = var.name
  force_destroy = true
  tags          = { Owner = var.owner }
}

resource "aws_s3_object" "index" {
  bucket       = aws_s3_bucket.this.id
  key          = var.index_key
  content_type = "text/plain"
  content      = <<-EOT
    files of ${var.name}:
    %{for f in var.files~}
    - ${f}
    %{endfor~}
  EOT
}

output "bucket" {
  value = aws_s3_bucket.this.id
}
