# The browser pages (the web module's webroot/: dispatcher dashboard, receipts, reports and the
# shared ES modules) as static files: a private, versioned, encrypted S3 bucket, and optionally a
# CloudFront distribution in front of it (global partition). In China CloudFront needs an
# ICP-filed domain, so there the gateway serves the same pages on the ALB (the gateway image
# carries the web jar) and the bucket keeps the released copies; see docs/deploy.md.
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

# the partition's own name for CloudFront's service principal (never written by hand)
data "aws_service_principal" "cloudfront" {
  service_name = "cloudfront"
}

locals {
  gateway_origin = var.cloudfront_enabled && var.gateway_domain != null

  # bucket names are global within a partition: the account id keeps them unique
  bucket_name = "${var.name}-web-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.name}"

  # the same policy the gateway sends (WebRoutes.contentSecurityPolicy): scripts and styles from
  # this origin only, data from here, the API and the live stream
  connect_sources = join(" ", concat(["'self'"], var.connect_origins))
  content_security_policy = join("; ", [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: http: https:",
    "connect-src ${local.connect_sources}",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ])
}
