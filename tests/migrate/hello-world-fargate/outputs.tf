output "url" {
  description = "The app, over HTTPS (point a DNS name covered by the certificate at the load balancer)."
  value       = "https://${aws_lb.main.dns_name}"
}

output "alb_dns_name" {
  description = "The load balancer's DNS name."
  value       = aws_lb.main.dns_name
}

output "ecr_repository_url" {
  description = "Where CI pushes the app image: docker push <this>:<image_tag>."
  value       = aws_ecr_repository.app.repository_url
}

output "log_group" {
  description = "CloudWatch log group of the app's containers."
  value       = aws_cloudwatch_log_group.app.name
}
