output "fixes_table_name" {
  description = "DynamoDB table of fixes."
  value       = aws_dynamodb_table.fixes.name
}

output "fixes_table_arn" {
  description = "ARN of the fixes table (its indexes are <arn>/index/*)."
  value       = aws_dynamodb_table.fixes.arn
}

output "db_endpoint" {
  description = "host:port of the Postgres instance (the gateway connects here)."
  value       = aws_db_instance.postgres.endpoint
}

output "db_proxy_endpoint" {
  description = "Host of RDS Proxy (the Lambdas connect here)."
  value       = aws_db_proxy.postgres.endpoint
}

output "gateway_pg_url" {
  description = "TRACKLANE_PG_URL for the gateway (direct, TLS required as rds.force_ssl does; the password comes from SSM)."
  value       = "postgresql://${var.db_username}@${aws_db_instance.postgres.endpoint}/${var.db_name}?sslmode=require"
}

output "lambda_pg_url" {
  description = "TRACKLANE_PG_URL for the Lambdas (through RDS Proxy, which requires TLS)."
  value       = "postgresql://${var.db_username}@${aws_db_proxy.postgres.endpoint}:5432/${var.db_name}?sslmode=require"
}

output "db_instance_id" {
  description = "The Postgres instance (what must exist before the migrations run)."
  value       = aws_db_instance.postgres.id
}

output "db_proxy_target_id" {
  description = "RDS Proxy's registration of the instance: until it exists the proxy has nothing to connect to."
  value       = aws_db_proxy_target.postgres.id
}

output "jwks_parameter_name" {
  description = "SSM String with the public JWKS the gateway verifies tokens with (TRACKLANE_JWKS_SSM_PARAMETER)."
  value       = aws_ssm_parameter.jwks.name
}

output "jwks_parameter_arn" {
  description = "ARN of the public JWKS parameter."
  value       = aws_ssm_parameter.jwks.arn
}

output "pg_password_parameter_name" {
  description = "SSM SecureString with the Postgres password."
  value       = aws_ssm_parameter.pg_password.name
}

output "pg_password_parameter_arn" {
  description = "ARN of the Postgres password parameter."
  value       = aws_ssm_parameter.pg_password.arn
}

output "signing_key_parameter_name" {
  description = "SSM SecureString with the token signing key (private JWK)."
  value       = aws_ssm_parameter.signing_key.name
}

output "signing_key_parameter_arn" {
  description = "ARN of the signing key parameter."
  value       = aws_ssm_parameter.signing_key.arn
}

output "receipts_bucket_name" {
  description = "Bucket of receipt photos (TRACKLANE_RECEIPTS_BUCKET)."
  value       = aws_s3_bucket.this["receipts"].id
}

output "receipts_bucket_arn" {
  description = "ARN of the receipts bucket."
  value       = aws_s3_bucket.this["receipts"].arn
}

output "reports_bucket_name" {
  description = "Bucket of generated reports."
  value       = aws_s3_bucket.this["reports"].id
}

output "reports_bucket_arn" {
  description = "ARN of the reports bucket."
  value       = aws_s3_bucket.this["reports"].arn
}
