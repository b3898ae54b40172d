output "api_url" {
  description = "Back-office API base URL."
  value       = module.backoffice.api_url
}

output "mqtt_host" {
  description = "MQTT endpoint for devices (port 1883, or 8883 with TLS)."
  value       = module.gateway.mqtt_dns_name
}

output "gateway_http_host" {
  description = "Gateway HTTP: ingest, live stream, dashboard."
  value       = module.gateway.http_dns_name
}

output "fixes_table" {
  description = "DynamoDB table of fixes."
  value       = module.data.fixes_table_name
}

output "signing_key_parameter" {
  description = "Put the signing key here once (docs/deploy.md)."
  value       = module.data.signing_key_parameter_name
}

output "functions" {
  description = "Back-office functions."
  value       = module.backoffice.function_names
}

output "web_bucket" {
  description = "Bucket of the browser pages: aws s3 sync web/src/main/resources/webroot into it (docs/deploy.md)."
  value       = module.web.bucket_name
}

output "web_url" {
  description = "The dispatcher dashboard on CloudFront; null when CloudFront is off (then https://<gateway_http_host>/dashboard/)."
  value       = module.web.cloudfront_domain_name == null ? null : "https://${module.web.cloudfront_domain_name}/dashboard/"
}
