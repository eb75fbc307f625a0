output "assets_bucket" {
  value = aws_s3_bucket.assets.bucket
  precondition {
    condition     = aws_s3_bucket.assets.bucket != ""
    error_message = "The bucket has a name."
  }
}

output "queue" {
  value     = module.queue.name
  ephemeral = false
}
