resource "aws_lambda_layer_version" "common" {
  layer_name               = "${var.name}-common"
  description              = "tracklane-backoffice-common and the libraries the units share (java/lib)"
  filename                 = local.layer_zip
  source_code_hash         = filebase64sha256(local.layer_zip)
  compatible_runtimes      = ["java17"]
  compatible_architectures = [var.lambda_architecture]
}

resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.functions
  name              = "/aws/lambda/${local.function_names[each.key]}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# Every version is published; traffic reaches the "live" alias, moved only after the migrations ran.
resource "aws_lambda_function" "zip" {
  for_each         = local.zip_functions
  function_name    = local.function_names[each.key]
  description      = "${each.value.unit}: ${each.value.handler}"
  role             = aws_iam_role.function[each.key].arn
  runtime          = "java17"
  handler          = "${each.value.handler}::handleRequest"
  filename         = "${var.artifacts_dir}/lambda/${local.catalog.units[each.value.unit].zip}"
  source_code_hash = filebase64sha256("${var.artifacts_dir}/lambda/${local.catalog.units[each.value.unit].zip}")
  layers           = [aws_lambda_layer_version.common.arn]
  architectures    = [var.lambda_architecture]
  memory_size      = each.value.memory
  timeout          = each.value.timeout
  publish          = true

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [var.lambda_security_group_id]
  }

  environment {
    variables = local.function_environment[each.key]
  }

  dynamic "dead_letter_config" {
    for_each = try(each.value.dead_letter_queue, false) ? [1] : []
    content {
      target_arn = aws_sqs_queue.dead_letter[each.key].arn
    }
  }

  depends_on = [aws_cloudwatch_log_group.function, aws_iam_role_policy.function]
  tags       = var.tags
}

# The OCR function with Tesseract: the container image built from docker/receipts-ocr/Dockerfile.
resource "aws_lambda_function" "image" {
  for_each      = local.image_functions
  function_name = local.function_names[each.key]
  description   = "${each.value.unit}: ${each.value.handler} (container image)"
  role          = aws_iam_role.function[each.key].arn
  package_type  = "Image"
  image_uri     = var.ocr_image_uri
  architectures = [var.lambda_architecture]
  memory_size   = each.value.memory
  timeout       = each.value.timeout
  publish       = true

  image_config {
    command = ["${each.value.handler}::handleRequest"]
  }

  vpc_config {
    subnet_ids         = var.private_subnet_ids
    security_group_ids = [var.lambda_security_group_id]
  }

  environment {
    variables = local.function_environment[each.key]
  }

  dynamic "dead_letter_config" {
    for_each = try(each.value.dead_letter_queue, false) ? [1] : []
    content {
      target_arn = aws_sqs_queue.dead_letter[each.key].arn
    }
  }

  depends_on = [aws_cloudwatch_log_group.function, aws_iam_role_policy.function, terraform_data.preconditions]
  tags       = var.tags
}

# What the migrations need to reach the database on the first apply: the DB instance, RDS Proxy's
# target, the NAT routes and the SSM endpoint (the password). Without them Terraform may invoke
# the function while the proxy has no target yet, and the apply fails.
resource "terraform_data" "migrations_prerequisites" {
  input = var.migrations_wait_for
}

# The schema first: every function marked invoke_on_deploy (migrations) runs its new version once
# per release, before any alias moves. Applying migrations is idempotent and takes a lock.
resource "aws_lambda_invocation" "on_deploy" {
  for_each      = { for name, fn in local.zip_functions : name => fn if try(fn.invoke_on_deploy, false) }
  function_name = aws_lambda_function.zip[each.key].function_name
  qualifier     = aws_lambda_function.zip[each.key].version
  input         = jsonencode({ release = aws_lambda_function.zip[each.key].version })
  depends_on    = [terraform_data.migrations_prerequisites]
}

resource "aws_lambda_alias" "live" {
  for_each         = local.functions
  name             = "live"
  function_name    = local.deployed[each.key].function_name
  function_version = local.deployed[each.key].version
  depends_on       = [aws_lambda_invocation.on_deploy]
}

# OCR: S3 invokes asynchronously; after the retries a failed event goes to this queue.
resource "aws_sqs_queue" "dead_letter" {
  for_each                  = { for name, fn in local.functions : name => fn if try(fn.dead_letter_queue, false) }
  name                      = "${local.function_names[each.key]}-dlq"
  message_retention_seconds = 1209600 # 14 days to look at and replay failed receipts
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_lambda_function_event_invoke_config" "dead_letter" {
  for_each                     = aws_sqs_queue.dead_letter
  function_name                = local.function_names[each.key]
  qualifier                    = aws_lambda_alias.live[each.key].name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 3600
}

# Functions that record their own failures (the report generator marks a report failed; a crash
# is ended by the stale-generation check) are not retried by Lambda's asynchronous invoke.
resource "aws_lambda_function_event_invoke_config" "no_retry" {
  for_each                     = { for name, fn in local.functions : name => fn if try(fn.async_retries, null) == 0 }
  function_name                = local.function_names[each.key]
  qualifier                    = aws_lambda_alias.live[each.key].name
  maximum_retry_attempts       = 0
  maximum_event_age_in_seconds = 3600
}
