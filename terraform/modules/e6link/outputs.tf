# One output per output of template.yaml (snake_case of the template's name).

output "stack_id" {
  description = "The CloudFormation stack's ID."
  value       = aws_cloudformation_stack.this.id
}

output "version" {
  description = "The e6link release this stack runs (template output Version)."
  value       = aws_cloudformation_stack.this.outputs["Version"]
}

output "availability_zone_ids" {
  description = "GIVE THIS TO E6DATA with the service name: the zones (AZ IDs, the same in every account) where e6data can place its endpoint, comma-separated (template output AvailabilityZoneIds)."
  value       = aws_cloudformation_stack.this.outputs["AvailabilityZoneIds"]
}

output "endpoint_service_name" {
  description = "GIVE THIS TO E6DATA: the endpoint service name e6data connects to (template output EndpointServiceName)."
  value       = aws_cloudformation_stack.this.outputs["EndpointServiceName"]
}

output "e6data_handoff" {
  description = "GIVE THIS TO E6DATA (the whole value): JSON with the endpoint service name, its regions, the AZ IDs and the API server hostname e6data resolves to its interface endpoint for TLS (template output E6dataHandoff)."
  value       = aws_cloudformation_stack.this.outputs["E6dataHandoff"]
}

output "endpoint_service_id" {
  description = "The VPC endpoint service ID (template output EndpointServiceId)."
  value       = aws_cloudformation_stack.this.outputs["EndpointServiceId"]
}

output "e6data_connection_state" {
  description = "e6data's connection when the stack last validated: None, PendingAcceptance or Available (template output E6dataConnectionState); the live state is the e6link ConnectionState metric on the dashboard."
  value       = aws_cloudformation_stack.this.outputs["E6dataConnectionState"]
}

output "network_load_balancer_arn" {
  description = "The internal Network Load Balancer (template output NetworkLoadBalancerArn)."
  value       = aws_cloudformation_stack.this.outputs["NetworkLoadBalancerArn"]
}

output "target_group_arn" {
  description = "The IP target group on the control-plane ENIs (template output TargetGroupArn)."
  value       = aws_cloudformation_stack.this.outputs["TargetGroupArn"]
}

output "registered_ips" {
  description = "Control-plane ENI IPs registered at deployment, comma-separated; the reconciler keeps them current (template output RegisteredIps)."
  value       = aws_cloudformation_stack.this.outputs["RegisteredIps"]
}

output "s3_gateway_endpoint_id" {
  description = "The S3 gateway endpoint on the cluster's private route tables (template output S3GatewayEndpointId)."
  value       = aws_cloudformation_stack.this.outputs["S3GatewayEndpointId"]
}

output "oidc_provider_arn" {
  description = "The cluster's IAM OIDC provider; null when manage_oidc_provider is false (template output OidcProviderArn)."
  value       = lookup(aws_cloudformation_stack.this.outputs, "OidcProviderArn", null)
}

output "dashboard_url" {
  description = "The stack's CloudWatch dashboard (template output DashboardUrl)."
  value       = aws_cloudformation_stack.this.outputs["DashboardUrl"]
}
