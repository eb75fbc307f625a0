# CloudWatch Logs: one log group per service name, each with its own retention.
stack "logs" {
  region = "eu-west-1"
}

variable "services" {
  type        = map(number)
  default     = { api = 30, worker = 7 }
  description = "Service name => days its logs are kept."
}

resource "aws_cloudwatch_log_group" "service" {
  for_each = var.services

  name              = "/logs-${stack.branch}/${each.key}"
  retention_in_days = each.value
  tags              = { Service = each.key }
}

output "log_groups" {
  value = [for g in aws_cloudwatch_log_group.service : g.name]
}
