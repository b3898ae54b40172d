# Three target-tracking policies; the service scales out when any one asks and in only when all agree:
# CPU, HTTP requests per task (ALB) and MQTT connections per task (NLB flows / running tasks).
resource "aws_appautoscaling_target" "gateway" {
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.gateway.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_tasks
  max_capacity       = var.max_tasks
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${var.name}-gateway-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "http_requests" {
  name               = "${var.name}-gateway-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.requests_per_task_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${aws_lb.http.arn_suffix}/${aws_lb_target_group.http.arn_suffix}"
    }
  }
}

resource "aws_appautoscaling_policy" "mqtt_connections" {
  name               = "${var.name}-gateway-mqtt-connections"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.gateway.service_namespace
  resource_id        = aws_appautoscaling_target.gateway.resource_id
  scalable_dimension = aws_appautoscaling_target.gateway.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.mqtt_connections_per_task_target
    scale_in_cooldown  = 600 # scaling in drops connections: clients reconnect, so be slow
    scale_out_cooldown = 60

    customized_metric_specification {
      metrics {
        id          = "flows"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "AWS/NetworkELB"
            metric_name = "ActiveFlowCount"
            dimensions {
              name  = "LoadBalancer"
              value = aws_lb.mqtt.arn_suffix
            }
          }
        }
      }

      metrics {
        id          = "tasks"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"
            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.this.name
            }
            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.gateway.name
            }
          }
        }
      }

      metrics {
        id          = "flows_per_task"
        expression  = "flows / IF(tasks > 0, tasks, 1)"
        label       = "MQTT connections per task"
        return_data = true
      }
    }
  }
}
