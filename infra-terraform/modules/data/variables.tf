variable "name" {
  description = "Name prefix of every resource (e.g. tracklane-prod)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the database and RDS Proxy."
  type        = list(string)
}

variable "database_security_group_id" {
  description = "Security group of the Postgres instance (from the network module)."
  type        = string
}

variable "rds_proxy_security_group_id" {
  description = "Security group of RDS Proxy (from the network module)."
  type        = string
}

variable "fixes_table_name" {
  description = "DynamoDB table of GPS fixes (TRACKLANE_FIXES_TABLE); null = \"<name>-fixes\", so two stacks can share an account."
  type        = string
  default     = null
}

variable "postgres_engine_version" {
  description = "RDS Postgres major version (RDS Proxy must support it)."
  type        = string
  default     = "16"
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage_gb" {
  description = "Initial storage (GiB); grows up to db_max_allocated_storage_gb."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage_gb" {
  description = "Storage autoscaling ceiling (GiB)."
  type        = number
  default     = 500
}

variable "multi_az" {
  description = "A synchronous standby in a second AZ (production: true)."
  type        = bool
  default     = true
}

variable "db_name" {
  description = "Database name."
  type        = string
  default     = "tracklane"
}

variable "db_username" {
  description = "Master user name (the password is generated and kept in SSM and Secrets Manager)."
  type        = string
  default     = "tracklane"
}

variable "backup_retention_days" {
  description = "RDS automated backups kept (days)."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Refuse to delete the table and the database (production: true)."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for RDS, S3, DynamoDB, SSM and Secrets Manager; null = the AWS managed keys."
  type        = string
  default     = null
}

variable "ssm_prefix" {
  description = "SSM Parameter Store path of the secrets (the Lambdas read ssm:<prefix>/pg-password and ssm:<prefix>/signing-key, the gateway <prefix>/jwks); null = \"/<name>\", so two stacks can share an account."
  type        = string
  default     = null
}

variable "receipts_retention_days" {
  description = "Receipt photos are deleted after this many days (older than any expense audit window you need)."
  type        = number
  default     = 730
}

variable "receipts_infrequent_access_days" {
  description = "Receipt photos move to STANDARD_IA after this many days."
  type        = number
  default     = 60
}

variable "reports_retention_days" {
  description = "Generated reports are deleted after this many days."
  type        = number
  default     = 1095
}

variable "upload_cors_origins" {
  description = "Origins of the web apps that upload receipts straight to S3 with the presigned POST."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
