# AWS's own input rules (src/providers/aws/rules.c) stop the plan at the
# argument once values from variables and locals are known, before
# anything is created: S3 and ECS tag values may not hold '*' or '<', an
# alarm has at most 5 actions; the valid topic passes.
variable "schedule" {
  default = "30 2 * * 0"
}

locals {
  team = "ops team"
}

resource "aws_s3_bucket" "jobs" {
  bucket = "acme-jobs-golden"
  tags   = { Schedule = var.schedule }
}

resource "aws_ecs_cluster" "apps" {
  name = "apps"
  tags = { Owner = "${local.team} <ops@example.com>" }
}

resource "aws_cloudwatch_metric_alarm" "cpu" {
  alarm_name          = "cpu"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "CPUUtilization"
  namespace           = "AWS/EC2"
  period              = 60
  statistic           = "Average"
  threshold           = 80
  alarm_actions       = [for i in range(6) : "arn:aws:sns:eu-west-1:123456789012:t${i}"]
}

resource "aws_sns_topic" "fine" {
  name = "fine-topic"
  tags = { Team = local.team }
}
