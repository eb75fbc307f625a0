data "aws_amis" "al2" {
  most_recent = true
}
