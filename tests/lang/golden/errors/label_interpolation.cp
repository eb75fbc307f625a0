resource "aws_${var.x}" "y" {
}
