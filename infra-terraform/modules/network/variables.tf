variable "name" {
  description = "Name prefix of every resource (e.g. tracklane-prod)."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 range; public subnets take /24s from its start, private ones from .100."
  type        = string
  default     = "10.40.0.0/16"
}

variable "az_count" {
  description = "Availability zones used (2 or 3): subnets, NAT gateways and the RDS standby spread over them."
  type        = number
  default     = 2
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all private subnets (cheaper; an AZ outage cuts egress) instead of one per AZ."
  type        = bool
  default     = false
}

variable "interface_endpoints" {
  description = "Interface VPC endpoints to create (service suffixes such as ssm, logs, ecr.api, ecr.dkr, sqs, lambda): private subnets then reach them without the NAT. lambda: the reports API function starts the report generator."
  type        = list(string)
  default     = ["ssm", "logs", "ecr.api", "ecr.dkr", "sqs", "lambda"]
}

variable "mqtt_port" {
  description = "The gateway's MQTT port (TRACKLANE_MQTT_PORT)."
  type        = number
  default     = 1883
}

variable "http_port" {
  description = "The gateway's HTTP port (TRACKLANE_HTTP_PORT)."
  type        = number
  default     = 8080
}

variable "admin_port" {
  description = "The gateway's admin port (TRACKLANE_ADMIN_PORT): health checks and metrics, reached by the load balancers' health checks only."
  type        = number
  default     = 9090
}

variable "cluster_port_range" {
  description = "Hazelcast and event-bus ports the gateway tasks open to each other when the live stream is clustered."
  type        = object({ from = number, to = number })
  default     = { from = 5701, to = 5801 }
}

variable "public_http_cidrs" {
  description = "Who may reach the ALB (HTTP ingest, live stream, dashboard)."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
