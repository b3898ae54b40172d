# The back office: one Lambda per entry of lambda-units.json (functions), the common layer, API
# Gateway REST (REGIONAL) from the merged OpenAPI document, schedules, the receipts trigger.
# Nothing here names a unit: a new unit is an entry in lambda-units.json.
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

data "aws_service_principal" "lambda" {
  service_name = "lambda"
}

data "aws_service_principal" "apigateway" {
  service_name = "apigateway"
}

data "aws_service_principal" "events" {
  service_name = "events"
}

data "aws_service_principal" "s3" {
  service_name = "s3"
}

locals {
  catalog = jsondecode(file(var.lambda_units_file))

  # planned units (no module yet) are left out unless asked for
  functions = {
    for name, fn in local.catalog.functions : name => fn
    if try(local.catalog.units[fn.unit].status, "active") != "planned" || contains(var.enabled_planned_units, fn.unit)
  }

  # Tesseract needs native libraries and language data: that function is the container image
  ocr_as_image    = var.ocr_provider == "tesseract"
  image_functions = { for name, fn in local.functions : name => fn if try(fn.image_when_tesseract, false) && local.ocr_as_image }
  zip_functions   = { for name, fn in local.functions : name => fn if !contains(keys(local.image_functions), name) }
  api_functions   = { for name, fn in local.functions : name => fn if try(fn.api, false) }

  function_names = { for name, fn in local.functions : name => join("-", [var.name, replace(name, "_", "-")]) }

  deployed = merge(aws_lambda_function.zip, aws_lambda_function.image)

  layer_zip = "${var.artifacts_dir}/lambda/${local.catalog.layer.zip}"
  openapi   = "${var.artifacts_dir}/openapi/backoffice.yaml"
}

resource "terraform_data" "preconditions" {
  input = var.ocr_provider

  lifecycle {
    precondition {
      condition     = !(var.ocr_provider == "textract" && data.aws_partition.current.partition == "aws-cn")
      error_message = "Textract is not offered in the China regions: use ocr_provider = \"tesseract\"."
    }
    precondition {
      condition     = !local.ocr_as_image || var.ocr_image_uri != null
      error_message = "ocr_provider = \"tesseract\" runs the OCR function from its container image: set ocr_image_uri."
    }
  }
}
