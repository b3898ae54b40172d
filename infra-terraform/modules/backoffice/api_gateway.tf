# REST API from the merged OpenAPI document of the same build (deploy/target/artifacts/openapi/
# backoffice.yaml). The merger wrote an aws_proxy integration per operation with the placeholder
# ${<function>_invoke_arn} and the authorizer's ${authorizer_invoke_arn}; templatefile fills them
# with the "live" aliases (function names in lambda-units.json use underscores, as the placeholders
# do). REGIONAL: edge-optimized endpoints do not exist in the China regions.
locals {
  openapi_placeholders = merge(
    { for name, fn in local.api_functions : format("%s_invoke_arn", name) => aws_lambda_alias.live[name].invoke_arn },
    { authorizer_invoke_arn = aws_lambda_alias.live["authorizer"].invoke_arn },
  )
  openapi_rendered = templatefile(local.openapi, local.openapi_placeholders)

  # The authorizer's result cache: a token keeps working this long after it expires or its user is
  # deactivated. The build writes the merger's default; the stack sets its own.
  authorizer_ttl_regex = "(authorizerResultTtlInSeconds\"?:\\s*)\\d+"
  openapi_body         = replace(local.openapi_rendered, "/${local.authorizer_ttl_regex}/", "$${1}${var.authorizer_result_ttl_seconds}")
}

resource "aws_api_gateway_rest_api" "backoffice" {
  name              = "${var.name}-backoffice"
  description       = "Tracklane back office"
  body              = local.openapi_body
  put_rest_api_mode = "overwrite"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    precondition {
      condition     = length(regexall(local.authorizer_ttl_regex, local.openapi_rendered)) == 1
      error_message = "The merged OpenAPI document has no single authorizerResultTtlInSeconds to set authorizer_result_ttl_seconds in."
    }
  }

  tags = var.tags
}

resource "aws_api_gateway_deployment" "backoffice" {
  rest_api_id = aws_api_gateway_rest_api.backoffice.id

  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.backoffice.body)
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "api_access" {
  name              = "/tracklane/${var.name}/api-access"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_api_gateway_stage" "backoffice" {
  rest_api_id   = aws_api_gateway_rest_api.backoffice.id
  deployment_id = aws_api_gateway_deployment.backoffice.id
  stage_name    = var.stage_name

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      ip        = "$context.identity.sourceIp"
      method    = "$context.httpMethod"
      path      = "$context.resourcePath"
      status    = "$context.status"
      latencyMs = "$context.responseLatency"
      userId    = "$context.authorizer.userId"
      error     = "$context.error.message"
    })
  }

  depends_on = [aws_api_gateway_account.this]
  tags       = var.tags
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.backoffice.id
  stage_name  = aws_api_gateway_stage.backoffice.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    throttling_rate_limit  = var.throttle_rate_limit
    throttling_burst_limit = var.throttle_burst_limit
  }
}

resource "aws_lambda_permission" "api" {
  for_each      = local.api_functions
  statement_id  = "api-gateway"
  action        = "lambda:InvokeFunction"
  function_name = local.function_names[each.key]
  qualifier     = aws_lambda_alias.live[each.key].name
  principal     = data.aws_service_principal.apigateway.name
  source_arn    = "${aws_api_gateway_rest_api.backoffice.execution_arn}/*/*/*"
}

resource "aws_lambda_permission" "authorizer" {
  statement_id  = "api-gateway-authorizer"
  action        = "lambda:InvokeFunction"
  function_name = local.function_names["authorizer"]
  qualifier     = aws_lambda_alias.live["authorizer"].name
  principal     = data.aws_service_principal.apigateway.name
  source_arn    = "${aws_api_gateway_rest_api.backoffice.execution_arn}/authorizers/*"
}

# API Gateway writes access logs with a per-region account setting and role.
data "aws_iam_policy_document" "assume_apigateway" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.apigateway.name]
    }
  }
}

resource "aws_iam_role" "api_gateway_logs" {
  count              = var.manage_api_gateway_account ? 1 : 0
  name               = "${var.name}-api-gateway-logs"
  assume_role_policy = data.aws_iam_policy_document.assume_apigateway.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "api_gateway_logs" {
  count      = var.manage_api_gateway_account ? 1 : 0
  role       = aws_iam_role.api_gateway_logs[0].name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"
}

resource "aws_api_gateway_account" "this" {
  count               = var.manage_api_gateway_account ? 1 : 0
  cloudwatch_role_arn = aws_iam_role.api_gateway_logs[0].arn
}
