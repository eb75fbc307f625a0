# SNS: a topic with an e-mail subscription (confirmed by the recipient).
stack "sns" {
  region = "eu-west-1"
}

variable "email" {
  type        = string
  default     = "ops@example.com"
  description = "Who receives the notifications."
}

resource "aws_sns_topic" "ops" {
  name         = "sns-${stack.branch}-ops"
  display_name = "Ops notifications (${stack.branch})"
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.ops.arn
  protocol  = "email"
  endpoint  = var.email
}

output "topic_arn" {
  value = aws_sns_topic.ops.arn
}
