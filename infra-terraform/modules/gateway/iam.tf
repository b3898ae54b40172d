# Execution role: what ECS needs to start the task (pull the image, write logs, read the
# database password). Task role: what the gateway itself calls (the fixes table only).

data "aws_iam_policy_document" "assume_ecs_tasks" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = [data.aws_service_principal.ecs_tasks.name]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-gateway-execution"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "execution_ecr_logs" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "DatabasePassword"
    actions   = ["ssm:GetParameters"]
    resources = [var.pg_password_parameter_arn]
  }

  # a SecureString under a customer managed key is decrypted with the caller's own permission
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptDatabasePassword"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

resource "aws_iam_role" "task" {
  name               = "${var.name}-gateway-task"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
  tags               = var.tags
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "WriteAndReplayFixes"
    # BatchWriteItem: ingest; Query: rebuilding a task's progress after a restart;
    # DescribeTable: /health/ready
    actions   = ["dynamodb:BatchWriteItem", "dynamodb:Query", "dynamodb:DescribeTable"]
    resources = [var.fixes_table_arn, "${var.fixes_table_arn}/index/*"]
  }
}

# China: the public API serves nothing before the ICP filing, so the gateway reads the public
# JWKS from SSM itself. A plain String: no kms:Decrypt needed.
data "aws_iam_policy_document" "task_jwks" {
  count = var.jwks_parameter_arn == null ? 0 : 1

  statement {
    sid       = "ReadPublicJwks"
    actions   = ["ssm:GetParameter"]
    resources = [var.jwks_parameter_arn]
  }
}

resource "aws_iam_role_policy" "task_jwks" {
  count  = var.jwks_parameter_arn == null ? 0 : 1
  name   = "read-jwks"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_jwks[0].json
}

resource "aws_iam_role_policy" "task" {
  name   = "fixes-table"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
