variable "name" {
  description = "Name prefix of every resource."
  type        = string
  default     = "tracklane"
}

variable "region" {
  description = "AWS region."
  type        = string
  default     = "cn-north-1"
}

variable "artifacts_dir" {
  description = "The deploy build's output (mvn -pl deploy package): lambda zips, layer, merged OpenAPI; null = deploy/target/artifacts of this checkout."
  type        = string
  default     = null
}

variable "gateway_image" {
  description = "The gateway image in ECR (docker/gateway/Dockerfile), tag or digest."
  type        = string
}

variable "ocr_provider" {
  description = "Receipt OCR: tesseract (container image), the only provider in the China regions."
  type        = string
  default     = "tesseract"

  validation {
    condition     = var.ocr_provider == "tesseract"
    error_message = "The China regions have no Textract; ocr_provider must be tesseract."
  }
}

variable "ocr_image_uri" {
  description = "The OCR image in ECR (docker/receipts-ocr/Dockerfile); needed with ocr_provider = tesseract."
  type        = string
  default     = null
}

variable "enabled_planned_units" {
  description = "Planned units (lambda-units.json) to deploy, once their module exists, e.g. [\"reports\"]."
  type        = list(string)
  default     = []
}

variable "az_count" {
  description = "Availability zones used."
  type        = number
  default     = 2
}

variable "multi_az" {
  description = "RDS standby in a second AZ."
  type        = bool
  default     = true
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "deletion_protection" {
  description = "Protect the table, database and buckets from deletion."
  type        = bool
  default     = true
}

variable "mqtt_tls_certificate_arn" {
  description = "Certificate for MQTT over TLS (8883); required unless allow_plaintext_mqtt."
  type        = string
  default     = null
}

variable "allow_plaintext_mqtt" {
  description = "Also serve plain MQTT on 1883. Devices send their bearer token as the MQTT password, so on this port it travels in the clear: development only."
  type        = bool
  default     = false
}

variable "http_certificate_arn" {
  description = "Certificate for HTTPS on the gateway's ALB; required unless allow_plaintext_http."
  type        = string
  default     = null
}

variable "allow_plaintext_http" {
  description = "Without http_certificate_arn, serve plain HTTP on 80 instead of failing the plan; bearer tokens then travel in the clear: development only."
  type        = bool
  default     = false
}

variable "gateway_jwks_from_ssm" {
  description = "The gateway reads the public JWKS from SSM (<name>/jwks) instead of the API's /.well-known/jwks.json: in China the API serves nothing before the ICP filing."
  type        = bool
  default     = true
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for RDS, S3, DynamoDB, SSM and Secrets Manager; null = the AWS managed keys."
  type        = string
  default     = null
}

variable "authorizer_result_ttl_seconds" {
  description = "API Gateway's authorizer result cache: a token keeps working up to this long after it expires or its user is deactivated."
  type        = number
  default     = 60
}

variable "gateway_min_tasks" {
  description = "Fewest gateway tasks."
  type        = number
  default     = 2
}

variable "gateway_max_tasks" {
  description = "Most gateway tasks."
  type        = number
  default     = 10
}

variable "live_cluster" {
  description = "Cluster the gateway tasks' live stream (Hazelcast over Cloud Map)."
  type        = bool
  default     = false
}

variable "upload_cors_origins" {
  description = "Web origins that upload receipts to S3 directly."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Extra tags."
  type        = map(string)
  default     = {}
}

variable "web_cloudfront_enabled" {
  description = "Off in China: CloudFront here needs an ICP-filed domain (ICP 备案); the gateway serves the pages on the ALB (/dashboard/). Turn on only with an ICP-filed domain and its certificate."
  type        = bool
  default     = false
}

variable "device_mqtt_host" {
  description = "The MQTT host name phones are told to use (the domain of mqtt_tls_certificate_arn when set); null = the NLB's DNS name."
  type        = string
  default     = null
}

variable "web_gateway_domain" {
  description = "The gateway's HTTPS domain (certificate on the ALB): CloudFront sends /v1/* (the live stream) there, so the pages reach it on their own origin. null = none."
  type        = string
  default     = null
}

variable "web_tile_url" {
  description = "Leaflet tile URL template for the pages' basemap (config.json); null = none. In China use a GCJ-02 basemap (AutoNavi, Tencent) and its licence."
  type        = string
  default     = null
}
