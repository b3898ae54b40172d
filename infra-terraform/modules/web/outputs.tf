output "bucket_name" {
  description = "The pages' bucket: aws s3 sync the web module's webroot/ into it (docs/deploy.md)."
  value       = aws_s3_bucket.web.id
}

output "bucket_arn" {
  description = "The pages' bucket ARN."
  value       = aws_s3_bucket.web.arn
}

output "cloudfront_domain_name" {
  description = "The pages on CloudFront (https://<this>/dashboard/); null when CloudFront is off (China: the gateway's ALB serves /dashboard/)."
  value       = var.cloudfront_enabled ? aws_cloudfront_distribution.web[0].domain_name : null
}

output "cloudfront_distribution_id" {
  description = "For invalidations after a release; null when CloudFront is off."
  value       = var.cloudfront_enabled ? aws_cloudfront_distribution.web[0].id : null
}

output "content_security_policy" {
  description = "The Content-Security-Policy CloudFront adds to every page."
  value       = local.content_security_policy
}
