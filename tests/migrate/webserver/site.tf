# The public bucket holding the home page's image, and the idle alarm.

resource "aws_s3_bucket" "images" {
  bucket        = "${local.prefix}-images"
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "images" {
  bucket                  = aws_s3_bucket.images.id
  block_public_acls       = false
  block_public_policy     = false
  ignore_public_acls      = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_policy" "public_read" {
  bucket = aws_s3_bucket.images.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicReadImages"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "${aws_s3_bucket.images.arn}/images/*"
    }]
  })

  depends_on = [aws_s3_bucket_public_access_block.images]
}

resource "aws_s3_object" "logo" {
  bucket       = aws_s3_bucket.images.id
  key          = local.image_key
  source       = "site/logo.png"
  etag         = filemd5("site/logo.png")
  content_type = "image/png"
  tags         = local.tags
}

resource "aws_cloudwatch_metric_alarm" "idle" {
  alarm_name          = "${local.prefix}-idle"
  alarm_description   = "${var.idle_action} ${local.prefix} when its CPU stays under ${var.idle_cpu_percent}% for an hour"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  dimensions          = { InstanceId = aws_instance.web.id }
  statistic           = "Average"
  period              = 300
  evaluation_periods  = 12
  comparison_operator = "LessThanThreshold"
  threshold           = var.idle_cpu_percent
  alarm_actions       = ["arn:aws:automate:${var.region}:ec2:${var.idle_action}"]
  tags                = local.tags
}
