# SNS: a topic with an e-mail subscription (confirmed by the recipient).

resource "aws_sns_topic" "ops" {
  name         = "sns-${terraform.workspace}-ops"
  display_name = "Ops notifications (${terraform.workspace})"
}

resource "aws_sns_topic_subscription" "email" {
  topic_arn = aws_sns_topic.ops.arn
  protocol  = "email"
  endpoint  = var.email
}

output "topic_arn" {
  value = aws_sns_topic.ops.arn
}
