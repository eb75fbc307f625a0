output "queue_url" {
  value = aws_sqs_queue.jobs.url
}

output "website_endpoint" {
  value = aws_s3_bucket_website_configuration.files.website_endpoint
}
