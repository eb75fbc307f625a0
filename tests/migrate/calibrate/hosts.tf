# The ECS hosts: their IAM role and policy (what the ECS agent does on the
# host: register with the cluster, pull images, write logs), the instance
# profile carrying it, a launch template from the ECS-optimized AMI that
# joins the cluster, and the Auto Scaling group keeping host_count of them.
# The ECS service role is AWS's service-linked role AWSServiceRoleForECS,
# which ECS creates on first use: nothing to declare here.

resource "aws_iam_role" "ecs_host" {
  name        = "${local.prefix}-ecs-host"
  description = "Role of the ${local.prefix} ECS container instances"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ec2.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
  tags = local.tags
}

resource "aws_iam_role_policy" "ecs_host" {
  name = "ecs-container-instance"
  role = aws_iam_role.ecs_host.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "EcsAgent"
        Effect = "Allow"
        Action = [
          "ecs:CreateCluster", "ecs:DeregisterContainerInstance", "ecs:DiscoverPollEndpoint",
          "ecs:Poll", "ecs:RegisterContainerInstance", "ecs:StartTelemetrySession",
          "ecs:UpdateContainerInstancesState", "ecs:Submit*", "ecs:TagResource",
        ]
        Resource = "*"
      },
      {
        Sid    = "PullImages"
        Effect = "Allow"
        Action = [
          "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
          "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
        ]
        Resource = "*"
      },
      {
        Sid      = "WriteLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.app.arn}:*", "${aws_cloudwatch_log_group.nginx.arn}:*"]
      },
    ]
  })
}

resource "aws_iam_instance_profile" "ecs_host" {
  name = "${local.prefix}-ecs-host"
  role = aws_iam_role.ecs_host.name
  tags = local.tags
}

resource "aws_launch_template" "ecs_host" {
  name                   = "${local.prefix}-ecs-host"
  description            = "ECS container instances of ${local.prefix}"
  image_id               = data.aws_ami.ecs.image_id
  instance_type          = var.host_instance_type
  vpc_security_group_ids = [aws_security_group.ecs_hosts.id]
  update_default_version = true

  iam_instance_profile {
    name = aws_iam_instance_profile.ecs_host.name
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "ECS_CLUSTER=${aws_ecs_cluster.main.name}" >> /etc/ecs/ecs.config
  EOT
  )

  tags = local.tags
}

resource "aws_autoscaling_group" "ecs_hosts" {
  name                      = "${local.prefix}-ecs-hosts"
  min_size                  = var.host_count
  max_size                  = var.host_count * 2
  desired_capacity          = var.host_count
  vpc_zone_identifier       = aws_subnet.public[*].id
  health_check_type         = "EC2"
  health_check_grace_period = 120
  force_delete              = true

  launch_template {
    id      = aws_launch_template.ecs_host.id
    version = "$Latest"
  }

  tag {
    key                 = "Name"
    value               = "${local.prefix}-ecs-host"
    propagate_at_launch = true
  }

  tag {
    key                 = "Stack"
    value               = "calibrate"
    propagate_at_launch = true
  }

  tag {
    key                 = "Branch"
    value               = terraform.workspace
    propagate_at_launch = true
  }
}
