# e6link as one CloudFormation stack, created from a released transform-free template
# (scripts/release uploads it as e6link/<version>/template-expanded.yaml). The template is larger
# than CloudFormation's 51,200-byte TemplateBody limit, so the stack is always created from its URL.

locals {
  # Every parameter of template.yaml, in the template's own names; lists joined with commas
  # (CommaDelimitedList), booleans and numbers as the strings CloudFormation expects.
  parameters = {
    ClusterName                                          = var.cluster_name
    ExcludedAvailabilityZones                            = join(",", var.excluded_availability_zones)
    ManageOidcProvider                                   = tostring(var.manage_oidc_provider)
    E6dataAccountId                                      = var.e6data_account_id
    E6dataVpcCidrs                                       = join(",", var.e6data_vpc_cidrs)
    E6dataBucketNames                                    = join(",", var.e6data_bucket_names)
    BucketPolicyPrincipalScope                           = var.bucket_policy_principal_scope
    EndpointAcceptanceRequired                           = tostring(var.endpoint_acceptance_required)
    WaitForE6dataConnectionMinutes                       = tostring(var.wait_for_e6data_connection_minutes)
    ReconcileIntervalMinutes                             = tostring(var.reconcile_interval_minutes)
    AlarmEmail                                           = var.alarm_email
    AlarmTopicKmsKeyArn                                  = var.alarm_topic_kms_key_arn
    LogRetentionInDays                                   = tostring(var.log_retention_in_days)
    PermissionsBoundary                                  = var.permissions_boundary
    ResourceTags                                         = join(",", [for key, value in var.resource_tags : "${key}=${value}"])
    LogGroupKmsKeyArn                                    = var.log_group_kms_key_arn
    NlbAccessLogsBucket                                  = var.nlb_access_logs_bucket
    EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = var.enforce_security_group_inbound_rules_on_private_link_traffic
    TcpIdleTimeoutSeconds                                = tostring(var.tcp_idle_timeout_seconds)
    SupportedRegions                                     = join(",", var.supported_regions)
    NoTrafficAlarmMinutes                                = tostring(var.no_traffic_alarm_minutes)
    ExistingS3GatewayEndpointId                          = var.existing_s3_gateway_endpoint_id
  }
}

resource "aws_cloudformation_stack" "this" {
  name         = var.stack_name
  template_url = var.template_url
  parameters   = local.parameters
  # The expanded template creates IAM roles without names (no CAPABILITY_NAMED_IAM) and holds no
  # macro or nested stack (no CAPABILITY_AUTO_EXPAND).
  capabilities = ["CAPABILITY_IAM"]
  iam_role_arn = var.iam_role_arn
  tags         = var.tags

  # The slowest path: every custom resource up to its ServiceTimeout one after another (the endpoint
  # validation waits for target registration and, if asked, e6data's connection), the NLB, and on a
  # failure the rollback's deletes as well (docs/distribution.md, section 4; TerraformModuleIT checks the bound).
  timeouts {
    create = var.timeouts.create
    update = var.timeouts.update
    delete = var.timeouts.delete
  }
}
