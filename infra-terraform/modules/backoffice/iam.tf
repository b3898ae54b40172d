# One role per function, granted only what its "access" list in lambda-units.json names.
data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.lambda.name]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name               = local.function_names[each.key]
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = var.tags
}

locals {
  kms_statements = var.kms_key_arn == null ? [] : [{
    Sid      = "DecryptWithProjectKey"
    Effect   = "Allow"
    Action   = ["kms:Decrypt"]
    Resource = [var.kms_key_arn]
  }]

  access_statements = {
    database = [{
      Sid      = "ReadDatabasePassword"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter"]
      Resource = [var.pg_password_parameter_arn]
    }]
    signing_key = [{
      Sid      = "ReadSigningKey"
      Effect   = "Allow"
      Action   = ["ssm:GetParameter"]
      Resource = [var.signing_key_parameter_arn]
    }]
    fixes_read = [{
      Sid      = "QueryFixes"
      Effect   = "Allow"
      Action   = ["dynamodb:Query"]
      Resource = [var.fixes_table_arn, "${var.fixes_table_arn}/index/*"]
    }]
    receipts_upload = [{
      # presigned POST uploads and presigned GETs for reviewers are signed with this role
      Sid      = "UploadAndShowReceipts"
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject"]
      Resource = ["${var.receipts_bucket_arn}/${var.receipts_key_prefix}*"]
    }]
    receipts_read = [{
      Sid      = "ReadReceipts"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["${var.receipts_bucket_arn}/${var.receipts_key_prefix}*"]
    }]
    reports_write = [{
      Sid      = "WriteReports"
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject"]
      Resource = ["${var.reports_bucket_arn}/*"]
    }]
    # the generator's ARN is built from names, not read from the function: every role policy is one
    # resource block, and the functions depend on it
    report_jobs = [{
      Sid      = "StartReportGeneration"
      Effect   = "Allow"
      Action   = ["lambda:InvokeFunction"]
      Resource = ["arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:function:${local.function_names["report_generator"]}:live"]
    }]
    # settings only: telling phones where the gateway is needs no AWS permission
    device_setup = []
    # AnalyzeExpense has no resource-level permissions; granted only where Textract is the provider
    ocr = var.ocr_provider == "textract" ? [{
      Sid      = "AnalyzeExpense"
      Effect   = "Allow"
      Action   = ["textract:AnalyzeExpense"]
      Resource = ["*"]
    }] : []
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions
  name     = "least-privilege"
  role     = aws_iam_role.function[each.key].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = flatten([
      [{
        Sid      = "OwnLogs"
        Effect   = "Allow"
        Action   = ["logs:CreateLogStream", "logs:PutLogEvents"]
        Resource = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
      }],
      [{
        # Lambda attaches the function to the VPC with these; they take no resource scope
        Sid      = "VpcNetworkInterfaces"
        Effect   = "Allow"
        Action   = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
        Resource = ["*"]
      }],
      [for a in each.value.access : local.access_statements[a]],
      try(each.value.dead_letter_queue, false) ? [{
        Sid      = "DeadLetterQueue"
        Effect   = "Allow"
        Action   = ["sqs:SendMessage"]
        Resource = [aws_sqs_queue.dead_letter[each.key].arn]
      }] : [],
      local.kms_statements,
    ])
  })
}
