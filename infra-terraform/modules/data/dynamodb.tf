# The fixes table exactly as the gateway writes it (gateway TableBootstrap, docs/gateway.md):
# key (taskId S, ts N), GSI byRider (riderId, ts) projecting all, TTL on expiresAt.
resource "aws_dynamodb_table" "fixes" {
  name                        = local.fixes_table_name
  billing_mode                = "PAY_PER_REQUEST" # bursty fleets; no capacity planning
  hash_key                    = "taskId"
  range_key                   = "ts"
  deletion_protection_enabled = var.deletion_protection

  attribute {
    name = "taskId"
    type = "S"
  }

  attribute {
    name = "ts"
    type = "N"
  }

  attribute {
    name = "riderId"
    type = "S"
  }

  global_secondary_index {
    name            = "byRider"
    hash_key        = "riderId"
    range_key       = "ts"
    projection_type = "ALL"
  }

  ttl {
    attribute_name = "expiresAt" # epoch seconds = fix time + TRACKLANE_FIX_RETENTION_DAYS
    enabled        = true
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  tags = merge(var.tags, { Name = local.fixes_table_name })
}
