# moved, removed, import and check blocks, and the lifecycle settings
# replace_triggered_by, precondition and postcondition, all well formed.
variable "bucket_id" {
  default = "old-logs"
}

resource "random_id" "logs" {
  count       = 2
  byte_length = 4
}

moved {
  from = random_id.old_logs
  to   = random_id.logs[0]
}

moved {
  from = random_id.logs[2]
  to   = random_id.logs[1]
}

removed {
  from = random_id.legacy
  lifecycle {
    destroy = false
  }
}

import {
  to = aws_s3_bucket.logs
  id = var.bucket_id
}

resource "aws_s3_bucket" "logs" {
  bucket = var.bucket_id
  lifecycle {
    replace_triggered_by = [random_id.logs[0], random_id.logs[1].hex]
    precondition {
      condition     = length(var.bucket_id) > 2
      error_message = "bucket_id is too short"
    }
    postcondition {
      condition     = self.bucket == var.bucket_id
      error_message = "the bucket has another name"
    }
  }
}

check "names" {
  assert {
    condition     = aws_s3_bucket.logs.bucket != ""
    error_message = "the bucket has no name"
  }
}
