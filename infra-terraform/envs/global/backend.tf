# Remote state in S3 (bucket and lock in the same partition as the stack). The values are given at
# init time so none is written here:
#   terraform init -backend-config=backend.hcl      (copy backend.hcl.example)
terraform {
  backend "s3" {}
}
