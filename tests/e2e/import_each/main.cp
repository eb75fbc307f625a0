# e2e import with for_each (tests/e2e/import_each.sh): two buckets made
# outside cpstack, taken over by one import block, one per element.
variable "buckets" {
  default = {
    logs = "cpstack-import-each-logs"
    data = "cpstack-import-each-data"
  }
}

resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  bucket   = each.value
}

import {
  for_each = var.buckets
  to       = aws_s3_bucket.b[each.key]
  id       = each.value
}
