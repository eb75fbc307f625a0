# The shared pieces: code and instance buckets, the job image repository,
# the SSH-only security group and the home instance that runs cron.

resource "aws_s3_bucket" "code" {
  bucket        = "${local.prefix}-code"
  force_destroy = true
  tags          = local.tags
}

resource "aws_s3_bucket" "instances" {
  bucket        = "${local.prefix}-instances"
  force_destroy = true
  tags          = local.tags
}

resource "aws_ecr_repository" "jobs" {
  name                 = "${local.prefix}-jobs"
  image_tag_mutability = "MUTABLE"
  force_delete         = true

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = local.tags
}

resource "aws_security_group" "ssh" {
  name        = "${local.prefix}-ssh"
  description = "SSH only, for the cronproj instances"

  ingress {
    description = "SSH"
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = [var.ssh_cidr]
  }

  egress {
    description = "everything out (packages, AWS APIs)"
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.tags
}

# The script cron runs for a job, and the crontab itself.
resource "aws_s3_object" "run_job" {
  bucket = aws_s3_bucket.code.id
  key    = "bin/run_job.sh"
  source = "scripts/run_job.sh"
  etag   = filemd5("scripts/run_job.sh")
}

resource "aws_s3_object" "crontab" {
  bucket       = aws_s3_bucket.code.id
  key          = "bin/crontab"
  content      = local.crontab
  content_type = "text/plain"
}

resource "aws_instance" "home" {
  ami                    = data.aws_ami.amazon_linux.image_id
  instance_type          = var.home_instance_type
  vpc_security_group_ids = [aws_security_group.ssh.id]

  user_data = templatefile("home_user_data.sh.tftpl", {
    region            = var.region
    timezone          = var.cron_timezone
    access_key_id     = aws_iam_access_key.runner.id
    secret_access_key = aws_iam_access_key.runner.secret
    code_bucket       = aws_s3_bucket.code.id
    instance_bucket   = aws_s3_bucket.instances.id
    job_profile       = aws_iam_instance_profile.job.name
    job_ami           = data.aws_ami.amazon_linux.image_id
    job_instance_type = var.job_instance_type
    security_group_id = aws_security_group.ssh.id
  })

  tags = merge(local.tags, { Name = "${local.prefix}-home" })
}
