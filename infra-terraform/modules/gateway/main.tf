# The gateway on ECS Fargate: MQTT through an NLB (TCP, optional TLS), HTTP ingest and the live
# stream (SSE/WebSocket) through an ALB. Settings are the gateway's environment variables
# (gateway/src/main/java/io/tracklane/gateway/config/Setting.java).
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_service_principal" "ecs_tasks" {
  service_name = "ecs-tasks"
}

resource "terraform_data" "preconditions" {
  input = var.jwks_parameter_name

  lifecycle {
    precondition {
      condition     = var.jwks_parameter_name != null || var.jwks_url != ""
      error_message = "The gateway needs its token verification keys: set jwks_parameter_name (and jwks_parameter_arn) or jwks_url."
    }
    precondition {
      condition     = (var.jwks_parameter_name == null) == (var.jwks_parameter_arn == null)
      error_message = "jwks_parameter_name and jwks_parameter_arn go together: the task role is granted ssm:GetParameter on that ARN."
    }
  }
}

locals {
  container_name = "gateway"
  cluster_dns    = var.live_cluster ? "${local.container_name}.${var.name}.internal" : ""

  # the public keys: from SSM when a parameter is given (China: the API is not public before the
  # ICP filing), else from the back office's /.well-known/jwks.json
  jwks_environment = var.jwks_parameter_name == null ? { TRACKLANE_JWKS_URL = var.jwks_url } : { TRACKLANE_JWKS_SSM_PARAMETER = var.jwks_parameter_name }

  environment = merge({
    TRACKLANE_MQTT_PORT          = tostring(var.mqtt_port)
    TRACKLANE_HTTP_PORT          = tostring(var.http_port)
    TRACKLANE_ADMIN_PORT         = tostring(var.admin_port)
    TRACKLANE_FIXES_TABLE        = var.fixes_table_name
    TRACKLANE_FIX_RETENTION_DAYS = tostring(var.fix_retention_days)
    TRACKLANE_TABLE_BOOTSTRAP    = "false" # the table belongs to the data module
    TRACKLANE_JWT_ISSUER         = var.jwt_issuer
    TRACKLANE_JWT_AUDIENCE       = var.jwt_audience
    TRACKLANE_PG_URL             = var.pg_url
    TRACKLANE_BACKOFFICE_API_URL = var.backoffice_api_url
    TRACKLANE_CLUSTER            = tostring(var.live_cluster)
    TRACKLANE_CLUSTER_NAME       = var.name
    TRACKLANE_CLUSTER_MEMBERS    = var.live_cluster ? local.cluster_dns : "127.0.0.1"
    AWS_REGION                   = data.aws_region.current.name
  }, local.jwks_environment, var.extra_environment)
}

resource "aws_cloudwatch_log_group" "gateway" {
  name              = "/tracklane/${var.name}/gateway"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}
