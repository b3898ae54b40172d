variable "name" {
  description = "Name prefix of every resource (e.g. tracklane-prod)."
  type        = string
}

variable "image" {
  description = "Gateway image (docker/gateway/Dockerfile) in ECR, with its tag or digest."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of the NLB and the ALB."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks."
  type        = list(string)
}

variable "gateway_security_group_id" {
  description = "Security group of the tasks (network module)."
  type        = string
}

variable "alb_security_group_id" {
  description = "Security group of the ALB (network module)."
  type        = string
}

variable "fixes_table_name" {
  description = "DynamoDB table of fixes."
  type        = string
}

variable "fixes_table_arn" {
  description = "ARN of the fixes table."
  type        = string
}

variable "pg_url" {
  description = "TRACKLANE_PG_URL without the password (data module's gateway_pg_url)."
  type        = string
}

variable "pg_password_parameter_arn" {
  description = "SSM SecureString injected as TRACKLANE_PG_PASSWORD."
  type        = string
}

variable "jwks_url" {
  description = "TRACKLANE_JWKS_URL: the back office's /.well-known/jwks.json (backoffice module's jwks_url); used only without jwks_parameter_name."
  type        = string
  default     = ""
}

variable "jwks_parameter_name" {
  description = "TRACKLANE_JWKS_SSM_PARAMETER: SSM parameter with the public JWKS (data module's jwks_parameter_name); the gateway reads it instead of jwks_url, so token checks do not depend on the public API (China before the ICP filing). null = use jwks_url."
  type        = string
  default     = null
}

variable "jwks_parameter_arn" {
  description = "ARN of jwks_parameter_name: the task role may read that one parameter."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the SSM SecureStrings (data module's kms_key_arn); the execution role may decrypt with it to inject the database password. null = the AWS managed key."
  type        = string
  default     = null
}

variable "backoffice_api_url" {
  description = "TRACKLANE_BACKOFFICE_API_URL for the dashboard (empty: no dashboard)."
  type        = string
  default     = ""
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

variable "fix_retention_days" {
  description = "TRACKLANE_FIX_RETENTION_DAYS: written to each fix's TTL attribute."
  type        = number
  default     = 90
}

variable "extra_environment" {
  description = "More TRACKLANE_* settings (README's gateway table), e.g. queue limits."
  type        = map(string)
  default     = {}
}

variable "mqtt_port" {
  description = "TRACKLANE_MQTT_PORT (container; and the NLB's plain listener when allow_plaintext_mqtt)."
  type        = number
  default     = 1883
}

variable "http_port" {
  description = "TRACKLANE_HTTP_PORT (container and ALB target)."
  type        = number
  default     = 8080
}

variable "admin_port" {
  description = "TRACKLANE_ADMIN_PORT: health checks and metrics. Only the load balancers' health checks reach it; no listener forwards to it."
  type        = number
  default     = 9090
}

variable "mqtt_tls_certificate_arn" {
  description = "ACM certificate for MQTT over TLS on 8883 (terminated at the NLB). Required unless allow_plaintext_mqtt. In China an imported certificate, and the domain needs an ICP licence."
  type        = string
  default     = null
}

variable "allow_plaintext_mqtt" {
  description = "Also listen for plain MQTT on mqtt_port (1883). Each device's CONNECT carries its bearer token as the password, so on this port the token travels in the clear: development only."
  type        = bool
  default     = false
}

variable "mqtt_tls_port" {
  description = "Port of the TLS MQTT listener."
  type        = number
  default     = 8883
}

variable "http_certificate_arn" {
  description = "ACM certificate for HTTPS on the ALB (80 then redirects to 443). Required unless allow_plaintext_http."
  type        = string
  default     = null
}

variable "allow_plaintext_http" {
  description = "Without http_certificate_arn, serve plain HTTP on 80 instead of failing the plan. Bearer tokens (ingest, live stream, dashboard) then travel in the clear: development only."
  type        = bool
  default     = false
}

variable "alb_idle_timeout_seconds" {
  description = "ALB idle timeout. SSE and WebSocket streams send a heartbeat every TRACKLANE_LIVE_HEARTBEAT_MS (15 s), so anything well above that keeps them open; long values only hold dead connections longer."
  type        = number
  default     = 300
}

variable "cpu" {
  description = "Task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "memory" {
  description = "Task memory (MiB); the JVM takes 75 % of it (MaxRAMPercentage in the image)."
  type        = number
  default     = 2048
}

variable "cpu_architecture" {
  description = "X86_64 or ARM64 (the image must be built for it)."
  type        = string
  default     = "X86_64"
}

variable "min_tasks" {
  description = "Fewest tasks."
  type        = number
  default     = 2
}

variable "max_tasks" {
  description = "Most tasks."
  type        = number
  default     = 10
}

variable "cpu_target_percent" {
  description = "Autoscaling target: average CPU of the service."
  type        = number
  default     = 60
}

variable "requests_per_task_target" {
  description = "Autoscaling target: ALB requests per task per minute (HTTP ingest)."
  type        = number
  default     = 6000
}

variable "mqtt_connections_per_task_target" {
  description = "Autoscaling target: open MQTT connections (NLB active flows) per running task."
  type        = number
  default     = 5000
}

variable "live_cluster" {
  description = "Cluster the gateway tasks (Hazelcast, TRACKLANE_CLUSTER) so every task's live stream carries every task's fixes; members are found through a Cloud Map DNS name. Needed with more than one task for complete dashboards; see docs/deploy.md."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "CloudWatch log retention."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
