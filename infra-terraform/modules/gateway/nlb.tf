# MQTT: long-lived TCP connections, so a Network Load Balancer (layer 4). TLS on 8883 is
# terminated here and forwarded to the task's plain port. A device's CONNECT carries its bearer
# token as the password, so plain MQTT (1883) exists only with allow_plaintext_mqtt = true, and a
# plan without a certificate fails unless that is set.
resource "aws_lb" "mqtt" {
  name                             = "${var.name}-mqtt"
  load_balancer_type               = "network"
  internal                         = false
  subnets                          = var.public_subnet_ids
  enable_cross_zone_load_balancing = true
  tags                             = var.tags

  lifecycle {
    precondition {
      condition     = var.mqtt_tls_certificate_arn != null || var.allow_plaintext_mqtt
      error_message = "MQTT is served over TLS on 8883: set mqtt_tls_certificate_arn (an ACM certificate; in China an imported one), or set allow_plaintext_mqtt = true for a development stack whose devices then send their tokens in the clear."
    }
  }
}

resource "aws_lb_target_group" "mqtt" {
  name                 = "${var.name}-mqtt"
  port                 = var.mqtt_port
  protocol             = "TCP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30 # shutdown grace is 10 s; clients reconnect to another task

  # ready = the fixes table answers: a task that cannot store fixes gets no MQTT clients
  health_check {
    protocol            = "HTTP"
    port                = tostring(var.admin_port)
    path                = "/health/ready"
    healthy_threshold   = 2
    unhealthy_threshold = 2
    interval            = 10
  }

  tags = var.tags
}

resource "aws_lb_listener" "mqtt" {
  count             = var.allow_plaintext_mqtt ? 1 : 0
  load_balancer_arn = aws_lb.mqtt.arn
  port              = var.mqtt_port
  protocol          = "TCP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.mqtt.arn
  }
}

resource "aws_lb_listener" "mqtt_tls" {
  count             = var.mqtt_tls_certificate_arn == null ? 0 : 1
  load_balancer_arn = aws_lb.mqtt.arn
  port              = var.mqtt_tls_port
  protocol          = "TLS"
  certificate_arn   = var.mqtt_tls_certificate_arn
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.mqtt.arn
  }
}
