resource "aws_security_group" "web" {
  name = "web"
  ingress {
    protocl   = "tcp"
    from_port = "eighty"
    to_port   = [80]
  }
}
