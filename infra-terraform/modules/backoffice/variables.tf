variable "name" {
  description = "Name prefix of every resource (e.g. tracklane-prod)."
  type        = string
}

variable "lambda_units_file" {
  description = "deploy/src/main/resources/lambda-units.json: the units, their zips and functions (one function per entry)."
  type        = string
}

variable "artifacts_dir" {
  description = "deploy/target/artifacts: the layer and unit zips (lambda/) and the merged OpenAPI document (openapi/backoffice.yaml) of the same build."
  type        = string
}

variable "enabled_planned_units" {
  description = "Units marked planned in lambda-units.json (e.g. reports) that are deployed anyway: only once their module exists and the build packages them."
  type        = list(string)
  default     = []
}

variable "private_subnet_ids" {
  description = "Subnets of the functions (they reach RDS Proxy)."
  type        = list(string)
}

variable "lambda_security_group_id" {
  description = "Security group of the functions (network module)."
  type        = string
}

variable "lambda_architecture" {
  description = "x86_64 or arm64 (the OCR image must be built for the same)."
  type        = string
  default     = "x86_64"
}

variable "pg_url" {
  description = "TRACKLANE_PG_URL through RDS Proxy, without the password (data module's lambda_pg_url)."
  type        = string
}

variable "pg_pool_size" {
  description = "TRACKLANE_PG_POOL_SIZE: connections per Lambda container (one request at a time, so small)."
  type        = number
  default     = 2
}

variable "pg_password_parameter_name" {
  description = "SSM SecureString with the Postgres password."
  type        = string
}

variable "pg_password_parameter_arn" {
  description = "Its ARN (IAM)."
  type        = string
}

variable "signing_key_parameter_name" {
  description = "SSM SecureString with the private signing JWK."
  type        = string
}

variable "signing_key_parameter_arn" {
  description = "Its ARN (IAM)."
  type        = string
}

variable "kms_key_arn" {
  description = "Customer managed key of the SSM parameters and buckets, if any (kms:Decrypt is granted on it)."
  type        = string
  default     = null
}

variable "fixes_table_name" {
  description = "DynamoDB table of fixes (track history, reports)."
  type        = string
}

variable "fixes_table_arn" {
  description = "Its ARN."
  type        = string
}

variable "receipts_bucket_name" {
  description = "Bucket of receipt photos."
  type        = string
}

variable "receipts_bucket_arn" {
  description = "Its ARN."
  type        = string
}

variable "receipts_key_prefix" {
  description = "Prefix of uploaded receipt objects (ReceiptService writes receipts/<taskId>/...): only these start the OCR function."
  type        = string
  default     = "receipts/"
}

variable "reports_bucket_name" {
  description = "Bucket of generated reports."
  type        = string
}

variable "reports_bucket_arn" {
  description = "Its ARN."
  type        = string
}

variable "ocr_provider" {
  description = "tesseract (the OCR function is the container image with Tesseract eng + chi_sim; the only choice in China) or textract (global regions; the OCR function is a zip)."
  type        = string
  default     = "tesseract"

  validation {
    condition     = contains(["tesseract", "textract"], var.ocr_provider)
    error_message = "ocr_provider must be tesseract or textract."
  }
}

variable "ocr_image_uri" {
  description = "The OCR image (docker/receipts-ocr/Dockerfile) in ECR, used when ocr_provider is tesseract."
  type        = string
  default     = null
}

variable "jwt_issuer" {
  description = "TRACKLANE_JWT_ISSUER."
  type        = string
  default     = "tracklane"
}

variable "jwt_audience" {
  description = "TRACKLANE_JWT_AUDIENCE."
  type        = string
  default     = "tracklane"
}

variable "extra_environment" {
  description = "More settings for every function (e.g. TRACKLANE_ACCESS_TOKEN_TTL_SECONDS)."
  type        = map(string)
  default     = {}
}

variable "authorizer_result_ttl_seconds" {
  description = "How long API Gateway caches the authorizer's answer for a token (authorizerResultTtlInSeconds): a token keeps working up to this long after it expires or its user is deactivated. 0 turns the cache off."
  type        = number
  default     = 60

  validation {
    condition     = var.authorizer_result_ttl_seconds >= 0 && var.authorizer_result_ttl_seconds <= 3600 && floor(var.authorizer_result_ttl_seconds) == var.authorizer_result_ttl_seconds
    error_message = "authorizer_result_ttl_seconds must be a whole number of seconds within 0..3600 (API Gateway's range)."
  }
}

variable "migrations_wait_for" {
  description = "Ids of what the migrations need before they run (DB instance, RDS Proxy target, NAT routes, SSM endpoint). Only read, which makes Terraform create them before the migrations are invoked."
  type        = map(string)
  default     = {}
}

variable "stage_name" {
  description = "API Gateway stage."
  type        = string
  default     = "v1"
}

variable "throttle_rate_limit" {
  description = "Steady requests per second the stage accepts."
  type        = number
  default     = 200
}

variable "throttle_burst_limit" {
  description = "Burst the stage accepts."
  type        = number
  default     = 400
}

variable "manage_api_gateway_account" {
  description = "Set the region's API Gateway CloudWatch role (one per account and region: false if another stack owns it)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "CloudWatch log retention of the functions and the API access log."
  type        = number
  default     = 30
}

variable "device_mqtt_host" {
  description = "The gateway's MQTT host name as phones reach it, put in a new phone-app device's OwnTracks setup (TRACKLANE_DEVICE_MQTT_HOST)."
  type        = string
}

variable "device_mqtt_port" {
  description = "The gateway's public MQTT port (8883 with TLS at the NLB, else 1883)."
  type        = number
  default     = 1883
}

variable "device_mqtt_tls" {
  description = "Whether phones reach the MQTT port over TLS."
  type        = bool
  default     = false
}

variable "device_http_origin" {
  description = "The gateway's public HTTP origin (scheme://host[:port], no path): Traccar Client's server URL is this + /v1/osmand, OwnTracks HTTP mode's this + /v1/owntracks."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
