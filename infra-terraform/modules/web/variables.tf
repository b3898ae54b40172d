variable "name" {
  description = "Name prefix of every resource."
  type        = string
}

variable "cloudfront_enabled" {
  description = "Serve the pages through CloudFront with origin access control (global partition). Off in China: CloudFront there needs an ICP-filed domain; the gateway serves the pages on the ALB instead."
  type        = bool
  default     = false
}

variable "cloudfront_price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_100"
}

variable "api_url" {
  description = "Back-office API base URL, written to config.json (the pages' apiUrl)."
  type        = string
}

variable "live_url" {
  description = "The gateway's live stream for config.json when CloudFront does not carry it (no gateway_domain): https://<gateway domain>/v1/live."
  type        = string
  default     = "/v1/live"
}

variable "gateway_domain" {
  description = "The gateway's HTTPS domain (its certificate on the ALB). With CloudFront on, /v1/* goes to it through the same distribution, so the live stream is on the pages' own origin; null = no such origin."
  type        = string
  default     = null
}

variable "tile_url" {
  description = "Leaflet tile URL template for the basemap in config.json; null = no basemap."
  type        = string
  default     = null
}

variable "connect_origins" {
  description = "Origins the pages may call besides their own (connect-src): the API's and the live stream's scheme://host[:port]."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "KMS key for the bucket; null = S3-managed keys (AES256). With CloudFront, S3-managed keys keep the origin access simple."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Keep the bucket (and its versions) on terraform destroy."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
