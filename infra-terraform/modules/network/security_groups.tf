# One security group per role; ingress names its sources (other groups), never the whole VPC,
# except the MQTT port, which the NLB's nodes reach from their own VPC addresses.

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "Public ALB: HTTP ingest, live stream (SSE/WebSocket), dashboard"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  for_each          = toset(var.public_http_cidrs)
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  description       = "HTTP (redirected to HTTPS when a certificate is set)"
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each          = toset(var.public_http_cidrs)
  security_group_id = aws_security_group.alb.id
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateway" {
  security_group_id            = aws_security_group.alb.id
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = var.http_port
  to_port                      = var.http_port
  description                  = "to the gateway tasks"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_gateway_admin" {
  security_group_id            = aws_security_group.alb.id
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = var.admin_port
  to_port                      = var.admin_port
  description                  = "health checks on the gateway's admin port"
}

resource "aws_security_group" "gateway" {
  name        = "${var.name}-gateway"
  description = "Gateway tasks (ECS Fargate)"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-gateway" })
}

resource "aws_vpc_security_group_ingress_rule" "gateway_http_from_alb" {
  security_group_id            = aws_security_group.gateway.id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.http_port
  to_port                      = var.http_port
  description                  = "HTTP from the ALB"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_mqtt_from_nlb" {
  security_group_id = aws_security_group.gateway.id
  cidr_ipv4         = aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = var.mqtt_port
  to_port           = var.mqtt_port
  description       = "MQTT from the NLB nodes (client IP preservation off for IP targets)"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_admin_from_alb" {
  security_group_id            = aws_security_group.gateway.id
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = var.admin_port
  to_port                      = var.admin_port
  description                  = "ALB health checks on the admin port (/health/ready)"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_health_from_nlb" {
  security_group_id = aws_security_group.gateway.id
  cidr_ipv4         = aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = var.admin_port
  to_port           = var.admin_port
  description       = "NLB health checks on the admin port (/health/ready); no listener forwards to it"
}

resource "aws_vpc_security_group_ingress_rule" "gateway_cluster" {
  security_group_id            = aws_security_group.gateway.id
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = var.cluster_port_range.from
  to_port                      = var.cluster_port_range.to
  description                  = "Hazelcast and the event bus between gateway tasks (clustered live stream)"
}

resource "aws_vpc_security_group_egress_rule" "gateway_all" {
  security_group_id = aws_security_group.gateway.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "DynamoDB, SSM, ECR, logs (endpoints or NAT), Postgres"
}

resource "aws_security_group" "lambda" {
  name        = "${var.name}-lambda"
  description = "Back-office Lambda functions"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-lambda" })
}

resource "aws_vpc_security_group_egress_rule" "lambda_all" {
  security_group_id = aws_security_group.lambda.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "RDS Proxy, DynamoDB, S3, SSM, Textract (global only)"
}

resource "aws_security_group" "rds_proxy" {
  name        = "${var.name}-rds-proxy"
  description = "RDS Proxy in front of Postgres for the Lambdas"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-rds-proxy" })
}

resource "aws_vpc_security_group_ingress_rule" "rds_proxy_from_lambda" {
  security_group_id            = aws_security_group.rds_proxy.id
  referenced_security_group_id = aws_security_group.lambda.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "Postgres from the Lambdas"
}

resource "aws_vpc_security_group_egress_rule" "rds_proxy_to_database" {
  security_group_id            = aws_security_group.rds_proxy.id
  referenced_security_group_id = aws_security_group.database.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "to the database"
}

resource "aws_security_group" "database" {
  name        = "${var.name}-database"
  description = "RDS Postgres"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-database" })
}

resource "aws_vpc_security_group_ingress_rule" "database_from_proxy" {
  security_group_id            = aws_security_group.database.id
  referenced_security_group_id = aws_security_group.rds_proxy.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "from RDS Proxy (Lambdas)"
}

# The gateway connects directly: a few long-lived connections, and LISTEN/NOTIFY (task status)
# needs a session of its own, which a proxy would pin anyway.
resource "aws_vpc_security_group_ingress_rule" "database_from_gateway" {
  security_group_id            = aws_security_group.database.id
  referenced_security_group_id = aws_security_group.gateway.id
  ip_protocol                  = "tcp"
  from_port                    = 5432
  to_port                      = 5432
  description                  = "from the gateway tasks"
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface VPC endpoints"
  vpc_id      = aws_vpc.this.id
  tags        = merge(var.tags, { Name = "${var.name}-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_https" {
  security_group_id = aws_security_group.endpoints.id
  cidr_ipv4         = aws_vpc.this.cidr_block
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  description       = "HTTPS from the VPC"
}
