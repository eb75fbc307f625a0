# CloudWatch Logs: one log group per service name, each with its own retention.

resource "aws_cloudwatch_log_group" "service" {
  for_each = var.services

  name              = "/logs-${terraform.workspace}/${each.key}"
  retention_in_days = each.value
  tags              = { Service = each.key }
}

output "log_groups" {
  value = [for g in aws_cloudwatch_log_group.service : g.name]
}
