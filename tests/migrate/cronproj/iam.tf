# Who may do what: the IAM user the home instance signs in as, the role of
# the temporary job instances, and the role of the terminator functions.

resource "aws_iam_user" "runner" {
  name          = "${local.prefix}-runner"
  force_destroy = true
  tags          = local.tags
}

resource "aws_iam_access_key" "runner" {
  user = aws_iam_user.runner.name
}

resource "aws_iam_user_policy" "ecr" {
  name = "ecr-access"
  user = aws_iam_user.runner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ecr:GetAuthorizationToken"]
        Resource = "*"
      },
      {
        Effect = "Allow"
        Action = [
          "ecr:BatchCheckLayerAvailability",
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
        ]
        Resource = aws_ecr_repository.jobs.arn
      },
    ]
  })
}

resource "aws_iam_user_policy" "run_instances" {
  name = "run-instances"
  user = aws_iam_user.runner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:RunInstances", "ec2:CreateTags", "ec2:DescribeInstances"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = "iam:PassRole"
        Resource = aws_iam_role.job.arn
      },
    ]
  })
}

resource "aws_iam_user_policy" "s3" {
  name = "s3-access"
  user = aws_iam_user.runner.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
      Resource = [
        aws_s3_bucket.code.arn,
        "${aws_s3_bucket.code.arn}/*",
        aws_s3_bucket.instances.arn,
        "${aws_s3_bucket.instances.arn}/*",
      ]
    }]
  })
}

resource "aws_iam_user_policy_attachment" "runner" {
  for_each = toset(var.user_managed_policy_arns)

  user       = aws_iam_user.runner.name
  policy_arn = each.value
}

# The role of the temporary instances that run the jobs.
resource "aws_iam_role" "job" {
  name        = "${local.prefix}-job"
  description = "Temporary cronproj job instances (${terraform.workspace})"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  force_detach_policies = true
  tags                  = local.tags
}

resource "aws_iam_role_policy_attachment" "job" {
  for_each = toset(var.role_managed_policy_arns)

  role       = aws_iam_role.job.name
  policy_arn = each.value
}

resource "aws_iam_instance_profile" "job" {
  name = "${local.prefix}-job"
  role = aws_iam_role.job.name
  tags = local.tags
}

# The role of the Lambda functions that terminate finished job instances.
resource "aws_iam_role" "terminator" {
  name = "${local.prefix}-terminator"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "terminator" {
  name = "terminate-job-instances"
  role = aws_iam_role.terminator.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["ec2:TerminateInstances"]
        Resource = "*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:DeleteObject"]
        Resource = "${aws_s3_bucket.instances.arn}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = "*"
      },
    ]
  })
}
