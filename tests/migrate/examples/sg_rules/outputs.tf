output "https_rule_id" {
  value = aws_vpc_security_group_ingress_rule.https.security_group_rule_id
}
