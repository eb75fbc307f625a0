# The PostgreSQL database on the private subnets; its address flows into
# the app container's environment (app.cp).

resource "aws_db_subnet_group" "main" {
  name        = local.prefix
  description = "Private subnets of ${local.prefix}"
  subnet_ids  = aws_subnet.private[*].id
  tags        = local.tags
}

resource "aws_db_instance" "main" {
  identifier              = local.prefix
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = var.db_instance_class
  allocated_storage       = var.db_allocated_storage
  db_name                 = var.db_name
  username                = var.db_username
  password                = var.db_password
  db_subnet_group_name    = aws_db_subnet_group.main.name
  vpc_security_group_ids  = [aws_security_group.db.id]
  publicly_accessible     = false
  multi_az                = false
  backup_retention_period = 7
  skip_final_snapshot     = true
  tags                    = local.tags
}
