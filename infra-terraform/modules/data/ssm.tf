# Secrets live in SSM Parameter Store as SecureString; the Lambdas get "ssm:<name>" and read them
# once per container, the gateway's task definition injects the database password as a secret.
# No secret value is written in this code: the password is generated, the signing key is put by
# the operator (docs/deploy.md) and left alone by later applies.

resource "random_password" "database" {
  length  = 40
  special = false # kept URL-safe: it may end up in a postgresql:// URL
}

resource "aws_ssm_parameter" "pg_password" {
  name        = "${local.ssm_prefix}/pg-password"
  description = "Postgres password of ${var.db_username} (TRACKLANE_PG_PASSWORD)"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = random_password.database.result
  tags        = var.tags
}

resource "aws_ssm_parameter" "signing_key" {
  name        = "${local.ssm_prefix}/signing-key"
  description = "Private EC P-256 JWK that signs access tokens (TRACKLANE_SIGNING_KEY); put the real key with aws ssm put-parameter --overwrite"
  type        = "SecureString"
  key_id      = var.kms_key_arn
  value       = "UNSET: see docs/deploy.md, Signing key"
  tags        = var.tags

  lifecycle {
    ignore_changes = [value] # the operator's key (and its rotations) is never overwritten
  }
}

# The public half of the signing key as a JWKS ({"keys":[…]}): the gateway reads it from here
# (TRACKLANE_JWKS_SSM_PARAMETER), so verifying tokens does not depend on the public API, which in
# the China regions serves nothing before the ICP filing. Public data: a plain String. Put by the
# operator next to the signing key (docs/deploy.md) and left alone by later applies.
resource "aws_ssm_parameter" "jwks" {
  name        = "${local.ssm_prefix}/jwks"
  description = "Public JWKS of the token signing key(s), read by the gateway; put the real one with aws ssm put-parameter --overwrite"
  type        = "String"
  tier        = "Standard" # 4 KB: room for two P-256 keys during a rotation
  value       = "UNSET: see docs/deploy.md, Signing key"
  tags        = var.tags

  lifecycle {
    ignore_changes = [value] # the operator's keys (and rotations) are never overwritten
  }
}

# RDS Proxy authenticates with a Secrets Manager secret only (it cannot read SSM).
resource "aws_secretsmanager_secret" "database" {
  name_prefix = "${var.name}-database-"
  description = "Postgres credentials for RDS Proxy"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "database" {
  secret_id = aws_secretsmanager_secret.database.id
  secret_string = jsonencode({
    username = var.db_username
    password = random_password.database.result
  })
}
