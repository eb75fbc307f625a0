output "url" {
  description = "The app, as a user opens it."
  value       = "http://${aws_lb.main.dns_name}"
}

output "alb_dns_name" {
  description = "The load balancer's DNS name."
  value       = aws_lb.main.dns_name
}

output "db_address" {
  description = "Host name of the PostgreSQL database (reachable from the ECS hosts only)."
  value       = aws_db_instance.main.address
}

output "app_repository_url" {
  description = "Where the Django app image is pushed: docker push <this>:<app_image_tag>."
  value       = aws_ecr_repository.app.repository_url
}

output "nginx_repository_url" {
  description = "Where the nginx image is pushed: docker push <this>:<nginx_image_tag>."
  value       = aws_ecr_repository.nginx.repository_url
}
