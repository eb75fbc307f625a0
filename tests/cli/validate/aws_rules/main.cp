# AWS's own input rules on literal values fail validate at the argument:
# a tag key AWS reserves, an enum value, a number out of range, a list too long.
resource "aws_ecr_repository" "app" {
  name = "app"
  tags = { "aws:team" = "ops" }
}

resource "aws_iam_access_key" "k" {
  user   = "ops"
  status = "Enabled"
}

resource "aws_lb_target_group" "tg" {
  name     = "tg"
  port     = 70000
  protocol = "HTTP"
}

resource "aws_cloudwatch_metric_alarm" "a" {
  alarm_name          = "a"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 1
  metric_name         = "CPUUtilization"
  namespace           = "AWS/EC2"
  period              = 60
  statistic           = "Average"
  threshold           = 80
  alarm_actions       = ["a1", "a2", "a3", "a4", "a5", "a6"]
}

resource "aws_s3_bucket" "fine" {
  bucket = "acme-fine-golden"
  tags   = { Name = "fine bucket", "Cost:Center" = "a/b=c+d-e@f_g.h" }
}

# a rule of a nested block's argument is reported at that argument
resource "aws_lb_target_group" "hc" {
  name     = "hc"
  port     = 80
  protocol = "HTTP"
  health_check {
    path     = "/"
    interval = 1
  }
}
