output "mqtt_dns_name" {
  description = "DNS name of the MQTT NLB (point the device-facing MQTT host name here)."
  value       = aws_lb.mqtt.dns_name
}

output "http_dns_name" {
  description = "DNS name of the HTTP ALB (ingest, live stream, dashboard)."
  value       = aws_lb.http.dns_name
}

output "cluster_name" {
  description = "ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service of the gateway."
  value       = aws_ecs_service.gateway.name
}

output "task_role_arn" {
  description = "Role the gateway runs as."
  value       = aws_iam_role.task.arn
}

output "log_group_name" {
  description = "Gateway logs."
  value       = aws_cloudwatch_log_group.gateway.name
}
