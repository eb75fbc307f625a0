# CloudWatch: an instance with two alarms: high CPU notifies an SNS topic, a week of idleness stops it.

locals {
  prefix = "cloudwatch-${terraform.workspace}"
}

data "aws_ami" "amazon_linux" {
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }
}

resource "aws_instance" "worker" {
  ami           = data.aws_ami.amazon_linux.image_id
  instance_type = "t3.nano"
  monitoring    = true
  tags          = { Name = "${local.prefix}-worker" }
}

resource "aws_sns_topic" "alerts" {
  name = "${local.prefix}-alerts"
}

resource "aws_cloudwatch_metric_alarm" "cpu_high" {
  alarm_name          = "${local.prefix}-cpu-high"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { InstanceId = aws_instance.worker.id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.cpu_high_percent
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "idle" {
  alarm_name          = "${local.prefix}-idle"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { InstanceId = aws_instance.worker.id }
  statistic           = "Maximum"
  period              = 86400
  evaluation_periods  = 7
  comparison_operator = "LessThanThreshold"
  threshold           = 2
  alarm_actions       = ["arn:aws:automate:${var.region}:ec2:stop"]
}
