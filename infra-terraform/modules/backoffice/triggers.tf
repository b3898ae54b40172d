# Schedules (EventBridge rules: task expiry sweep, weekly/monthly reports) and the receipts upload
# notification, both from lambda-units.json ("schedules", "trigger").
locals {
  no_schedules = {}

  schedule_list = flatten([
    for name, fn in local.functions : [
      for schedule, expression in try(fn.schedules, local.no_schedules) : { key = format("%s-%s", name, schedule), function = name, schedule = schedule, expression = expression }
    ]
  ])

  schedules = { for s in local.schedule_list : s.key => s }

  receipts_uploaded = { for name, fn in local.functions : name => fn if try(fn.trigger, "") == "receipts_uploaded" }
}

resource "aws_cloudwatch_event_rule" "schedule" {
  for_each            = local.schedules
  name                = replace("${var.name}-${each.key}", "_", "-")
  description         = "${each.value.function}: ${each.value.schedule}"
  schedule_expression = each.value.expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "schedule" {
  for_each = local.schedules
  rule     = aws_cloudwatch_event_rule.schedule[each.key].name
  arn      = aws_lambda_alias.live[each.value.function].arn # the default scheduled event as input
}

resource "aws_lambda_permission" "schedule" {
  for_each      = local.schedules
  statement_id  = "schedule-${replace(each.key, "_", "-")}"
  action        = "lambda:InvokeFunction"
  function_name = local.function_names[each.value.function]
  qualifier     = aws_lambda_alias.live[each.value.function].name
  principal     = data.aws_service_principal.events.name
  source_arn    = aws_cloudwatch_event_rule.schedule[each.key].arn
}

resource "aws_lambda_permission" "receipts_uploaded" {
  for_each       = local.receipts_uploaded
  statement_id   = "receipts-bucket"
  action         = "lambda:InvokeFunction"
  function_name  = local.function_names[each.key]
  qualifier      = aws_lambda_alias.live[each.key].name
  principal      = data.aws_service_principal.s3.name
  source_arn     = var.receipts_bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "receipts" {
  count  = length(local.receipts_uploaded) > 0 ? 1 : 0
  bucket = var.receipts_bucket_name

  dynamic "lambda_function" {
    for_each = local.receipts_uploaded
    content {
      lambda_function_arn = aws_lambda_alias.live[lambda_function.key].arn
      events              = ["s3:ObjectCreated:*"]
      filter_prefix       = var.receipts_key_prefix
    }
  }

  depends_on = [aws_lambda_permission.receipts_uploaded]
}
