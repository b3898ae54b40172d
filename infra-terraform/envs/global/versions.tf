terraform {
  required_version = ">= 1.10" # use_lockfile (S3-native state locking, backend.hcl.example) needs 1.10
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 6.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.6, < 4.0"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge(var.tags, { Project = "tracklane", Environment = var.name })
  }
}
