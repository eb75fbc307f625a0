# webserver: one public Apache web server on a nano Amazon Linux instance,
# a public S3 bucket holding the home page's image, and a CloudWatch alarm
# that stops (or terminates) the instance once it has been idle for an hour.
# Reference deployment 3 in shared/reference-deployments.md.

locals {
  prefix    = "webserver-${terraform.workspace}"
  image_key = "images/logo.png"
  image_url = "https://${aws_s3_bucket.images.bucket_regional_domain_name}/${local.image_key}"

  tags = {
    Stack  = "webserver"
    Branch = terraform.workspace
  }
}

data "aws_ami" "amazon_linux" {
  owners      = ["amazon"]
  most_recent = true

  filter {
    name   = "name"
    values = ["al2023-ami-2023.*-x86_64"]
  }

  filter {
    name   = "architecture"
    values = ["x86_64"]
  }
}
