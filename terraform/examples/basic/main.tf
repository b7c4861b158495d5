# e6link in one account and region with the Terraform AWS provider's usual credentials.
#   terraform init && terraform apply -var release_version=<X.Y.Z> -var cluster_name=prod -var e6data_account_id=123456789012 \
#     -var 'e6data_vpc_cidrs=["10.50.0.0/16"]' -var 'e6data_bucket_names=["acme-lake"]'
# Give e6data the whole e6data_handoff output (service name, regions, AZ IDs and the API server hostname
# e6data must resolve to its interface endpoint for TLS to verify).

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 7.0"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region of the EKS cluster."
  type        = string
  default     = "us-east-1"
}

variable "release_version" {
  description = "The e6link release to deploy, as e6data published it (scripts/release --version; the stack's Version output)."
  type        = string
}

variable "release_bucket_prefix" {
  description = "Prefix of the release buckets (scripts/release --bucket-prefix): the template lives in <prefix>-<region>."
  type        = string
  default     = "e6data-e6link"
}

variable "cluster_name" {
  description = "The EKS cluster e6data's compute runs in; empty for the region's only cluster."
  type        = string
}

variable "e6data_account_id" {
  description = "e6data's AWS account ID."
  type        = string
}

variable "e6data_vpc_cidrs" {
  description = "e6data's control-plane VPC CIDR ranges."
  type        = list(string)
}

variable "e6data_bucket_names" {
  description = "S3 buckets e6data reads; empty skips the bucket policies."
  type        = list(string)
  default     = []
}

module "e6link" {
  source = "../../modules/e6link"

  stack_name = "e6link"
  # The expanded (transform-free) template scripts/release published next to the code in this region.
  template_url = "https://${var.release_bucket_prefix}-${var.region}.s3.${var.region}.amazonaws.com/e6link/${var.release_version}/template-expanded.yaml"

  cluster_name        = var.cluster_name
  e6data_account_id   = var.e6data_account_id
  e6data_vpc_cidrs    = var.e6data_vpc_cidrs
  e6data_bucket_names = var.e6data_bucket_names

  tags = {
    owner = "platform"
  }
}

output "endpoint_service_name" {
  description = "Give this to e6data."
  value       = module.e6link.endpoint_service_name
}

output "availability_zone_ids" {
  description = "Give this to e6data with the service name."
  value       = module.e6link.availability_zone_ids
}

output "e6data_handoff" {
  description = "Give this whole value to e6data: service name, regions, AZ IDs and the API server hostname for TLS."
  value       = module.e6link.e6data_handoff
}
