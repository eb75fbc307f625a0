# The app: two ECR repositories (Django app, nginx), the ECS cluster, a log
# group per container, the two-container task definition (nginx in front,
# the app behind it with the database's address in its environment), the
# service, and the load balancer with its listener and target group.

resource "aws_ecr_repository" "app" {
  name         = lower("${local.prefix}-app")
  force_delete = true

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = local.tags
}

resource "aws_ecr_repository" "nginx" {
  name         = lower("${local.prefix}-nginx")
  force_delete = true

  image_scanning_configuration {
    scan_on_push = true
  }

  tags = local.tags
}

resource "aws_ecs_cluster" "main" {
  name = local.prefix
  tags = local.tags
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/ecs/${local.prefix}/app"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_cloudwatch_log_group" "nginx" {
  name              = "/ecs/${local.prefix}/nginx"
  retention_in_days = var.log_retention_days
  tags              = local.tags
}

resource "aws_ecs_task_definition" "app" {
  family                   = local.prefix
  requires_compatibilities = ["EC2"]
  network_mode             = "bridge"
  memory                   = var.task_memory > 0 ? tostring(var.task_memory) : null

  container_definitions = jsonencode([
    {
      name              = "app"
      image             = "${aws_ecr_repository.app.repository_url}:${var.app_image_tag}"
      essential         = true
      memoryReservation = 384
      portMappings      = [{ containerPort = 8000, protocol = "tcp" }]
      environment = [
        { name = "DJANGO_SETTINGS_MODULE", value = var.django_settings_module },
        { name = "DATABASE_HOST", value = aws_db_instance.main.address },
        { name = "DATABASE_PORT", value = tostring(aws_db_instance.main.port) },
        { name = "DATABASE_NAME", value = var.db_name },
        { name = "DATABASE_USER", value = var.db_username },
        { name = "DATABASE_PASSWORD", value = var.db_password },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.app.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "app"
        }
      }
    },
    {
      name              = "nginx"
      image             = "${aws_ecr_repository.nginx.repository_url}:${var.nginx_image_tag}"
      essential         = true
      memoryReservation = 64
      portMappings      = [{ containerPort = 80, hostPort = 0, protocol = "tcp" }]
      links             = ["app"]
      dependsOn         = [{ containerName = "app", condition = "START" }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          "awslogs-group"         = aws_cloudwatch_log_group.nginx.name
          "awslogs-region"        = var.region
          "awslogs-stream-prefix" = "nginx"
        }
      }
    },
  ])

  tags = local.tags
}

resource "aws_ecs_service" "app" {
  name            = local.prefix
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.app.arn
  desired_count   = var.desired_count
  launch_type     = "EC2"

  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = "nginx"
    container_port   = 80
  }

  health_check_grace_period_seconds = var.health_check_grace_period_seconds > 0 ? var.health_check_grace_period_seconds : null

  tags = local.tags

  # Hosts to place the tasks on, and a target group that belongs to the
  # load balancer, before the service starts.
  depends_on = [aws_lb_listener.http, aws_autoscaling_group.ecs_hosts]
}

resource "aws_lb" "main" {
  name               = "${local.short}-alb"
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id
  tags               = local.tags
}

resource "aws_lb_target_group" "app" {
  name                 = "${local.short}-tg"
  port                 = 80
  protocol             = "HTTP"
  vpc_id               = aws_vpc.main.id
  target_type          = "instance"
  deregistration_delay = 30

  health_check {
    path                = "/"
    matcher             = "200-399"
    interval            = 30
    healthy_threshold   = 2
    unhealthy_threshold = 5
  }

  tags = local.tags
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }

  tags = local.tags
}
