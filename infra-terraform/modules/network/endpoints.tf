# Gateway endpoints keep DynamoDB (every GPS fix) and S3 (receipts, reports) traffic off the NAT:
# cheaper and no NAT bandwidth limit on the ingest path.
#
# Endpoint service names do not follow one pattern per partition. In aws-cn, ecr.api, ecr.dkr and
# sqs are "cn.com.amazonaws.<region>.<service>" (the partition's reverse_dns_prefix), while the
# DynamoDB and S3 gateway endpoints, ssm and logs are "com.amazonaws.<region>.<service>". Sources:
# AWS CDK's VPC_ENDPOINT_SERVICE_EXCEPTIONS (aws-ec2 vpc-endpoint.ts, aws/aws-cdk PR 16139) and
# eksctl issue 3081 ("cn.com.amazonaws.cn-northwest-1.s3 does not exist"). Rather than a table that
# goes stale as AWS adds services, each name is looked up at plan time among both candidates (one
# in the global partition, where both prefixes are com.amazonaws), by type; a service offered
# under neither name fails the plan naming it instead of the apply half-way.
locals {
  endpoint_name_prefixes = distinct([data.aws_partition.current.reverse_dns_prefix, "com.amazonaws"])
  gateway_endpoints      = toset(["dynamodb", "s3"])
}

data "aws_vpc_endpoint_service" "gateway" {
  for_each     = local.gateway_endpoints
  service_type = "Gateway"

  filter {
    name   = "service-name"
    values = [for prefix in local.endpoint_name_prefixes : "${prefix}.${data.aws_region.current.name}.${each.key}"]
  }
}

data "aws_vpc_endpoint_service" "interface" {
  for_each     = toset(var.interface_endpoints)
  service_type = "Interface"

  filter {
    name   = "service-name"
    values = [for prefix in local.endpoint_name_prefixes : "${prefix}.${data.aws_region.current.name}.${each.key}"]
  }
}

resource "aws_vpc_endpoint" "dynamodb" {
  vpc_id            = aws_vpc.this.id
  service_name      = data.aws_vpc_endpoint_service.gateway["dynamodb"].service_name
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  tags              = merge(var.tags, { Name = "${var.name}-dynamodb" })
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.this.id
  service_name      = data.aws_vpc_endpoint_service.gateway["s3"].service_name
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id
  tags              = merge(var.tags, { Name = "${var.name}-s3" })
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = toset(var.interface_endpoints)
  vpc_id              = aws_vpc.this.id
  service_name        = data.aws_vpc_endpoint_service.interface[each.key].service_name
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  tags                = merge(var.tags, { Name = "${var.name}-${each.value}" })
}
