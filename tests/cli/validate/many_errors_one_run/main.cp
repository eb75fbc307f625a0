resource "aws_s3_bucket_policy" "a" {
  buckt  = "a-bucket"
  policy = "{}"
}

resource "aws_iam_role" "r" {
  name = "r"
}

resource "local_file" "f" {
  filename = local.nope
  content  = var.missing
}
