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
