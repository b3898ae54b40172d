output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's range."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancers)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "Private subnets (gateway tasks, Lambdas, RDS)."
  value       = aws_subnet.private[*].id
}

output "private_route_table_ids" {
  description = "Route tables of the private subnets (gateway endpoints are attached to them)."
  value       = aws_route_table.private[*].id
}

output "alb_security_group_id" {
  description = "Security group of the ALB."
  value       = aws_security_group.alb.id
}

output "gateway_security_group_id" {
  description = "Security group of the gateway tasks."
  value       = aws_security_group.gateway.id
}

output "lambda_security_group_id" {
  description = "Security group of the back-office Lambdas."
  value       = aws_security_group.lambda.id
}

output "rds_proxy_security_group_id" {
  description = "Security group of RDS Proxy."
  value       = aws_security_group.rds_proxy.id
}

output "database_security_group_id" {
  description = "Security group of the Postgres instance."
  value       = aws_security_group.database.id
}

output "dynamodb_endpoint_id" {
  description = "Gateway endpoint for DynamoDB."
  value       = aws_vpc_endpoint.dynamodb.id
}

output "s3_endpoint_id" {
  description = "Gateway endpoint for S3."
  value       = aws_vpc_endpoint.s3.id
}

output "nat_route_ids" {
  description = "Default routes of the private subnets through the NAT gateways (what a Lambda needs to reach anything without an endpoint)."
  value       = aws_route.private_nat[*].id
}

output "ssm_endpoint_id" {
  description = "Interface endpoint for SSM (the Lambdas read their secrets through it); empty when \"ssm\" is not in interface_endpoints."
  value       = try(aws_vpc_endpoint.interface["ssm"].id, "")
}
