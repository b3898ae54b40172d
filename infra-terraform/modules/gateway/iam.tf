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

resource "aws_iam_role_policy" "task" {
  name   = "fixes-table"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
