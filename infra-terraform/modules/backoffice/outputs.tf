output "api_url" {
  description = "Base URL of the back-office API (the stage's invoke URL; its host name ends in the partition's DNS suffix)."
  value       = aws_api_gateway_stage.backoffice.invoke_url
}

output "jwks_url" {
  description = "The public keys the gateway verifies tokens with (TRACKLANE_JWKS_URL)."
  value       = "${aws_api_gateway_stage.backoffice.invoke_url}/.well-known/jwks.json"
}

output "rest_api_id" {
  description = "API Gateway REST API id."
  value       = aws_api_gateway_rest_api.backoffice.id
}

output "function_names" {
  description = "Deployed functions by lambda-units.json name."
  value       = local.function_names
}

output "function_roles" {
  description = "IAM role of each function."
  value       = { for name, role in aws_iam_role.function : name => role.arn }
}

output "layer_arn" {
  description = "The common layer version."
  value       = aws_lambda_layer_version.common.arn
}

output "dead_letter_queues" {
  description = "Dead-letter queues (OCR)."
  value       = { for name, q in aws_sqs_queue.dead_letter : name => q.url }
}
