resource "aws_iam_role" "r" {
  name = "r"
  tags = {
    a = 1

