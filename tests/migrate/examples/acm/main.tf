# ACM: a DNS-validated certificate, the Route 53 zone serving its domain
# with the validation records, and the wait until ACM has issued it.

locals {
  domain = "acm-${terraform.workspace}.example.com"
}

resource "aws_acm_certificate" "site" {
  domain_name               = local.domain
  subject_alternative_names = ["www.${local.domain}"]
  validation_method         = "DNS"
  tags                      = { Name = "acm-${terraform.workspace}", Owner = var.owner }
}

resource "aws_route53_zone" "site" {
  name = local.domain
  tags = { Name = "acm-${terraform.workspace}" }
}

# One validation record per domain of the certificate (the domain and its SAN).
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
