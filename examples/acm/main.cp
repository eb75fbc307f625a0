# ACM: a DNS-validated certificate for the branch's site, the Route 53
# zone that serves the domain with the records of domain_validation_options,
# and a wait until ACM has issued it (the wait lets what uses the
# certificate, such as an HTTPS listener, come after).
stack "acm" {
  region = "eu-west-1"
}

variable "owner" {
  type    = string
  default = "web"
}

resource "aws_acm_certificate" "site" {
  domain_name               = "acm-${stack.branch}.example.com"
  subject_alternative_names = ["www.acm-${stack.branch}.example.com"]
  validation_method         = "DNS"
  tags                      = { Name = "acm-${stack.branch}", Owner = var.owner }
}

resource "aws_route53_zone" "site" {
  name = "acm-${stack.branch}.example.com"
  tags = { Name = "acm-${stack.branch}" }
}

# One validation record per domain of the certificate (the domain and its one SAN).
resource "aws_route53_record" "validation" {
  count   = 2
  zone_id = aws_route53_zone.site.zone_id
  name    = tolist(aws_acm_certificate.site.domain_validation_options)[count.index].resource_record_name
  type    = tolist(aws_acm_certificate.site.domain_validation_options)[count.index].resource_record_type
  ttl     = 60
  records = [tolist(aws_acm_certificate.site.domain_validation_options)[count.index].resource_record_value]
}

resource "aws_acm_certificate_validation" "site" {
  certificate_arn         = aws_acm_certificate.site.arn
  validation_record_fqdns = aws_route53_record.validation[*].fqdn
}

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
