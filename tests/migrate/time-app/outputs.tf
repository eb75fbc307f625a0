output "url" {
  description = "The current UTC time, as a user opens it."
  value       = "http://${aws_lb.main.dns_name}/now"
}

output "alb_dns_name" {
  description = "The load balancer's DNS name."
  value       = aws_lb.main.dns_name
}
