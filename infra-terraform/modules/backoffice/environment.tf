# Each function gets the settings of what it may touch (its "access" in lambda-units.json), with
# the names BackofficeConfig and the units read. Secrets are "ssm:<name>" references, read once
# per container; AWS_REGION is set by Lambda itself.
locals {
  base_environment = merge({
    TRACKLANE_JWT_ISSUER   = var.jwt_issuer
    TRACKLANE_JWT_AUDIENCE = var.jwt_audience
    # a short-lived JVM: tiered compilation stops at C1, which starts faster
    JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  }, var.extra_environment)

  access_environment = {
    database = {
      TRACKLANE_PG_URL       = var.pg_url
      TRACKLANE_PG_PASSWORD  = "ssm:${var.pg_password_parameter_name}"
      TRACKLANE_PG_POOL_SIZE = tostring(var.pg_pool_size)
    }
    signing_key = {
      TRACKLANE_SIGNING_KEY = "ssm:${var.signing_key_parameter_name}"
    }
    fixes_read = {
      TRACKLANE_FIXES_TABLE = var.fixes_table_name
    }
    receipts_upload = {
      TRACKLANE_RECEIPTS_BUCKET = var.receipts_bucket_name
    }
    receipts_read = {
      TRACKLANE_RECEIPTS_BUCKET = var.receipts_bucket_name
    }
    reports_write = {
      TRACKLANE_REPORTS_BUCKET = var.reports_bucket_name
    }
    ocr = {
      TRACKLANE_OCR_PROVIDER = var.ocr_provider
    }
    # POST /reports answers 202 and hands the work to the generator (invoked asynchronously, its
    # live alias): an API function must answer within API Gateway's 29 s
    report_jobs = {
      TRACKLANE_REPORT_GENERATOR_FUNCTION = "${local.function_names["report_generator"]}:live"
    }
    # the gateway's public addresses, put in a new phone-app device's setup (OwnTracks, Traccar Client)
    device_setup = {
      TRACKLANE_DEVICE_MQTT_HOST   = var.device_mqtt_host
      TRACKLANE_DEVICE_MQTT_PORT   = tostring(var.device_mqtt_port)
      TRACKLANE_DEVICE_MQTT_TLS    = tostring(var.device_mqtt_tls)
      TRACKLANE_DEVICE_HTTP_ORIGIN = var.device_http_origin
    }
  }

  function_environment = {
    for name, fn in local.functions : name => merge(local.base_environment, [for a in fn.access : local.access_environment[a]]...)
  }
}
