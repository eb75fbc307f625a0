# ACM: a DNS-validated certificate for the branch's site, and a wait until
# ACM has issued it (create the records of domain_validation_options in
# the zone that serves the domain; the wait lets what uses the
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

resource "aws_acm_certificate_validation" "site" {
  certificate_arn = aws_acm_certificate.site.arn
  validation_record_fqdns = [
    for dvo in aws_acm_certificate.site.domain_validation_options : dvo.resource_record_name
  ]
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
