# Lambdas scale out to many containers, each with its own small pool (TRACKLANE_PG_POOL_SIZE):
# RDS Proxy multiplexes them onto a bounded number of database connections.

data "aws_service_principal" "rds" {
  service_name = "rds"
}

resource "aws_iam_role" "rds_proxy" {
  name = "${var.name}-rds-proxy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = data.aws_service_principal.rds.name }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "rds_proxy" {
  name = "read-database-secret"
  role = aws_iam_role.rds_proxy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = concat([{
      Sid      = "ReadSecret"
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue"]
      Resource = [aws_secretsmanager_secret.database.arn]
      }], var.kms_key_arn == null ? [] : [{
      Sid      = "DecryptSecret"
      Effect   = "Allow"
      Action   = ["kms:Decrypt"]
      Resource = [var.kms_key_arn]
    }])
  })
}

resource "aws_db_proxy" "postgres" {
  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.rds_proxy.arn
  vpc_subnet_ids         = var.private_subnet_ids
  vpc_security_group_ids = [var.rds_proxy_security_group_id]
  require_tls            = true # the Lambdas connect with sslmode=require (lambda_pg_url)
  idle_client_timeout    = 1800

  auth {
    auth_scheme = "SECRETS"
    iam_auth    = "DISABLED"
    secret_arn  = aws_secretsmanager_secret.database.arn
  }

  tags = var.tags
}

resource "aws_db_proxy_default_target_group" "postgres" {
  db_proxy_name = aws_db_proxy.postgres.name

  connection_pool_config {
    max_connections_percent      = 80 # the rest is left for the gateway and migrations
    max_idle_connections_percent = 20
    connection_borrow_timeout    = 30
  }
}

resource "aws_db_proxy_target" "postgres" {
  db_proxy_name          = aws_db_proxy.postgres.name
  target_group_name      = aws_db_proxy_default_target_group.postgres.name
  db_instance_identifier = aws_db_instance.postgres.identifier
}
