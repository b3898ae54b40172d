# Tracklane in the China regions (cn-north-1 / cn-northwest-1). The modules are the same everywhere;
# what differs is only in the values below (region, OCR provider) and in docs/deploy.md.
locals {
  repo_root         = "${path.root}/../../.."
  lambda_units_file = "${local.repo_root}/deploy/src/main/resources/lambda-units.json"
  artifacts_dir     = coalesce(var.artifacts_dir, "${local.repo_root}/deploy/target/artifacts")
}

module "network" {
  source   = "../../modules/network"
  name     = var.name
  az_count = var.az_count
  tags     = var.tags
}

module "data" {
  source                      = "../../modules/data"
  name                        = var.name
  private_subnet_ids          = module.network.private_subnet_ids
  database_security_group_id  = module.network.database_security_group_id
  rds_proxy_security_group_id = module.network.rds_proxy_security_group_id
  multi_az                    = var.multi_az
  db_instance_class           = var.db_instance_class
  deletion_protection         = var.deletion_protection
  upload_cors_origins         = var.upload_cors_origins
  kms_key_arn                 = var.kms_key_arn
  tags                        = var.tags
}

module "backoffice" {
  source                        = "../../modules/backoffice"
  name                          = var.name
  lambda_units_file             = local.lambda_units_file
  artifacts_dir                 = local.artifacts_dir
  enabled_planned_units         = var.enabled_planned_units
  private_subnet_ids            = module.network.private_subnet_ids
  lambda_security_group_id      = module.network.lambda_security_group_id
  pg_url                        = module.data.lambda_pg_url
  pg_password_parameter_name    = module.data.pg_password_parameter_name
  pg_password_parameter_arn     = module.data.pg_password_parameter_arn
  signing_key_parameter_name    = module.data.signing_key_parameter_name
  signing_key_parameter_arn     = module.data.signing_key_parameter_arn
  fixes_table_name              = module.data.fixes_table_name
  fixes_table_arn               = module.data.fixes_table_arn
  receipts_bucket_name          = module.data.receipts_bucket_name
  receipts_bucket_arn           = module.data.receipts_bucket_arn
  reports_bucket_name           = module.data.reports_bucket_name
  reports_bucket_arn            = module.data.reports_bucket_arn
  ocr_provider                  = var.ocr_provider
  ocr_image_uri                 = var.ocr_image_uri
  kms_key_arn                   = var.kms_key_arn
  authorizer_result_ttl_seconds = var.authorizer_result_ttl_seconds
  # the first apply invokes the migrations only once the database is reachable from the Lambdas
  migrations_wait_for = {
    db_instance     = module.data.db_instance_id
    db_proxy_target = module.data.db_proxy_target_id
    nat_routes      = join(",", module.network.nat_route_ids)
    ssm_endpoint    = module.network.ssm_endpoint_id
  }
  # what a new phone-app device (OwnTracks, Traccar Client) is told: the gateway's public names;
  # with TLS, the certificates' domains (device_mqtt_host, web_gateway_domain), else the load balancers'
  device_mqtt_host   = coalesce(var.device_mqtt_host, module.gateway.mqtt_dns_name)
  device_mqtt_port   = var.mqtt_tls_certificate_arn == null && var.allow_plaintext_mqtt ? 1883 : 8883
  device_mqtt_tls    = !(var.mqtt_tls_certificate_arn == null && var.allow_plaintext_mqtt)
  device_http_origin = var.web_gateway_domain != null ? "https://${var.web_gateway_domain}" : (var.allow_plaintext_http ? "http://${module.gateway.http_dns_name}" : "https://${module.gateway.http_dns_name}")
  tags               = var.tags
}

module "gateway" {
  source                    = "../../modules/gateway"
  name                      = var.name
  image                     = var.gateway_image
  vpc_id                    = module.network.vpc_id
  public_subnet_ids         = module.network.public_subnet_ids
  private_subnet_ids        = module.network.private_subnet_ids
  gateway_security_group_id = module.network.gateway_security_group_id
  alb_security_group_id     = module.network.alb_security_group_id
  fixes_table_name          = module.data.fixes_table_name
  fixes_table_arn           = module.data.fixes_table_arn
  pg_url                    = module.data.gateway_pg_url
  pg_password_parameter_arn = module.data.pg_password_parameter_arn
  jwks_url                  = module.backoffice.jwks_url
  jwks_parameter_name       = var.gateway_jwks_from_ssm ? module.data.jwks_parameter_name : null
  jwks_parameter_arn        = var.gateway_jwks_from_ssm ? module.data.jwks_parameter_arn : null
  kms_key_arn               = var.kms_key_arn
  backoffice_api_url        = module.backoffice.api_url
  mqtt_tls_certificate_arn  = var.mqtt_tls_certificate_arn
  http_certificate_arn      = var.http_certificate_arn
  allow_plaintext_mqtt      = var.allow_plaintext_mqtt
  allow_plaintext_http      = var.allow_plaintext_http
  min_tasks                 = var.gateway_min_tasks
  max_tasks                 = var.gateway_max_tasks
  live_cluster              = var.live_cluster
  tags                      = var.tags
}

# The browser pages' bucket (and, where enabled, CloudFront in front of it). The gateway serves the
# same pages on the ALB from the web jar in its image, whichever is used.
module "web" {
  source             = "../../modules/web"
  name               = var.name
  cloudfront_enabled = var.web_cloudfront_enabled
  api_url            = module.backoffice.api_url
  gateway_domain     = var.web_gateway_domain
  live_url           = var.web_gateway_domain == null ? "/v1/live" : "https://${var.web_gateway_domain}/v1/live"
  connect_origins    = [regex("^https?://[^/]+", module.backoffice.api_url)]
  tile_url           = var.web_tile_url
  tags               = var.tags
}
