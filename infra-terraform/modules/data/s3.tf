# Receipt photos (uploaded by riders with a presigned POST; ObjectCreated starts the OCR function)
# and generated reports. Private, encrypted, TLS only, with lifecycle rules.
locals {
  buckets = {
    receipts = {
      name           = "${var.name}-receipts-${local.bucket_suffix}"
      retention_days = var.receipts_retention_days
      ia_days        = var.receipts_infrequent_access_days
    }
    reports = {
      name           = "${var.name}-reports-${local.bucket_suffix}"
      retention_days = var.reports_retention_days
      ia_days        = 90
    }
  }
}

resource "aws_s3_bucket" "this" {
  for_each      = local.buckets
  bucket        = each.value.name
  force_destroy = !var.deletion_protection
  tags          = merge(var.tags, { Name = each.value.name })
}

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced" # no ACLs
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = aws_s3_bucket.this
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    bucket_key_enabled = var.kms_key_arn != null
  }
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled" # an overwritten or deleted receipt can be recovered until the lifecycle expires it
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  for_each = aws_s3_bucket.this
  bucket   = each.value.id

  rule {
    id     = "age-out"
    status = "Enabled"
    filter {}

    transition {
      days          = local.buckets[each.key].ia_days
      storage_class = "STANDARD_IA"
    }

    expiration {
      days = local.buckets[each.key].retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

data "aws_iam_policy_document" "tls_only" {
  for_each = aws_s3_bucket.this

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      each.value.arn,
      "${each.value.arn}/*",
    ]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  for_each   = aws_s3_bucket.this
  bucket     = each.value.id
  policy     = data.aws_iam_policy_document.tls_only[each.key].json
  depends_on = [aws_s3_bucket_public_access_block.this]
}

# Browsers upload receipts straight to S3 with the presigned POST the receipts API returns.
resource "aws_s3_bucket_cors_configuration" "receipts" {
  count  = length(var.upload_cors_origins) > 0 ? 1 : 0
  bucket = aws_s3_bucket.this["receipts"].id

  cors_rule {
    allowed_methods = ["POST", "GET"]
    allowed_origins = var.upload_cors_origins
    allowed_headers = ["*"]
    max_age_seconds = 600
  }
}
