# HTTP ingest, the live stream (SSE and WebSocket) and the dashboard.
resource "aws_lb" "http" {
  name                       = "${var.name}-http"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.alb_security_group_id]
  idle_timeout               = var.alb_idle_timeout_seconds
  drop_invalid_header_fields = true
  tags                       = var.tags
}

resource "aws_lb_target_group" "http" {
  name                 = "${var.name}-http"
  port                 = var.http_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30

  # on the admin port: the listeners forward only to the HTTP port, so the public cannot reach it
  health_check {
    port                = tostring(var.admin_port)
    path                = "/health/ready"
    matcher             = "200"
    healthy_threshold   = 2
    unhealthy_threshold = 2
    interval            = 10
    timeout             = 5
  }

  tags = var.tags
}

# Without a certificate: plain HTTP (development). With one: 80 redirects to 443.
resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.http.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = var.http_certificate_arn == null ? "forward" : "redirect"
    target_group_arn = var.http_certificate_arn == null ? aws_lb_target_group.http.arn : null

    dynamic "redirect" {
      for_each = var.http_certificate_arn == null ? [] : [1]
      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count             = var.http_certificate_arn == null ? 0 : 1
  load_balancer_arn = aws_lb.http.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.http_certificate_arn
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.http.arn
  }
}
