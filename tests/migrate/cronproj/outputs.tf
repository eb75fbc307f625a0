output "home_instance_id" {
  description = "The instance that runs cron."
  value       = aws_instance.home.id
}

output "home_public_ip" {
  description = "SSH to the home instance (ec2-user)."
  value       = aws_instance.home.public_ip
}

output "code_bucket" {
  description = "Bucket holding the job files (jobs/<name>/) and the crontab (bin/)."
  value       = aws_s3_bucket.code.id
}

output "ecr_repository_url" {
  description = "Push job images here: docker push <url>:<tag>."
  value       = aws_ecr_repository.jobs.repository_url
}

output "data_buckets" {
  description = "Job name => its data bucket."
  value       = { for name, b in aws_s3_bucket.data : name => b.id }
}

output "runner_access_key_id" {
  description = "Access key id of the IAM user the home instance signs in as."
  value       = aws_iam_access_key.runner.id
}

output "runner_secret_access_key" {
  description = "Its secret (shown only with cpstack output -json)."
  value       = aws_iam_access_key.runner.secret
  sensitive   = true
}
