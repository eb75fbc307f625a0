# e2e drift (tests/e2e/drift.sh): one bucket whose tags are changed behind
# cpstack's back.
resource "aws_s3_bucket" "b" {
  bucket = "cpstack-drift-${stack.branch}"
  tags = {
    team = "core"
  }
}
