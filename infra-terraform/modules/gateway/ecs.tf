resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled" # RunningTaskCount, used by the MQTT-connections scaling policy
  }

  tags = var.tags
}

resource "aws_ecs_task_definition" "gateway" {
  family                   = "${var.name}-gateway"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  container_definitions = jsonencode([{
    name      = local.container_name
    image     = var.image
    essential = true
    portMappings = [
      { containerPort = var.mqtt_port, protocol = "tcp", name = "mqtt" },
      { containerPort = var.http_port, protocol = "tcp", name = "http" },
      { containerPort = var.admin_port, protocol = "tcp", name = "admin" }, # health checks only, no listener
    ]
    environment = [for k in sort(keys(local.environment)) : { name = k, value = local.environment[k] }]
    secrets = [
      { name = "TRACKLANE_PG_PASSWORD", valueFrom = var.pg_password_parameter_arn },
    ]
    # the image's HEALTHCHECK, repeated here because ECS ignores Docker's (no curl in the image)
    healthCheck = {
      command     = ["CMD", "/opt/tracklane/healthcheck"]
      interval    = 15
      timeout     = 5
      retries     = 3
      startPeriod = 60
    }
    # SIGTERM: the gateway flushes and acknowledges queued fixes within TRACKLANE_SHUTDOWN_GRACE_MS
    stopTimeout = 30
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.gateway.name
        awslogs-region        = data.aws_region.current.name
        awslogs-stream-prefix = "gateway"
      }
    }
    ulimits = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }] # one descriptor per MQTT/SSE client
  }])

  tags = var.tags
}

resource "aws_ecs_service" "gateway" {
  name                              = "${var.name}-gateway"
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.gateway.arn
  desired_count                     = var.min_tasks
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  propagate_tags                    = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.gateway_security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.mqtt.arn
    container_name   = local.container_name
    container_port   = var.mqtt_port
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.http.arn
    container_name   = local.container_name
    container_port   = var.http_port
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  dynamic "service_registries" {
    for_each = var.live_cluster ? [1] : []
    content {
      registry_arn = aws_service_discovery_service.gateway[0].arn
    }
  }

  lifecycle {
    ignore_changes = [desired_count] # owned by autoscaling after creation
  }

  # every listener that may forward to the target groups: a target group must belong to a load
  # balancer before a service registers with it (https forwards when a certificate is set)
  depends_on = [aws_lb_listener.mqtt, aws_lb_listener.mqtt_tls, aws_lb_listener.http, aws_lb_listener.https]
  tags       = var.tags
}

# Cloud Map: one A record per running task under a private DNS name, given to Hazelcast as
# TRACKLANE_CLUSTER_MEMBERS when the live stream is clustered.
resource "aws_service_discovery_private_dns_namespace" "gateway" {
  count = var.live_cluster ? 1 : 0
  name  = "${var.name}.internal"
  vpc   = var.vpc_id
  tags  = var.tags
}

resource "aws_service_discovery_service" "gateway" {
  count = var.live_cluster ? 1 : 0
  name  = local.container_name

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.gateway[0].id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  tags = var.tags
}
