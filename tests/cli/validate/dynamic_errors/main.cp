# Mistakes in dynamic blocks, each reported where it is written: content
# checked against the nested block's schema, a label that is no block of
# the type, the dynamic block's own arguments, and iterator references.
resource "aws_security_group" "web" {
  name        = "web"
  description = "web"

  dynamic "ingress" {
    for_each = [80]
    content {
      protocol  = "tcp"
      form_port = ingress.value
      to_port   = ingress.vaule
    }
  }

  dynamic "ingres" {
    for_each = [1]
    content {}
  }

  dynamic "egress" {
    for_eahc = [1]
    content {
      protocol  = "-1"
      from_port = 0
      to_port   = rule.value
    }
  }

  dynamic "egress" {
    for_each = [1]
  }
}
