output "url" {
  description = "The public home page."
  value       = "http://${aws_instance.web.public_dns}/"
}

output "public_ip" {
  description = "The instance's public address (for SSH as ec2-user)."
  value       = aws_instance.web.public_ip
}

output "image_url" {
  description = "The image shown on the home page, served by S3."
  value       = local.image_url
}
