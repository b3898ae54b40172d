# HTTP ingest, the live stream (SSE and WebSocket) and the dashboard: HTTPS on 443, port 80 only
# redirects. Riders' and dispatchers' bearer tokens ride on every request, so plain HTTP
# (forwarding on 80) exists only with allow_plaintext_http = true, and a plan without a
# certificate fails unless that is set.
resource "aws_lb" "http" {
  name                       = "${var.name}-http"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.alb_security_group_id]
  idle_timeout               = var.alb_idle_timeout_seconds
  drop_invalid_header_fields = true
  tags                       = var.tags

  lifecycle {
    precondition {
      condition     = var.http_certificate_arn != null || var.allow_plaintext_http
      error_message = "The gateway's ALB serves HTTPS: set http_certificate_arn (an ACM certificate; in China an imported one), or set allow_plaintext_http = true for a development stack whose bearer tokens then travel in the clear."
    }
  }
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

# With a certificate: 80 redirects to 443. Without one (allowed only by allow_plaintext_http):
# plain HTTP on 80, for development.
locals {
  http_plaintext = var.http_certificate_arn == null && var.allow_plaintext_http
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.http.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = local.http_plaintext ? "forward" : "redirect"
    target_group_arn = local.http_plaintext ? aws_lb_target_group.http.arn : null

    dynamic "redirect" {
      for_each = local.http_plaintext ? [] : [1]
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
