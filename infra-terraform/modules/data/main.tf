# Stateful resources: the fixes table, Postgres behind RDS Proxy, the receipt/report buckets and
# the secrets in SSM. Everything here is protected from deletion in production (deletion_protection).
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # bucket names are global within a partition: the account id keeps them unique
  bucket_suffix = "${data.aws_caller_identity.current.account_id}-${data.aws_region.current.name}"

  # prefixed with the stack's name, so two stacks (staging, prod) can share an account and region
  fixes_table_name = coalesce(var.fixes_table_name, "${var.name}-fixes")
  ssm_prefix       = coalesce(var.ssm_prefix, "/${var.name}")
}
