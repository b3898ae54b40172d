# Optional (global partition): CloudFront in front of the private bucket, reading it through an
# origin access control (SigV4), HTTPS only, with the pages' strict Content-Security-Policy and
# security headers added to every response. A viewer function maps /dashboard/ to
# /dashboard/index.html (S3's REST endpoint has no index documents). With gateway_domain set, the
# gateway's /v1/* (the live stream) is a second origin of the same distribution, so the pages reach
# it on their own origin (the gateway sends no CORS headers).
resource "aws_cloudfront_origin_access_control" "web" {
  count                             = var.cloudfront_enabled ? 1 : 0
  name                              = "${var.name}-web"
  description                       = "CloudFront reads the ${var.name} pages bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_function" "index" {
  count   = var.cloudfront_enabled ? 1 : 0
  name    = "${var.name}-web-index"
  runtime = "cloudfront-js-2.0"
  comment = "a folder URL serves its index.html"
  publish = true
  code    = <<-JS
    function handler(event) {
      var request = event.request;
      if (request.uri.endsWith('/')) request.uri += 'index.html';
      else if (request.uri.lastIndexOf('.') < request.uri.lastIndexOf('/')) {
        return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: request.uri + '/' } } };
      }
      return request;
    }
  JS
}

resource "aws_cloudfront_response_headers_policy" "web" {
  count = var.cloudfront_enabled ? 1 : 0
  name  = "${var.name}-web-security"

  security_headers_config {
    content_security_policy {
      content_security_policy = local.content_security_policy
      override                = true
    }
    content_type_options {
      override = true
    }
    referrer_policy {
      referrer_policy = "no-referrer"
      override        = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      override                   = true
    }
  }
}

data "aws_cloudfront_cache_policy" "optimized" {
  count = var.cloudfront_enabled ? 1 : 0
  name  = "Managed-CachingOptimized"
}

data "aws_cloudfront_cache_policy" "disabled" {
  count = local.gateway_origin ? 1 : 0
  name  = "Managed-CachingDisabled"
}

# the live stream's token travels in the query string (EventSource cannot send headers)
data "aws_cloudfront_origin_request_policy" "all_viewer" {
  count = local.gateway_origin ? 1 : 0
  name  = "Managed-AllViewerExceptHostHeader"
}

resource "aws_cloudfront_distribution" "web" {
  count               = var.cloudfront_enabled ? 1 : 0
  enabled             = true
  comment             = "${var.name} web pages"
  price_class         = var.cloudfront_price_class
  is_ipv6_enabled     = true
  default_root_object = "dashboard/index.html"
  tags                = var.tags

  origin {
    origin_id                = "web-bucket"
    domain_name              = aws_s3_bucket.web.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.web[0].id
  }

  dynamic "origin" {
    for_each = local.gateway_origin ? [var.gateway_domain] : []
    content {
      origin_id   = "gateway"
      domain_name = origin.value
      custom_origin_config {
        http_port                = 80
        https_port               = 443
        origin_protocol_policy   = "https-only"
        origin_ssl_protocols     = ["TLSv1.2"]
        origin_read_timeout      = 60
        origin_keepalive_timeout = 60
      }
    }
  }

  dynamic "ordered_cache_behavior" {
    for_each = local.gateway_origin ? [1] : []
    content {
      path_pattern             = "/v1/*"
      target_origin_id         = "gateway"
      viewer_protocol_policy   = "https-only"
      allowed_methods          = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
      cached_methods           = ["GET", "HEAD"]
      compress                 = false # a stream is flushed event by event
      cache_policy_id          = data.aws_cloudfront_cache_policy.disabled[0].id
      origin_request_policy_id = data.aws_cloudfront_origin_request_policy.all_viewer[0].id
    }
  }

  default_cache_behavior {
    target_origin_id           = "web-bucket"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.optimized[0].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.web[0].id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.index[0].arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
