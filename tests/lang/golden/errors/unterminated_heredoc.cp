locals {
  script = <<EOF
echo hello
