output "certificate_arn" {
  value = aws_acm_certificate_validation.site.certificate_arn
}

output "validation_records" {
  value = {
    for dvo in aws_acm_certificate.site.domain_validation_options :
    dvo.domain_name => "${dvo.resource_record_name} CNAME ${dvo.resource_record_value}"
  }
}

output "name_servers" {
  value = aws_route53_zone.site.name_servers
}
