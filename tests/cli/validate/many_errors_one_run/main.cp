resource "aws_s3_bucket" "a" {
  buckt = "a-bucket"
}

resource "aws_iam_role" "r" {
  name = "r"
}

resource "local_file" "f" {
  filename = local.nope
  content  = var.missing
}
